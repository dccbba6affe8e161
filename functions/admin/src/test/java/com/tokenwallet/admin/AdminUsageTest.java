package com.tokenwallet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestClock;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.service.WalletService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/accounts/{id}/usage} (issue 17): the exact body, built from the ledger the wallet's own use
 * cases wrote (signup grant, debits by operation, an admin grant), per day and per hour.
 */
class AdminUsageTest {
    private final TestClock clock = new TestClock("2026-11-01T08:00:00Z");
    private final AdminApi api = new AdminApi(clock);

    @AfterEach
    void close() {
        api.close();
    }

    private void debit(String operation) {
        api.wallet.context.getBean(WalletService.class).debit(new DebitCommand(AccountId.of("pat"),
                new ChargeRequest.ByOperation(operation, Map.of()), null,
                new Idempotency(new IdempotencyKey("usage-" + java.util.UUID.randomUUID()), "fp")), r -> new StoredResponse(201, "{}"));
    }

    @Test
    void usagePerDay_isTheExactDocumentedBody() {
        api.open("pat", null);
        clock.advance(Duration.ofHours(1));
        debit("text_interview");
        clock.advance(Duration.ofMinutes(30));
        debit("ai_chat");
        clock.set("2026-11-03T10:00:00Z");
        api.ok(AdminApi.asAdmin(AdminHandler.GRANTS).account("pat").json("{\"bucket\":\"credits\",\"amount\":7,\"reason\":\"goodwill\"}"), 201);

        Map<String, Object> body = api.ok(AdminApi.asAdmin(AdminHandler.USAGE).account("pat").query("from", "2026-11-01")
                .query("to", "2026-11-04").query("granularity", "day"), 200);

        assertThat(body).isEqualTo(Map.of("accountId", "pat", "granularity", "day", "intervals", List.of(
                Map.of("start", "2026-11-01T00:00:00Z", "buckets", Map.of("credits", Map.of("consumed", 6, "refunded", 0, "granted", 10,
                        "purchased", 0, "byOperation", Map.of("ai_chat", 1, "text_interview", 5)))),
                Map.of("start", "2026-11-02T00:00:00Z", "buckets", Map.of()),
                Map.of("start", "2026-11-03T00:00:00Z", "buckets", Map.of("credits", Map.of("consumed", 0, "refunded", 0, "granted", 7,
                        "purchased", 0, "byOperation", Map.of()))))));
    }

    @Test
    void usagePerHour_startsAtTheHourOfFrom_andTheDefaultIsDays() {
        api.open("pat", null);
        clock.advance(Duration.ofMinutes(70));
        debit("voice_interview");

        Map<String, Object> hours = api.ok(AdminApi.asAdmin(AdminHandler.USAGE).account("pat").query("from", "2026-11-01T08:30:00Z")
                .query("to", "2026-11-01T10:00:00Z").query("granularity", "hour"), 200);
        Map<String, Object> days = api.ok(AdminApi.asAdmin(AdminHandler.USAGE).account("pat").query("from", "2026-11-01")
                .query("to", "2026-11-02"), 200);

        assertThat(hours).containsEntry("granularity", "hour");
        assertThat(AdminApi.list(hours, "intervals")).extracting(i -> i.get("start"))
                .containsExactly("2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z");
        assertThat(AdminApi.list(hours, "intervals").get(0)).as("the signup grant at 08:00 is before from").containsEntry("buckets", Map.of());
        assertThat(AdminApi.list(hours, "intervals").get(1).get("buckets")).isEqualTo(Map.of("credits", Map.of("consumed", 10,
                "refunded", 0, "granted", 0, "purchased", 0, "byOperation", Map.of("voice_interview", 10))));
        assertThat(days).containsEntry("granularity", "day");
        assertThat(AdminApi.list(days, "intervals")).hasSize(1);
    }
}
