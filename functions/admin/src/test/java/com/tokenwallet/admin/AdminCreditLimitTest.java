package com.tokenwallet.admin;

import static com.tokenwallet.admin.AdminApi.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.service.WalletService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /admin/accounts/{accountId}/credit-limits/{bucket}} (issue 15), every answer held to infra/openapi.yaml by
 * {@link TestWallet#call}: 200 with the bucket, a credit_limit entry, debits into credit down to -creditLimit and no
 * further (402 with creditLimit and shortfall), 409 below the debt, 400/404/403 as the other admin writes.
 */
class AdminCreditLimitTest {
    private AdminApi api;
    private WalletService wallet;

    @BeforeEach
    void start() {
        api = new AdminApi(null);
        api.open("ada", "ada@example.com");
        wallet = api.wallet.context.getBean(WalletService.class);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static ApiEvents put(String account, String bucket, String body) {
        return asAdmin(AdminHandler.CREDIT_LIMIT).account(account).pathParameter("bucket", bucket).json(body);
    }

    private long available() {
        return ((Number) AdminApi.bucket(balance(), "credits").get("available")).longValue();
    }

    private Map<String, Object> balance() {
        CheckHandler check = api.wallet.handler(CheckHandler::new);
        APIGatewayV2HTTPResponse r = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account("ada")
                .caller("ops-alice", "wallet:admin").build());
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return TestWallet.body(r);
    }

    private void debit(long tokens, String key) {
        wallet.debit(new DebitCommand(AccountId.of("ada"), new ChargeRequest.ByAmount("credits", tokens, "chat"), Metadata.NONE,
                new Idempotency(new IdempotencyKey(key), key)), r -> new StoredResponse(201, "{}"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLimit_isSetWithAnEntry_andDebitsGoBelowZeroDownToIt_thenA402SaysTheShortfall() {
        long before = available();
        Map<String, Object> set = api.ok(put("ada", "credits", "{\"creditLimit\":50,\"reason\":\"trusted\"}"), 200);

        assertThat(set).containsEntry("type", "credit_limit").containsEntry("creditLimit", 50).containsEntry("previousCreditLimit", 0)
                .containsEntry("reason", "trusted");
        assertThat((Map<String, Object>) set.get("balance")).containsEntry("creditLimit", 50).containsEntry("debt", 0)
                .containsEntry("available", (int) before + 50);

        debit(before + 30, "d1");
        Map<String, Object> credits = AdminApi.bucket(balance(), "credits");
        assertThat(credits).containsEntry("debt", 30).containsEntry("creditLimit", 50).containsEntry("available", 20)
                .containsEntry("purchased", 0).containsEntry("allowance", 0);

        assertThatThrownBy(() -> debit(21, "d2")).isInstanceOfSatisfying(InsufficientTokensException.class, e -> {
            APIGatewayV2HTTPResponse problem = ApiResponses.problem(e);
            assertThat(problem.getStatusCode()).isEqualTo(402);
            assertThat(TestWallet.body(problem)).containsEntry("available", 20).containsEntry("creditLimit", 50)
                    .containsEntry("shortfall", 1).containsEntry("required", 21);
        });
        debit(20, "d3");
        assertThat(AdminApi.bucket(balance(), "credits")).containsEntry("debt", 50).containsEntry("available", 0);

        Map<String, Object> view = api.ok(asAdmin(AdminHandler.ACCOUNT).account("ada"), 200);
        Map<String, Object> entry = AdminApi.list(view, "latestTransactions").stream()
                .filter(e -> "credit_limit".equals(e.get("type"))).findFirst().orElseThrow();
        assertThat(entry).containsEntry("amount", 0).containsEntry("description", "trusted")
                .containsEntry("metadata", Map.of("admin", "ops-alice", "creditLimit", 50, "previousCreditLimit", 0));
        assertThat(AdminApi.list(view, "latestTransactions").getFirst()).containsEntry("debtAfter", 50);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGrant_repaysTheDebtFirst_andItsEntrySaysHowMuch() {
        long before = available();
        api.ok(put("ada", "credits", "{\"creditLimit\":40,\"reason\":\"r\"}"), 200);
        debit(before + 25, "d1");

        Map<String, Object> grant = api.ok(asAdmin(AdminHandler.GRANTS).account("ada")
                .json("{\"bucket\":\"credits\",\"amount\":30,\"reason\":\"goodwill\"}"), 201);

        assertThat((Map<String, Object>) grant.get("balance")).containsEntry("debt", 0).containsEntry("purchased", 5)
                .containsEntry("available", 45);
        Map<String, Object> view = api.ok(asAdmin(AdminHandler.ACCOUNT).account("ada"), 200);
        assertThat(AdminApi.list(view, "latestTransactions").getFirst()).containsEntry("type", "grant").containsEntry("debtRepaid", 25)
                .doesNotContainKey("debtAfter");
    }

    @Test
    void aLimitBelowTheDebt_isRefused_andAtTheDebtAccepted() {
        long before = available();
        api.ok(put("ada", "credits", "{\"creditLimit\":40,\"reason\":\"r\"}"), 200);
        debit(before + 25, "d1");

        APIGatewayV2HTTPResponse refused = api.call(put("ada", "credits", "{\"creditLimit\":24,\"reason\":\"r\"}"));
        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(409);
        assertThat(TestWallet.body(refused)).containsEntry("code", "credit_limit_below_debt");
        api.ok(put("ada", "credits", "{\"creditLimit\":25,\"reason\":\"r\"}"), 200);
        assertThat(available()).isZero();
    }

    @Test
    void withAKey_theLimitIsSetOnce_andReplayed() {
        Map<String, Object> first = api.ok(put("ada", "credits", "{\"creditLimit\":7,\"reason\":\"r\"}").idempotencyKey("cl-1"), 200);
        APIGatewayV2HTTPResponse replay = api.call(put("ada", "credits", "{\"creditLimit\":7,\"reason\":\"r\"}").idempotencyKey("cl-1"));

        assertThat(replay.getStatusCode()).isEqualTo(200);
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(TestWallet.body(replay)).isEqualTo(first);
        APIGatewayV2HTTPResponse reused = api.call(put("ada", "credits", "{\"creditLimit\":8,\"reason\":\"r\"}").idempotencyKey("cl-1"));
        assertThat(reused.getStatusCode()).isEqualTo(409);
        assertThat(TestWallet.body(reused)).containsEntry("code", "idempotency_key_reused");
    }

    @Test
    void badBodies_are400_unknownAccountOrBucket404_andOnlyAdminsMaySetIt() {
        for (String body : List.of("{\"creditLimit\":-1,\"reason\":\"r\"}", "{\"creditLimit\":1.5,\"reason\":\"r\"}",
                "{\"creditLimit\":1000000001,\"reason\":\"r\"}", "{\"creditLimit\":5}", "{\"reason\":\"r\"}",
                "{\"creditLimit\":5,\"reason\":\"r\",\"debt\":0}", "{\"creditLimit\":\"5\",\"reason\":\"r\"}")) {
            APIGatewayV2HTTPResponse r = api.call(put("ada", "credits", body));
            assertThat(r.getStatusCode()).as(body + " -> " + r.getBody()).isEqualTo(400);
        }
        APIGatewayV2HTTPResponse noAccount = api.call(put("nobody", "credits", "{\"creditLimit\":5,\"reason\":\"r\"}"));
        assertThat(noAccount.getStatusCode()).isEqualTo(404);
        assertThat(TestWallet.body(noAccount)).containsEntry("code", "account_not_found");
        APIGatewayV2HTTPResponse noBucket = api.call(put("ada", "gold", "{\"creditLimit\":5,\"reason\":\"r\"}"));
        assertThat(noBucket.getStatusCode()).isEqualTo(404);
        assertThat(TestWallet.body(noBucket)).containsEntry("code", "bucket_not_found");
        APIGatewayV2HTTPResponse charge = api.call(ApiEvents.route(AdminHandler.CREDIT_LIMIT).account("ada").pathParameter("bucket", "credits")
                .caller("backend", "wallet:charge").json("{\"creditLimit\":5,\"reason\":\"r\"}"));
        assertThat(charge.getStatusCode()).isEqualTo(403);
    }
}
