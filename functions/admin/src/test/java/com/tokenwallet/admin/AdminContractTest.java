package com.tokenwallet.admin;

import static com.tokenwallet.admin.AdminApi.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Subscription;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.admin.AdminService;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin answers the other admin tests do not reach, each held to infra/openapi.yaml by {@link TestWallet#call}:
 * an account with a Stripe customer, a subscription, a flag and more entries than the view shows; the 409s of grants
 * and adjustments besides {@code adjustment_below_zero}; a plan change's replay and reused key.
 */
class AdminContractTest {
    private static final String GRANT = "{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"r\"}";
    private AdminApi api;

    @BeforeEach
    void start() {
        api = new AdminApi(null);
        api.open("ada", "ada@example.com");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAccountWithBillingAndALongLedger_showsAllOfIt_andItsCursorGoesOnInTheHistory() {
        Instant periodStart = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(86_400);
        change("ada", a -> a.withBilling(Billing.NONE.withCustomer("cus_Ada42")
                .withSubscription(new Subscription("sub_1Ada", "active", "solo", periodStart, 1_700_000_000L))
                .withFlag(Billing.DISPUTED)));
        // The signup grant and 11 grants: the view shows the 10 latest, the cursor the 2 before them.
        for (int i = 0; i < AdminService.LATEST_ENTRIES + 1; i++) {
            api.ok(asAdmin(AdminHandler.GRANTS).account("ada").json(GRANT), 201);
        }

        Map<String, Object> view = api.ok(asAdmin(AdminHandler.ACCOUNT).account("ada"), 200);
        Map<String, Object> found = AdminApi.list(api.ok(asAdmin(AdminHandler.LOOKUP).query("stripeCustomerId", "cus_Ada42"), 200), "items")
                .getFirst();

        assertThat(found).isEqualTo(view);
        assertThat(view).containsEntry("flags", List.of("disputed"));
        assertThat((Map<String, Object>) view.get("billing")).containsEntry("stripeCustomerId", "cus_Ada42")
                .containsEntry("flags", List.of("disputed"))
                .containsEntry("subscription", Map.of("id", "sub_1Ada", "status", "active", "plan", "solo",
                        "periodStart", periodStart.toString()));
        assertThat(AdminApi.list(view, "latestTransactions")).hasSize(AdminService.LATEST_ENTRIES);
        String cursor = (String) view.get("moreTransactionsCursor");
        assertThat(cursor).isNotBlank();
        CheckHandler check = api.wallet.handler(CheckHandler::new);
        APIGatewayV2HTTPResponse older = TestWallet.call(check, ApiEvents.route(CheckHandler.TRANSACTIONS).account("ada")
                .caller("ops-alice", "wallet:admin").query("cursor", cursor).build());
        assertThat(older.getStatusCode()).as(older.getBody()).isEqualTo(200);
        assertThat(AdminApi.list(TestWallet.body(older), "items")).extracting(e -> e.get("type")).containsExactly("grant", "signup_grant");
    }

    @Test
    void aPartNearTheCeiling_refusesGrantsAndAdjustments_asBalanceTooLarge() {
        change("ada", a -> a.withBucket("credits", new BucketBalance(0, AdminCommands.MAX_BALANCE_TOKENS, 0)));

        conflict(asAdmin(AdminHandler.GRANTS).account("ada").json(GRANT), "balance_too_large");
        conflict(asAdmin(AdminHandler.ADJUSTMENTS).account("ada").json(GRANT), "balance_too_large");
    }

    @Test
    void anAdjustmentThatWouldLeaveLessThanThePendingHoldsNeed_isRefused() {
        api.wallet.context.getBean(WalletService.class).hold(new HoldCommands.Hold(AccountId.of("ada"),
                new ChargeRequest.ByAmount("credits", 8, "render"), 600, Metadata.NONE, new Idempotency(new IdempotencyKey("h"), "h")),
                r -> new StoredResponse(201, "held"));

        conflict(asAdmin(AdminHandler.ADJUSTMENTS).account("ada").json("{\"bucket\":\"credits\",\"amount\":-5,\"reason\":\"r\"}"),
                "adjustment_below_held");
    }

    @Test
    void aPlanChange_replaysWithItsKey_andRefusesTheKeyWithAnotherBody() {
        String body = "{\"plan\":\"free\"}";
        Map<String, Object> first = api.ok(asAdmin(AdminHandler.PLAN).account("ada").idempotencyKey("plan-1").json(body), 200);
        APIGatewayV2HTTPResponse replay = api.call(asAdmin(AdminHandler.PLAN).account("ada").idempotencyKey("plan-1").json(body));

        assertThat(first).containsEntry("plan", "free").containsEntry("previousPlan", "free").containsEntry("resetAllowance", false);
        assertThat(AdminApi.list(first, "transactionIds")).as("a change that moves no allowance still writes one entry").hasSize(1);
        assertThat(replay.getStatusCode()).isEqualTo(200);
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        conflict(asAdmin(AdminHandler.PLAN).account("ada").idempotencyKey("plan-1").json("{\"plan\":\"solo\"}"), "idempotency_key_reused");
    }

    private void conflict(ApiEvents request, String code) {
        APIGatewayV2HTTPResponse response = api.call(request);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(409);
        assertThat(TestWallet.body(response)).containsEntry("code", code);
    }

    /** Writes a change to the stored account past the domain's rules (the store's conditional write only). */
    private void change(String id, UnaryOperator<Account> change) {
        WalletStore store = api.wallet.context.getBean(WalletStore.class);
        Account before = store.findAccount(AccountId.of(id)).orElseThrow();
        store.write(new WalletStore.AccountWrite(before, change.apply(before), List.of(), Optional.empty()));
    }
}
