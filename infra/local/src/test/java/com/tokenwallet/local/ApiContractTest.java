package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract check catches drift: responses and requests that differ from infra/openapi.yaml in a field's type, an
 * undocumented field, a code the route does not answer, a missing header or token are reported, and
 * {@link LocalApi} fails a test on them. Without this, a validator that accepted everything would go unnoticed.
 */
class ApiContractTest {
    private static final ApiContract CONTRACT = ApiContract.BUNDLED;
    private static final String DEBITS = "/v1/accounts/alice/debits";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final Map<String, String> PROBLEM = Map.of("Content-Type", "application/problem+json");
    private static final String RECEIPT = """
            {"transactionId":"tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V","accountId":"alice","bucket":"credits","amount":5,\
            "fromAllowance":0,"fromPurchased":5,"available":%s,"operation":"text_interview","createdAt":"2026-11-23T10:00:00Z"%s}""";

    private static List<String> debitResponse(int status, Map<String, String> headers, String body) {
        return CONTRACT.responseProblems("POST", DEBITS, status, headers, body);
    }

    private static String problem(int status, String code, String extra) {
        return "{\"type\":\"https://tokenwallet.dev/problems/" + code + "\",\"title\":\"t\",\"status\":" + status
                + ",\"detail\":\"d\",\"code\":\"" + code + "\"" + extra + "}";
    }

    @Test
    void aDebitReceipt_asTheHandlerWritesIt_keepsToTheDocument() {
        assertThat(debitResponse(201, JSON, RECEIPT.formatted("5", ""))).isEmpty();
        assertThat(debitResponse(201, Map.of("Content-Type", "application/json", "Idempotent-Replayed", "true"), RECEIPT.formatted("5", ""))).isEmpty();
    }

    @Test
    void aResponseFieldOfTheWrongType_isCaught() {
        assertThat(debitResponse(201, JSON, RECEIPT.formatted("\"5\"", ""))).isNotEmpty()
                .anySatisfy(p -> assertThat(p).contains("available"));
    }

    @Test
    void anUndocumentedResponseField_isCaught() {
        assertThat(debitResponse(201, JSON, RECEIPT.formatted("5", ",\"balanceAfter\":5"))).isNotEmpty()
                .anySatisfy(p -> assertThat(p).contains("balanceAfter"));
    }

    @Test
    void aProblemCodeTheRouteDoesNotAnswer_orAStatusItDoesNotHave_isCaught() {
        assertThat(debitResponse(409, PROBLEM, problem(409, "idempotency_key_reused", ""))).isEmpty();
        assertThat(debitResponse(409, PROBLEM, problem(409, "refund_exceeds_charge", ""))).isNotEmpty();
        assertThat(debitResponse(402, PROBLEM, problem(402, "insufficient_tokens", ""))).as("402 without bucket, required, available").isNotEmpty();
        assertThat(debitResponse(402, PROBLEM, problem(402, "insufficient_tokens", ",\"bucket\":\"credits\",\"required\":9,\"available\":1"))).as("402 without creditLimit, shortfall")
                .isNotEmpty();
        assertThat(debitResponse(402, PROBLEM, problem(402, "insufficient_tokens",
                ",\"bucket\":\"credits\",\"required\":9,\"available\":1,\"creditLimit\":0,\"shortfall\":8"))).isEmpty();
        assertThat(CONTRACT.responseProblems("GET", "/v1/catalog", 503, PROBLEM, problem(503, "store_unavailable", "")))
                .as("the catalog reads no store").isNotEmpty();
    }

    @Test
    void aConstantOrAHeaderOutOfLine_isCaught() {
        String release = "{\"holdId\":\"hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V\",\"released\":5,\"status\":\"%s\",\"available\":10}";
        String path = "/v1/accounts/alice/holds/hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V/release";

        assertThat(CONTRACT.responseProblems("POST", path, 200, JSON, release.formatted("released"))).isEmpty();
        assertThat(CONTRACT.responseProblems("POST", path, 200, JSON, release.formatted("captured"))).isNotEmpty();
        assertThat(debitResponse(201, Map.of("Content-Type", "application/json", "Idempotent-Replayed", "yes"), RECEIPT.formatted("5", "")))
                .isNotEmpty();
        assertThat(debitResponse(503, PROBLEM, problem(503, "store_unavailable", ""))).as("503 without Retry-After").isNotEmpty();
        assertThat(debitResponse(503, Map.of("Content-Type", "application/problem+json", "Retry-After", "1"), problem(503, "store_unavailable", "")))
                .isEmpty();
    }

    @Test
    void requestsWithoutTheirTokenKeyOrShape_areCaught() {
        Map<String, String> complete = Map.of("Authorization", "Bearer x.y.z", "Idempotency-Key", "k-1", "Content-Type", "application/json");
        byte[] body = "{\"operation\":\"ai_chat\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(CONTRACT.requestProblems("POST", DEBITS, complete, body)).isEmpty();
        assertThat(CONTRACT.requestProblems("POST", DEBITS, Map.of("Idempotency-Key", "k-1", "Content-Type", "application/json"), body))
                .as("no token").isNotEmpty();
        assertThat(CONTRACT.requestProblems("POST", DEBITS, Map.of("Authorization", "Bearer x.y.z", "Content-Type", "application/json"), body))
                .as("no Idempotency-Key").isNotEmpty();
        assertThat(CONTRACT.requestProblems("POST", DEBITS, complete, "{\"operation\":\"ai_chat\",\"bucket\":\"credits\"}".getBytes(StandardCharsets.UTF_8)))
                .as("both ways of naming a charge").isNotEmpty();
        assertThat(CONTRACT.requestProblems("GET", "/v1/accounts/alice/transactions?limit=101", Map.of("Authorization", "Bearer x.y.z"), null))
                .as("a page over 100").isNotEmpty();
        String refunds = "/v1/accounts/alice/refunds";
        String refund = "{\"transactionId\":\"tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V\",\"reason\":\"%s\"}";
        assertThat(CONTRACT.requestProblems("POST", refunds, complete, refund.formatted("crashed").getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(CONTRACT.requestProblems("POST", refunds, complete, refund.formatted("   ").getBytes(StandardCharsets.UTF_8)))
                .as("a blank reason").isNotEmpty();
        assertThat(CONTRACT.requestProblems("POST", refunds, complete, refund.formatted("bell\\u0007").getBytes(StandardCharsets.UTF_8)))
                .as("a control character").isNotEmpty();
    }

    @Test
    void localApi_failsTheTest_whenTheServerDriftsFromTheDocument() throws Exception {
        HttpServer drifting = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), 0), 8);
        drifting.createContext("/", exchange -> {
            byte[] body = "{\"accountId\":\"alice\",\"plan\":\"free\",\"period\":\"2026-11\",\"periodEndsAt\":\"2026-12-01T00:00:00Z\",\"buckets\":{\"credits\":{\"allowance\":0,\"purchased\":10,\"held\":0,\"available\":\"10\"}}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        drifting.start();
        try {
            LocalApi api = new LocalApi("http://127.0.0.1:" + drifting.getAddress().getPort());

            assertThatThrownBy(() -> api.get("/v1/accounts/alice/balance", "x.y.z"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("breaks the API document").hasMessageContaining("available");
            assertThatThrownBy(() -> api.request("POST", DEBITS).token("x.y.z").json("{\"operation\":\"ai_chat\"}").send())
                    .as("a request without its Idempotency-Key is stopped before it is sent")
                    .isInstanceOf(AssertionError.class).hasMessageContaining("Idempotency-Key");
        } finally {
            drifting.stop(0);
        }
    }
}
