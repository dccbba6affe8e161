package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 9: requests that are not well-formed HTTP, or whose target is not a valid URI, are answered by the
 * local gateway like every other refusal, in problem+json 400 {@code invalid_request}, never with an HTML page that
 * names a Java exception; obs-folded headers (RFC 9112 section 5.2) are refused, not joined.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsTest {
    @TempDir
    static Path home;

    private LocalServer server;
    private String token;

    @BeforeAll
    void start() {
        server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("key")));
        token = server.tokens().mint("backend", List.of("wallet:charge"), Duration.ofMinutes(5));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String get(String target, String... extraHeaderLines) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n");
        for (String line : extraHeaderLines) {
            request.append(line).append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString();
    }

    @Test
    void malformedRequests_areAnswered400InProblemJson_withoutNamingAJavaException() throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("a bad percent escape in the path", get("/v1/accounts/%zz/balance"));
        requests.put("a raw | in the path", get("/v1/accounts/auth0|123/balance"));
        requests.put("a raw space-less control character in the query", get("/v1/accounts/a/transactions?limit=\u0001"));
        requests.put("a Content-Length that is not a number", "POST /v1/accounts/a/debits HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}");
        requests.put("two different Content-Lengths", "POST /v1/accounts/a/debits HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}");
        requests.put("a bare CR inside a header value", get("/v1/catalog", "X-Note: a\rb"));
        requests.put("an obs-folded header", get("/v1/catalog", "X-Note: first", " folded"));
        requests.put("an obs-folded header with a tab", get("/v1/catalog", "X-Note: first", "\tfolded"));

        requests.forEach((what, request) -> {
            RawHttp.Response response;
            try {
                response = RawHttp.send(server.port(), request);
            } catch (java.io.IOException e) {
                throw new AssertionError(what + ": " + e, e);
            }
            assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(400);
            assertThat(response.header("content-type")).as(what).startsWith("application/problem+json");
            assertThat(response.body()).as(what).doesNotContain("Exception").doesNotContain("<");
            assertThat(response.json()).as(what).containsEntry("code", "invalid_request").containsEntry("status", 400)
                    .containsEntry("type", "https://tokenwallet.dev/problems/invalid_request").containsKey("detail");
        });
    }

    @Test
    void oversizedRequestLinesAndHeaders_areAnswered414And431InProblemJson() throws Exception {
        Map<String, RawHttp.Response> answers = new LinkedHashMap<>();
        answers.put("uri_too_long", RawHttp.send(server.port(), get("/v1/catalog?pad=" + "a".repeat(20_000))));
        answers.put("headers_too_large", RawHttp.send(server.port(), get("/v1/catalog", "X-Pad: " + "b".repeat(20_000))));

        answers.forEach((code, response) -> {
            int status = code.equals("uri_too_long") ? 414 : 431;
            assertThat(response.status()).as(code + ": " + response.body()).isEqualTo(status);
            assertThat(response.header("content-type")).as(code).startsWith("application/problem+json");
            assertThat(response.body()).as(code).doesNotContain("Exception").doesNotContain("<");
            assertThat(response.json()).as(code).containsEntry("code", code).containsEntry("status", status).containsKey("detail");
        });
        // A header section just under the limit is served.
        RawHttp.Response fits = RawHttp.send(server.port(), get("/v1/catalog", "X-Pad: " + "c".repeat(12_000)));
        assertThat(fits.status()).as(fits.body()).isEqualTo(200);
    }

    @Test
    void dotSegmentAccountIds_areRefused_andAPipeSentPercentEncoded_isAnAccountId() throws Exception {
        for (String id : List.of("%2e%2e", "%2E", ".%2e", "%2e%2e%2e")) {
            RawHttp.Response response = RawHttp.send(server.port(), get("/v1/accounts/" + id + "/balance"));
            assertThat(response.status()).as(id + ": " + response.body()).isEqualTo(400);
            assertThat(response.json()).as(id).containsEntry("code", "invalid_request").containsEntry("field", "accountId");
        }
        RawHttp.Response piped = RawHttp.send(server.port(), get("/v1/accounts/auth0%7C123/balance"));
        assertThat(piped.status()).as(piped.body()).isEqualTo(404);
        assertThat(piped.json()).containsEntry("code", "account_not_found");
    }
}
