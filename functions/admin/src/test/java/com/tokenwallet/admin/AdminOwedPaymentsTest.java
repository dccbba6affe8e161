package com.tokenwallet.admin;

import static com.tokenwallet.admin.AdminApi.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.OwedPayment;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.port.WalletStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 19 item 3: an operator lists an account's owed payments and settles each once, by credit or as refunded. */
class AdminOwedPaymentsTest {
    private AdminApi api;

    @BeforeEach
    void start() {
        api = new AdminApi(null);
        api.open("ona", null);
        owe("pi_a");
        owe("pi_b");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void owe(String paymentId) {
        api.owe("ona", paymentId);
    }

    private static ApiEvents settle(String account, String paymentId, String body) {
        return asAdmin(AdminHandler.SETTLE_OWED_PAYMENT).account(account).pathParameter("paymentId", paymentId).json(body);
    }

    private long purchased() {
        return ((Number) AdminApi.bucket(api.ok(asAdmin(AdminHandler.ACCOUNT).account("ona"), 200), "credits").get("purchased")).longValue();
    }

    @Test
    void theOwedPaymentsAreListed_thenSettledOnce_byCreditAndAsRefunded() {
        Map<String, Object> listed = api.ok(asAdmin(AdminHandler.OWED_PAYMENTS).account("ona"), 200);
        assertThat(AdminApi.list(listed, "items")).extracting(o -> o.get("paymentId")).containsExactly("pi_a", "pi_b");
        assertThat(AdminApi.list(listed, "items").getFirst()).containsEntry("status", "owed").containsEntry("kind", "unknown_package")
                .containsEntry("packageId", "gold").containsEntry("amountPaid", 4900).containsEntry("currency", "usd").doesNotContainKey("settlement");
        long before = purchased();

        String credit = "{\"outcome\":\"credit\",\"bucket\":\"credits\",\"tokens\":700,\"reason\":\"gold as sold on 2026-11-09\"}";
        APIGatewayV2HTTPResponse first = api.call(settle("ona", "pi_a", credit));
        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        assertThat(TestWallet.body(first)).containsEntry("status", "credited");
        assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        APIGatewayV2HTTPResponse again = api.call(settle("ona", "pi_a", credit));
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(purchased()).as("credited once").isEqualTo(before + 700);
        List<Map<String, Object>> purchases = api.wallet.items("ledger", "ona").stream().filter(e -> "purchase".equals(e.get("entry_type"))).toList();
        assertThat(purchases).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("reference", "pi_a").containsEntry("purchased_delta", 700L);
            assertThat((String) e.get("metadata")).contains("\"admin\":\"" + AdminApi.ADMIN_SUB + "\"");
        });

        Map<String, Object> conflict = api.ok(settle("ona", "pi_a", "{\"outcome\":\"refunded\",\"reason\":\"x\"}"), 409);
        assertThat(conflict).containsEntry("code", "owed_payment_settled");

        assertThat(api.ok(settle("ona", "pi_b", "{\"outcome\":\"refunded\",\"reason\":\"refunded in Stripe\"}"), 200))
                .containsEntry("status", "refunded");
        assertThat(purchased()).isEqualTo(before + 700);
        assertThat(AdminApi.list(api.ok(asAdmin(AdminHandler.OWED_PAYMENTS).account("ona"), 200), "items"))
                .extracting(o -> o.get("status")).containsExactly("credited", "refunded");
    }

    @Test
    void refusals_writeNothing() {
        var before = api.wallet.items();
        assertThat(api.ok(settle("ona", "pi_none", "{\"outcome\":\"refunded\",\"reason\":\"x\"}"), 404)).containsEntry("code", "owed_payment_not_found");
        assertThat(api.ok(settle("nobody", "pi_a", "{\"outcome\":\"refunded\",\"reason\":\"x\"}"), 404)).containsEntry("code", "account_not_found");
        assertThat(api.ok(asAdmin(AdminHandler.OWED_PAYMENTS).account("nobody"), 404)).containsEntry("code", "account_not_found");
        for (String body : List.of("{\"outcome\":\"gift\",\"reason\":\"x\"}", "{\"outcome\":\"credit\",\"reason\":\"x\"}",
                "{\"outcome\":\"credit\",\"bucket\":\"credits\",\"tokens\":0,\"reason\":\"x\"}",
                "{\"outcome\":\"credit\",\"bucket\":\"nope\",\"tokens\":5,\"reason\":\"x\"}",
                "{\"outcome\":\"refunded\",\"bucket\":\"credits\",\"tokens\":5,\"reason\":\"x\"}",
                "{\"outcome\":\"refunded\"}", "{\"outcome\":\"refunded\",\"reason\":\"x\",\"extra\":1}")) {
            assertThat(api.ok(settle("ona", "pi_a", body), 400)).as(body).containsEntry("code", "invalid_request");
        }
        assertThat(api.ok(settle("ona", "pi%2Fa", "{\"outcome\":\"refunded\",\"reason\":\"x\"}"), 400)).containsEntry("code", "invalid_request");
        assertThat(api.call(ApiEvents.route(AdminHandler.OWED_PAYMENTS).account("ona").caller("ona", "wallet:read")).getStatusCode())
                .isEqualTo(403);
        assertThat(api.wallet.items()).containsExactlyInAnyOrderElementsOf(before);
    }
}
