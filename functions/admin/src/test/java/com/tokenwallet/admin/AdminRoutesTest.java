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
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What each admin route does, and that /v1's transaction history shows who changed an account and why. */
class AdminRoutesTest {
    private AdminApi api;

    @BeforeEach
    void start() {
        api = new AdminApi(null);
        api.open("ada", "Ada.Lovelace@Example.com");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theAccountViewShowsBalancesPlanBillingHoldsAndLatestEntries() {
        WalletService wallet = api.wallet.context.getBean(WalletService.class);
        wallet.hold(new HoldCommands.Hold(AccountId.of("ada"), new ChargeRequest.ByAmount("credits", 3, "render"), 600, Metadata.NONE,
                new Idempotency(new IdempotencyKey("h"), "h")), r -> new StoredResponse(201, "held"));

        Map<String, Object> view = api.ok(asAdmin(AdminHandler.ACCOUNT).account("ada"), 200);

        assertThat(view).containsEntry("accountId", "ada").containsEntry("plan", "free").containsEntry("email", "Ada.Lovelace@Example.com")
                .containsKeys("period", "periodEndsAt", "createdAt", "version");
        assertThat(AdminApi.bucket(view, "credits")).isEqualTo(Map.of("allowance", 0, "purchased", 10, "held", 3, "available", 7,
                "creditLimit", 0, "debt", 0));
        // Absent values are left out of the JSON: no Stripe customer, no subscription yet.
        assertThat((Map<String, Object>) view.get("billing")).doesNotContainKeys("stripeCustomerId", "subscription").containsEntry("flags", List.of());
        assertThat(AdminApi.list(view, "pendingHolds")).singleElement().satisfies(h -> assertThat(h).containsEntry("amount", 3));
        assertThat(AdminApi.list(view, "latestTransactions")).extracting(e -> e.get("type")).containsExactly("hold", "signup_grant");
    }

    @Test
    void accountsAreFoundByEmailInAnyCase_andByStripeCustomer() {
        api.open("ada-work", "ada.lovelace@example.com");
        api.open("bob", "bob@example.com");
        WalletStore store = api.wallet.context.getBean(WalletStore.class);
        Account bob = store.findAccount(AccountId.of("bob")).orElseThrow();
        store.write(new WalletStore.AccountWrite(bob, bob.withBilling(Billing.NONE.withCustomer("cus_Bob123").withFlag(Billing.DISPUTED)),
                List.of(), Optional.empty()));

        Map<String, Object> byEmail = api.ok(asAdmin(AdminHandler.LOOKUP).query("email", " ADA.LOVELACE@example.COM "), 200);
        Map<String, Object> byCustomer = api.ok(asAdmin(AdminHandler.LOOKUP).query("stripeCustomerId", "cus_Bob123"), 200);
        Map<String, Object> nobody = api.ok(asAdmin(AdminHandler.LOOKUP).query("email", "nobody@example.com"), 200);

        assertThat(AdminApi.list(byEmail, "items")).extracting(a -> a.get("accountId")).containsExactlyInAnyOrder("ada", "ada-work");
        assertThat(AdminApi.list(byCustomer, "items")).singleElement().satisfies(a -> {
            assertThat(a).containsEntry("accountId", "bob");
            assertThat((Map<String, Object>) a.get("billing")).containsEntry("stripeCustomerId", "cus_Bob123")
                    .containsEntry("flags", List.of("disputed"));
        });
        assertThat(AdminApi.list(nobody, "items")).isEmpty();
    }

    @Test
    void aGrantShowsInTheHistoryWithItsReasonAndTheAdminsSub() {
        Map<String, Object> granted = api.ok(asAdmin(AdminHandler.GRANTS).account("ada")
                .json("{\"bucket\":\"credits\",\"amount\":25,\"reason\":\"goodwill after outage #42\"}"), 201);

        assertThat(granted).containsEntry("type", "grant").containsEntry("amount", 25).containsEntry("reason", "goodwill after outage #42");
        assertThat((Map<String, Object>) granted.get("balance")).containsEntry("purchased", 35).containsEntry("available", 35);
        Map<String, Object> entry = latestTransaction("ada");
        assertThat(entry).containsEntry("type", "grant").containsEntry("transactionId", granted.get("transactionId"))
                .containsEntry("description", "goodwill after outage #42").containsEntry("purchasedDelta", 25)
                .containsEntry("metadata", Map.of("admin", AdminApi.ADMIN_SUB));
    }

    @Test
    void withAnIdempotencyKeyAChangeHappensOnce_withoutOneEachCallApplies() {
        String body = "{\"bucket\":\"credits\",\"amount\":5,\"reason\":\"once\"}";
        APIGatewayV2HTTPResponse first = api.call(asAdmin(AdminHandler.GRANTS).account("ada").idempotencyKey("grant-1").json(body));
        APIGatewayV2HTTPResponse replay = api.call(asAdmin(AdminHandler.GRANTS).account("ada").idempotencyKey("grant-1").json(body));
        APIGatewayV2HTTPResponse reused = api.call(asAdmin(AdminHandler.GRANTS).account("ada").idempotencyKey("grant-1")
                .json("{\"bucket\":\"credits\",\"amount\":6,\"reason\":\"once\"}"));

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(replay.getBody()).isEqualTo(first.getBody());
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(reused.getStatusCode()).isEqualTo(409);
        assertThat(TestWallet.body(reused)).containsEntry("code", "idempotency_key_reused");
        assertThat(purchased()).isEqualTo(15);

        api.ok(asAdmin(AdminHandler.GRANTS).account("ada").json(body), 201);
        api.ok(asAdmin(AdminHandler.GRANTS).account("ada").json(body), 201);
        assertThat(purchased()).isEqualTo(25);
    }

    @Test
    void adjustmentsChangeTheNamedPart_andNeverGoBelowZero() {
        Map<String, Object> down = api.ok(asAdmin(AdminHandler.ADJUSTMENTS).account("ada")
                .json("{\"bucket\":\"credits\",\"amount\":-4,\"reason\":\"double grant by mistake\"}"), 201);
        assertThat(down).containsEntry("amount", -4).containsEntry("part", "purchased");
        assertThat(purchased()).isEqualTo(6);

        APIGatewayV2HTTPResponse refused = api.call(asAdmin(AdminHandler.ADJUSTMENTS).account("ada")
                .json("{\"bucket\":\"credits\",\"amount\":-7,\"reason\":\"too much\"}"));
        assertThat(refused.getStatusCode()).isEqualTo(409);
        assertThat(TestWallet.body(refused)).containsEntry("code", "adjustment_below_zero");
        assertThat(purchased()).isEqualTo(6);

        api.ok(asAdmin(AdminHandler.ADJUSTMENTS).account("ada")
                .json("{\"bucket\":\"mockup\",\"amount\":2,\"reason\":\"trial\",\"part\":\"allowance\"}"), 201);
        assertThat(latestTransaction("ada")).containsEntry("type", "adjustment").containsEntry("allowanceDelta", 2)
                .containsEntry("metadata", Map.of("admin", AdminApi.ADMIN_SUB, "part", "allowance"));
    }

    @Test
    void aPlanChangeWithResetReplacesTheAllowanceNow() {
        Map<String, Object> changed = api.ok(asAdmin(AdminHandler.PLAN).account("ada")
                .json("{\"plan\":\"business\",\"resetAllowance\":true,\"reason\":\"annual deal\"}"), 200);

        assertThat(changed).containsEntry("plan", "business").containsEntry("previousPlan", "free").containsEntry("resetAllowance", true);
        assertThat(AdminApi.bucket(changed, "mockup")).containsEntry("allowance", 10);
        assertThat(AdminApi.list(changed, "transactionIds")).hasSize(3);
        Map<String, Object> view = api.ok(asAdmin(AdminHandler.ACCOUNT).account("ada"), 200);
        assertThat(view).containsEntry("plan", "business");
        assertThat(AdminApi.list(view, "latestTransactions")).filteredOn(e -> "plan_reset".equals(e.get("type")))
                .hasSize(3).allSatisfy(e -> assertThat((String) e.get("description")).endsWith("annual deal"));
    }

    private long purchased() {
        Map<String, Object> view = api.ok(asAdmin(AdminHandler.ACCOUNT).account("ada"), 200);
        return ((Number) AdminApi.bucket(view, "credits").get("purchased")).longValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> latestTransaction(String account) {
        CheckHandler check = api.wallet.handler(CheckHandler::new);
        var response = TestWallet.call(check, ApiEvents.route(CheckHandler.TRANSACTIONS).account(account)
                .caller("backend", "wallet:charge").query("limit", "1").build());
        assertThat(response.getStatusCode()).isEqualTo(200);
        return ((List<Map<String, Object>>) TestWallet.body(response).get("items")).getFirst();
    }
}
