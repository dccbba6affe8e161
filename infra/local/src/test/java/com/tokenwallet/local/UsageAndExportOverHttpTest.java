package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's routes through the local runner (routes read from template.yaml, JWTs as the {@code token} command mints
 * them, every answer checked against infra/openapi.yaml by {@link LocalApi}): the ledger export and the admin's usage.
 */
class UsageAndExportOverHttpTest {
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

    private static String range() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return "from=" + today.minusDays(1) + "&to=" + today.plusDays(2);
    }

    @Test
    void theOwnerExportsHerLedger_asCsvAndJsonLines_andOthersMayNot() {
        assertThat(api.request("PUT", "/v1/accounts/ivy").token(token("ivy", "wallet:read")).send().status()).isEqualTo(201);
        assertThat(api.request("POST", "/v1/accounts/ivy/debits").token(token("backend", "wallet:charge")).idempotencyKey("e1")
                .json("{\"operation\":\"text_interview\",\"metadata\":{\"note\":\"a, \\\"b\\\"\"}}").send().status()).isEqualTo(201);

        LocalApi.Reply csv = api.get("/v1/accounts/ivy/transactions/export?" + range() + "&format=csv", token("ivy", "wallet:read"));
        LocalApi.Reply jsonl = api.get("/v1/accounts/ivy/transactions/export?" + range() + "&format=jsonl", token("backend", "wallet:charge"));
        LocalApi.Reply other = api.get("/v1/accounts/ivy/transactions/export?" + range(), token("mallory", "wallet:read"));

        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).isEqualTo("text/csv");
        assertThat(csv.body().split("\r\n")).hasSize(3);
        assertThat(csv.body()).contains(",debit,credits,-5,0,-5,0,text_interview,,,\"{\"\"note\"\":\"\"a, \\\"\"b\\\"\"\"\"}\",0,5,0,0\r\n");
        assertThat(jsonl.status()).isEqualTo(200);
        assertThat(jsonl.header("Content-Type")).isEqualTo("application/x-ndjson");
        assertThat(jsonl.body().split("\n")).hasSize(2);
        assertThat(other.status()).isEqualTo(403);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAdminReadsUsagePerDay() {
        assertThat(api.request("PUT", "/v1/accounts/jo").token(token("jo", "wallet:read")).send().status()).isEqualTo(201);
        api.request("POST", "/v1/accounts/jo/debits").token(token("backend", "wallet:charge")).idempotencyKey("u1")
                .json("{\"operation\":\"ai_chat\"}").send();

        LocalApi.Reply usage = api.get("/admin/accounts/jo/usage?" + range() + "&granularity=day", token("ops", "wallet:admin"));
        LocalApi.Reply notAdmin = api.get("/admin/accounts/jo/usage?" + range(), token("jo", "wallet:read"));

        assertThat(usage.status()).as(usage.body()).isEqualTo(200);
        List<Map<String, Object>> intervals = (List<Map<String, Object>>) usage.json().get("intervals");
        assertThat(intervals).hasSize(3);
        Map<String, Object> today = intervals.get(1);
        assertThat(today.get("start")).isEqualTo(LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        assertThat(today.get("buckets")).isEqualTo(Map.of("credits", Map.of("consumed", 1, "refunded", 0, "granted", 10, "purchased", 0,
                "byOperation", Map.of("ai_chat", 1))));
        assertThat(notAdmin.status()).isEqualTo(403);
    }
}
