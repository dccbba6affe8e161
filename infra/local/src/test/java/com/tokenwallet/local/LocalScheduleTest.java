package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve --clock and POST /_local/schedules/quota-reset: a month change tried by hand. */
class LocalScheduleTest {

    @TempDir
    Path home;

    @Test
    void eachScheduledHandler_getsTheEventTypeItDeclares() {
        assertThat(LocalServer.takesMap(com.tokenwallet.quotareset.QuotaResetHandler.class)).isTrue();
        assertThat(LocalServer.takesMap(com.tokenwallet.refund.HoldExpiryHandler.class)).isFalse();
    }

    @Test
    void aMonthChangeCanBeTriedByHand() throws Exception {
        // 20 s before the month changes: on a loaded machine the runner's start alone has taken more than 15 s.
        Instant start = Instant.parse("2026-11-30T23:59:40Z");
        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("key")).withClockAt(start))) {
            LocalApi api = new LocalApi(server.url());
            String backend = LocalTokens.fromKeyFile(home.resolve("key")).mint("backend", List.of("wallet:charge"), Duration.ofMinutes(5));
            LocalApi.Reply opened = api.request("PUT", "/v1/accounts/month-change").token(backend).send();
            assertThat(opened.status()).isEqualTo(201);
            assertThat(opened.json()).containsEntry("period", "2026-11");

            LocalApi.Reply before = api.request("POST", "/_local/schedules/quota-reset").send();
            assertThat(before.status()).isEqualTo(200);

            // The runner's clock runs on from 23:59:40: wait (bounded) until it is December there.
            LocalApi.Reply balance = null;
            for (int i = 0; i < 160; i++) {
                balance = api.get("/v1/accounts/month-change/balance", backend);
                if ("2026-12".equals(balance.json().get("period"))) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(balance.json()).containsEntry("period", "2026-12");

            LocalApi.Reply reset = api.request("POST", "/_local/schedules/quota-reset").send();
            assertThat(reset.status()).isEqualTo(200);
            // Fanned out in the runner's process: the answer comes once every segment's invocation has finished.
            assertThat(reset.json()).containsEntry("complete", true).containsEntry("AccountsReset", 1).containsEntry("job", "quota-reset#2026-12")
                    .containsEntry("dispatched", reset.json().get("segments")).containsEntry("segmentsDone", reset.json().get("segments"));
            LocalApi.Reply again = api.request("POST", "/_local/schedules/quota-reset").send();
            assertThat(again.json()).containsEntry("AccountsReset", 1).containsEntry("AccountsSeen", 1).containsEntry("dispatched", 0)
                    .containsEntry("complete", true);

            assertThat(api.request("POST", "/_local/schedules/no-such-job").send().status()).isEqualTo(404);
            assertThat(api.request("GET", "/_local/schedules/quota-reset").send().status()).isEqualTo(405);
        }
    }
}
