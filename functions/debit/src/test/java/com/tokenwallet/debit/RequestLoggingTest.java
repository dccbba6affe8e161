package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.json.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One structured line per request, with request id, account and outcome, EMF metrics, and no secrets. */
class RequestLoggingTest {

    @Test
    @SuppressWarnings("unchecked")
    void eachRequestLogsOneJsonLineWithMetricsAndNoSecrets() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (TestWallet wallet = new TestWallet()) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            DebitHandler debit = wallet.handler(DebitHandler::new);
            TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account("logged")
                    .header("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.secret-token-payload.signature")
                    .caller("logged", "wallet:read").json("{\"email\":\"private.person@example.com\"}").build());
            TestWallet.call(debit, ApiEvents.route(DebitHandler.DEBITS).account("logged").caller("svc", "wallet:charge")
                    .idempotencyKey("log-key-1").json("{\"bucket\":\"credits\",\"amount\":99,\"description\":\"secret plan\"}").build());
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        List<String> lines = output.lines().filter(l -> l.startsWith("{\"timestamp\"")).toList();
        assertThat(lines).hasSize(2);
        Map<String, Object> open = StrictJson.object(lines.get(0));
        Map<String, Object> refused = StrictJson.object(lines.get(1));
        assertThat(open).containsEntry("accountId", "logged").containsEntry("status", 201).containsEntry("outcome", "ok")
                .containsKeys("requestId", "latencyMs", "route");
        assertThat(refused).containsEntry("status", 402).containsEntry("outcome", "insufficient_tokens");
        Map<String, Object> aws = (Map<String, Object>) refused.get("_aws");
        Map<String, Object> metrics = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
        assertThat(metrics).containsEntry("Namespace", "TokenWallet");
        assertThat(refused).containsEntry("Requests", 1).containsKey("Latency");
        assertThat(output).doesNotContain("secret-token-payload", "private.person", "secret plan", "log-key-1");
    }
}
