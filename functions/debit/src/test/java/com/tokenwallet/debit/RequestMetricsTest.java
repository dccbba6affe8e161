package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics issue 7 asks for, in each request's one log line (CloudWatch embedded metric format): debits and
 * tokens debited by operation, holds, captures, insufficient-balance refusals and store errors; counted from the
 * writes that committed, so a replay counts nothing.
 */
class RequestMetricsTest {

    @Test
    @SuppressWarnings("unchecked")
    void eachLineCarriesWhatItsRequestDid() throws Exception {
        List<Map<String, Object>> lines = capture(wallet -> {
            DebitHandler debit = wallet.handler(DebitHandler::new);
            Wallets.open(debit, "metered");
            Wallets.debit(debit, "metered", "k1", "{\"operation\":\"text_interview\"}");
            Wallets.debit(debit, "metered", "k1", "{\"operation\":\"text_interview\"}");
            Wallets.debit(debit, "metered", "k2", "{\"operation\":\"voice_interview\"}");
            TestWallet.call(debit, ApiEvents.route(DebitHandler.HOLDS).account("metered").caller("svc", "wallet:charge")
                    .idempotencyKey("h1").json("{\"bucket\":\"credits\",\"amount\":2,\"description\":\"render\"}").build());
            wallet.store.failNextWrites(FaultInjectingWalletStore.Fault.THROTTLED, 100);
            Wallets.debit(debit, "metered", "k3", "{\"operation\":\"ai_chat\"}");
        });
        assertThat(lines).hasSize(6);
        Map<String, Object> debited = lines.get(1);
        assertThat(debited).containsEntry("Debits", 1).containsEntry("TokensDebited", 5).containsEntry("operation", "text_interview");
        List<Map<String, Object>> directives = (List<Map<String, Object>>) ((Map<String, Object>) debited.get("_aws")).get("CloudWatchMetrics");
        assertThat(directives).extracting(d -> d.get("Dimensions"))
                .containsExactly(List.of(List.of("function", "outcome")), List.of(List.of("function")), List.of(List.of("function", "operation")));
        assertThat(lines.get(2)).as("a replay writes nothing and counts nothing").doesNotContainKeys("Debits", "TokensDebited");
        assertThat(lines.get(3)).containsEntry("status", 402).containsEntry("InsufficientTokens", 1).doesNotContainKey("Debits");
        assertThat(lines.get(4)).containsEntry("Holds", 1).doesNotContainKey("TokensDebited");
        assertThat(lines.get(5)).containsEntry("status", 503).containsEntry("StoreErrors", 1);
    }

    private static List<Map<String, Object>> capture(java.util.function.Consumer<TestWallet> calls) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (TestWallet wallet = new TestWallet()) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            calls.accept(wallet);
        } finally {
            System.setOut(original);
        }
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"function\":\"DebitHandler\"")).toList()) {
            lines.add(StrictJson.object(line));
        }
        return lines;
    }
}
