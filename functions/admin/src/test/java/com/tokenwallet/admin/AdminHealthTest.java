package com.tokenwallet.admin;

import com.tokenwallet.api.testing.TestClock;
import static com.tokenwallet.admin.AdminApi.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.service.WalletService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GET /admin/health on the embedded SQLite engine: a healthy store reports nothing; deliberately corrupted account rows
 * (SQL statements on the database, past every check of the domain) are found, each under its kind, with
 * examples; the report is bounded and its cursor goes on where it stopped.
 */
class AdminHealthTest {

    @Test
    void aHealthyTable_reportsNothing_andSaysItLookedAtEverything() {
        try (AdminApi api = new AdminApi(null)) {
            for (String id : List.of("a", "b", "c")) {
                api.open(id, null);
            }
            api.ok(asAdmin(AdminHandler.GRANTS).account("a").json("{\"bucket\":\"credits\",\"amount\":5,\"reason\":\"r\"}"), 201);

            Map<String, Object> report = api.ok(asAdmin(AdminHandler.HEALTH), 200);

            assertThat(report).containsEntry("complete", true).doesNotContainKeys("nextCursor", "stoppedBy");
            assertThat((Map<String, Object>) report.get("examined")).containsEntry("accounts", 3);
            for (String kind : List.of("ledgerMismatches", "negativeParts", "expiredHolds", "unreadableAccounts", "notChecked")) {
                assertThat((Map<String, Object>) report.get(kind)).as(kind).containsEntry("count", 0);
            }
        }
    }

    @Test
    void deliberatelyCorruptedAccountsAreFound() {
        TestClock clock = new TestClock(java.time.Instant.now());
        try (AdminApi api = new AdminApi(clock)) {
            for (String id : List.of("healthy", "drifted", "negative", "broken", "stale-hold")) {
                api.open(id, null);
            }
            // Its balance says 99 purchased credits; its ledger, 10.
            api.wallet.execute("UPDATE balances SET allowance = 0, purchased = 99, held = 0 WHERE account_id = 'drifted' AND bucket = 'credits'");
            // A negative part, which the domain can never write.
            api.wallet.execute("UPDATE balances SET allowance = 0, purchased = -5, held = 0 WHERE account_id = 'negative' AND bucket = 'credits'");
            // Not an account any more: its version is not a number (SQLite keeps what an edit by hand puts there).
            api.wallet.execute("UPDATE accounts SET version = 'gone' WHERE account_id = 'broken'");
            // A hold nobody settled, 10 minutes past its expiry (the sweep is not running in this test).
            api.wallet.context.getBean(WalletService.class).hold(new HoldCommands.Hold(AccountId.of("stale-hold"),
                    new ChargeRequest.ByAmount("credits", 4, "render"), 60, Metadata.NONE, new Idempotency(new IdempotencyKey("h"), "h")),
                    r -> new StoredResponse(201, "held"));
            clock.advance(Duration.ofMinutes(11));

            Map<String, Object> report = api.ok(asAdmin(AdminHandler.HEALTH), 200);

            assertThat(report).containsEntry("complete", true);
            assertThat(examples(report, "ledgerMismatches")).filteredOn(e -> e.get("accountId").equals("drifted")).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("accountId", "drifted").containsEntry("bucket", "credits");
                assertThat((String) e.get("detail")).contains("stored allowance 0, purchased 99", "ledger sums allowance 0, purchased 10");
            });
            assertThat(examples(report, "negativeParts")).singleElement()
                    .isEqualTo(Map.of("accountId", "negative", "bucket", "credits", "detail", "purchased is -5"));
            assertThat(examples(report, "unreadableAccounts")).extracting(e -> e.get("accountId")).containsExactly("broken");
            assertThat(examples(report, "expiredHolds")).singleElement().satisfies(e -> assertThat(e).containsEntry("accountId", "stale-hold"));
            assertThat((Map<String, Object>) report.get("examined")).containsEntry("accounts", 5);
            // The negative account's ledger also disagrees with it (10 vs -5): that is a second finding, of its own kind.
            assertThat(((Map<String, Object>) report.get("ledgerMismatches")).get("count")).isEqualTo(2);
        }
    }

    @Test
    void aBoundedRunStopsAtItsLimit_andTheCursorGoesOn() {
        try (AdminApi api = new AdminApi(null)) {
            for (int i = 0; i < 5; i++) {
                api.open("acct-" + i, null);
            }
            int examined = 0;
            String cursor = null;
            for (int run = 0; run < 10; run++) {
                var request = asAdmin(AdminHandler.HEALTH).query("limit", "2");
                if (cursor != null) {
                    request.query("cursor", cursor);
                }
                Map<String, Object> report = api.ok(request, 200);
                examined += ((Number) ((Map<String, Object>) report.get("examined")).get("accounts")).intValue();
                if (Boolean.TRUE.equals(report.get("complete"))) {
                    cursor = null;
                    break;
                }
                assertThat(report).containsEntry("stoppedBy", "accounts");
                cursor = (String) report.get("nextCursor");
            }
            assertThat(cursor).as("the runs reached the end").isNull();
            assertThat(examined).isEqualTo(5);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> examples(Map<String, Object> report, String kind) {
        return (List<Map<String, Object>>) ((Map<String, Object>) report.get(kind)).get("examples");
    }
}
