package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/accounts/{id}/balance?asOf=} (issue 15) through the local runner: the same route from template.yaml,
 * its query string reaching the check function, every answer checked against infra/openapi.yaml by {@link LocalApi}.
 */
class BalanceAsOfOverHttpTest {
    @TempDir
    static Path home;
    private static LocalServer server;
    private static LocalApi api;
    private static LocalTokens tokens;

    @BeforeAll
    static void start() {
        server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("jwt-key")));
        api = new LocalApi(server.url());
        tokens = LocalTokens.fromKeyFile(home.resolve("jwt-key"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String token(String subject, String... scopes) {
        return tokens.mint(subject, List.of(scopes), Duration.ofMinutes(5));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> credits(LocalApi.Reply reply) {
        return (Map<String, Object>) ((Map<String, Object>) reply.json().get("buckets")).get("credits");
    }

    @Test
    void theBalanceAsOfAnInstant_beforeAndAfterADebit() throws InterruptedException {
        String quinn = token("quinn", "wallet:read");
        assertThat(api.request("PUT", "/v1/accounts/quinn").token(quinn).send().status()).isEqualTo(201);
        Thread.sleep(5);
        Instant beforeDebit = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Thread.sleep(5);
        assertThat(api.request("POST", "/v1/accounts/quinn/debits").token(token("backend", "wallet:charge")).idempotencyKey("q1")
                .json("{\"operation\":\"text_interview\"}").send().status()).isEqualTo(201);
        Thread.sleep(5);
        Instant afterDebit = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        LocalApi.Reply then = api.get("/v1/accounts/quinn/balance?asOf=" + beforeDebit, quinn);
        LocalApi.Reply now = api.get("/v1/accounts/quinn/balance?asOf=" + afterDebit, quinn);

        assertThat(then.status()).as(then.body()).isEqualTo(200);
        assertThat(then.json()).containsEntry("asOf", beforeDebit.toString());
        assertThat(credits(then)).containsEntry("purchased", 10).containsEntry("available", 10);
        assertThat(now.status()).as(now.body()).isEqualTo(200);
        assertThat(credits(now)).containsEntry("purchased", 5).containsEntry("available", 5);
        assertThat(credits(api.get("/v1/accounts/quinn/balance", quinn))).isEqualTo(credits(now));
    }

    @Test
    void aFutureOrMalformedInstant_answers400_onAsOf_andAnotherCallerIsForbidden() {
        String rae = token("rae", "wallet:read");
        assertThat(api.request("PUT", "/v1/accounts/rae").token(rae).send().status()).isEqualTo(201);

        LocalApi.Reply future = api.get("/v1/accounts/rae/balance?asOf=" + Instant.now().plus(Duration.ofHours(1)), rae);
        LocalApi.Reply malformed = api.get("/v1/accounts/rae/balance?asOf=last-tuesday", rae);
        LocalApi.Reply other = api.get("/v1/accounts/rae/balance?asOf=" + Instant.now(), token("mallory", "wallet:read"));

        assertThat(future.status()).isEqualTo(400);
        assertThat(future.json()).containsEntry("code", "invalid_request").containsEntry("field", "asOf");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json()).containsEntry("field", "asOf");
        assertThat(other.status()).isEqualTo(403);
    }
}
