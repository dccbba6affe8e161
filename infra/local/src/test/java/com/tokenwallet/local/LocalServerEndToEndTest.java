package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner end to end: started in this JVM on a free port of 127.0.0.1 with an in-memory store, called
 * over real HTTP with tokens minted exactly as the {@code token} command mints them.
 */
class LocalServerEndToEndTest {

    @TempDir
    static Path home;

    private static LocalServer server;
    private static LocalApi api;
    private static LocalTokens tokens;

    @BeforeAll
    static void startServer() {
        server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("jwt-key")));
        api = new LocalApi(server.url());
        tokens = LocalTokens.fromKeyFile(home.resolve("jwt-key"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String token(String subject, String... scopes) {
        return tokens.mint(subject, List.of(scopes), Duration.ofMinutes(5));
    }

    private static String backend() {
        return token("backend", "wallet:charge");
    }

    private static LocalApi.Reply open(String accountId, String token) {
        return api.request("PUT", "/v1/accounts/" + accountId).token(token).send();
    }

    private static LocalApi.Reply debit(String accountId, String key, String json) {
        return api.request("POST", "/v1/accounts/" + accountId + "/debits").token(backend()).idempotencyKey(key).json(json).send();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> credits(LocalApi.Reply balance) {
        return (Map<String, Object>) ((Map<String, Object>) balance.json().get("buckets")).get("credits");
    }

    @Test
    void url_isOnLoopback_withTheBoundPort() {
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(server.port()).isPositive();
        assertThat(server.dataDescription()).isEqualTo("in memory (lost when stopped)");
    }

    @Test
    void catalog_isServed_toAReadToken() {
        LocalApi.Reply reply = api.get("/v1/catalog", token("alice", "wallet:read"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("content-type")).startsWith("application/json");
        assertThat(reply.json()).containsKeys("operations", "packages", "plans");
        assertThat(reply.header("apigw-requestid")).isNotBlank();
    }

    @Test
    void openAccount_answers201_thenReturnsTheExistingAccountWith200() {
        String alice = token("e2e-open", "wallet:read");

        LocalApi.Reply created = open("e2e-open", alice);
        LocalApi.Reply again = open("e2e-open", alice);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json()).containsEntry("accountId", "e2e-open");
        assertThat(number(credits(created).get("available"))).isEqualTo(10);
        assertThat(again.status()).isEqualTo(200);
        assertThat(number(credits(again).get("available"))).as("no second signup grant").isEqualTo(10);
    }

    @Test
    void debit_isReplayed_withTheSameBody_forTheSameIdempotencyKey() {
        open("e2e-replay", backend());

        LocalApi.Reply first = debit("e2e-replay", "order-1", "{\"operation\":\"text_interview\"}");
        LocalApi.Reply replay = debit("e2e-replay", "order-1", "{\"operation\":\"text_interview\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("idempotent-replayed")).isNull();
        assertThat(first.json()).containsEntry("accountId", "e2e-replay").containsEntry("bucket", "credits");
        assertThat(number(first.json().get("amount"))).isEqualTo(5);
        assertThat(number(first.json().get("available"))).isEqualTo(5);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("idempotent-replayed")).isEqualTo("true");
    }

    @Test
    void debit_isRefusedWith402_whenAvailableIsBelowTheAmount() {
        open("e2e-poor", backend());

        LocalApi.Reply refused = debit("e2e-poor", "too-much", "{\"bucket\":\"credits\",\"amount\":1000,\"description\":\"too much\"}");

        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.header("content-type")).startsWith("application/problem+json");
        assertThat(refused.json()).containsEntry("code", "insufficient_tokens").containsEntry("bucket", "credits");
        assertThat(number(refused.json().get("required"))).isEqualTo(1000);
        assertThat(number(refused.json().get("available"))).isEqualTo(10);
    }

    @Test
    @SuppressWarnings("unchecked")
    void balanceAndTransactions_reflectTheDebits_newestFirst() {
        String owner = token("e2e-history", "wallet:read");
        open("e2e-history", owner);
        String firstDebit = (String) debit("e2e-history", "d-1", "{\"operation\":\"ai_chat\"}").json().get("transactionId");
        String secondDebit = (String) debit("e2e-history", "d-2", "{\"operation\":\"group_practice_join\"}").json().get("transactionId");

        LocalApi.Reply balance = api.get("/v1/accounts/e2e-history/balance", owner);
        LocalApi.Reply history = api.get("/v1/accounts/e2e-history/transactions", owner);
        LocalApi.Reply firstPage = api.get("/v1/accounts/e2e-history/transactions?limit=1", owner);

        assertThat(balance.status()).isEqualTo(200);
        assertThat(number(credits(balance).get("available"))).isEqualTo(10 - 1 - 3);
        assertThat(history.status()).isEqualTo(200);
        List<Map<String, Object>> items = (List<Map<String, Object>>) history.json().get("items");
        assertThat(items).extracting(item -> item.get("type")).containsExactly("debit", "debit", "signup_grant");
        assertThat(items).extracting(item -> item.get("transactionId")).startsWith(secondDebit, firstDebit);
        assertThat(number(items.get(0).get("amount"))).isEqualTo(-3);
        assertThat((List<?>) firstPage.json().get("items")).hasSize(1);
        assertThat(firstPage.json()).containsKey("nextCursor");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGrantedLot_isListed_inBurnDownOrder_andTheDebitReceiptNamesTheLotsItConsumed() {
        String owner = token("e2e-lots", "wallet:read");
        open("e2e-lots", owner);
        String admin = token("ops", "wallet:admin");
        LocalApi.Reply grant = api.request("POST", "/admin/accounts/e2e-lots/grants").token(admin).idempotencyKey("lot-1")
                .json("{\"bucket\":\"credits\",\"amount\":4,\"reason\":\"promo\",\"priority\":10,"
                        + "\"expiresAt\":\"2999-01-01T00:00:00Z\",\"costBasis\":0.25}").send();
        assertThat(grant.status()).isEqualTo(201);

        LocalApi.Reply lots = api.get("/v1/accounts/e2e-lots/lots", owner);
        LocalApi.Reply receipt = debit("e2e-lots", "lots-d1", "{\"bucket\":\"credits\",\"amount\":6,\"description\":\"six\"}");

        assertThat(lots.status()).isEqualTo(200);
        List<Map<String, Object>> items = (List<Map<String, Object>>) lots.json().get("items");
        assertThat(items).extracting(i -> i.get("source")).containsExactly("grant", "purchase");
        assertThat(items.getFirst()).containsEntry("priority", 10).containsEntry("expiresAt", "2999-01-01T00:00:00Z")
                .containsEntry("reference", "promo");
        assertThat(number(items.getFirst().get("remaining"))).isEqualTo(4);
        assertThat(items.get(1)).containsEntry("lotId", "purchased:credits").doesNotContainKey("expiresAt");
        assertThat(receipt.status()).isEqualTo(201);
        List<Map<String, Object>> consumed = (List<Map<String, Object>>) receipt.json().get("consumed");
        assertThat(consumed).extracting(c -> c.get("lotId")).containsExactly(items.getFirst().get("lotId"), "purchased:credits");
        assertThat(consumed).extracting(c -> number(c.get("amount"))).containsExactly(4L, 2L);
        assertThat(((Number) consumed.getFirst().get("costBasis")).doubleValue()).isEqualTo(0.25);
        assertThat((List<?>) api.get("/v1/accounts/e2e-lots/lots", owner).json().get("items")).hasSize(1);
    }

    @Test
    void pathParameters_arePercentDecoded() {
        LocalApi.Reply created = open("carol%40example.com", backend());

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json()).containsEntry("accountId", "carol@example.com");
    }

    @Test
    void theOpenApiDocument_isServedWithoutAToken_asBundled() {
        LocalApi.Reply document = api.request("GET", "/openapi.yaml").send();
        LocalApi.Reply post = api.request("POST", "/openapi.yaml").send();

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.header("content-type")).startsWith("application/yaml");
        assertThat(document.body()).startsWith("openapi: 3.1").isEqualTo(new String(ApiDocument.bundled(), StandardCharsets.UTF_8));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void requestWithoutToken_is401() {
        LocalApi.Reply reply = api.request("GET", "/v1/catalog").offContract("no Authorization header").send();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("content-type")).startsWith("application/problem+json");
        assertThat(reply.json()).containsEntry("code", "unauthenticated");
    }

    @Test
    void expiredOrForeignTokens_are401() {
        LocalTokens yesterday = tokens.withClock(Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC));
        String expired = yesterday.mint("alice", List.of("wallet:read"), Duration.ofMinutes(5));
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);
        String foreign = new LocalTokens(otherKey, Clock.systemUTC()).mint("alice", List.of("wallet:read"), Duration.ofMinutes(5));

        assertThat(api.get("/v1/catalog", expired).status()).isEqualTo(401);
        assertThat(api.get("/v1/catalog", foreign).status()).isEqualTo(401);
        assertThat(api.get("/v1/catalog", "not-a-jwt").json()).containsEntry("code", "unauthenticated");
    }

    @Test
    void tokenWithoutTheRoutesScopes_is403() {
        open("e2e-scopes", backend());

        LocalApi.Reply readerDebits = api.request("POST", "/v1/accounts/e2e-scopes/debits").token(token("e2e-scopes", "wallet:read"))
                .idempotencyKey("k").json("{\"operation\":\"ai_chat\"}").send();
        LocalApi.Reply unknownScope = api.get("/v1/catalog", token("e2e-scopes", "profile"));

        assertThat(readerDebits.status()).isEqualTo(403);
        assertThat(readerDebits.header("content-type")).startsWith("application/problem+json");
        assertThat(readerDebits.json()).containsEntry("code", "forbidden");
        assertThat(unknownScope.status()).isEqualTo(403);
    }

    @Test
    void readToken_reachesItsOwnAccountOnly_asTheFunctionDecides() {
        open("e2e-owner", backend());

        LocalApi.Reply other = api.get("/v1/accounts/e2e-owner/balance", token("someone-else", "wallet:read"));

        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json()).containsEntry("code", "forbidden");
    }

    @Test
    void unknownPath_is404_andWrongMethod_is405() {
        LocalApi.Reply unknown = api.request("GET", "/v1/nothing-here").token(token("alice", "wallet:read"))
                .offContract("a path the API does not have").send();
        LocalApi.Reply wrongMethod = api.request("DELETE", "/v1/catalog").token(token("alice", "wallet:read"))
                .offContract("a method the path does not take").send();

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("content-type")).startsWith("application/problem+json");
        assertThat(unknown.json()).containsEntry("code", "route_not_found");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("allow")).as("HEAD wherever GET is (issue 19)").isEqualTo("GET, HEAD");
    }

    @Test
    void oversizedBodies_are413_atTheGateway_andInTheFunction() {
        open("e2e-large", backend());
        String quotes = "/v1/accounts/e2e-large/quotes";
        byte[] overGatewayLimit = new byte[200 * 1024];
        Arrays.fill(overGatewayLimit, (byte) 'a');
        String overFunctionLimit = "{\"operation\":\"ai_chat\",\"params\":{\"x\":\"" + "a".repeat(64 * 1024) + "\"}}";

        LocalApi.Reply atGateway = api.request("POST", quotes).token(backend()).bytes(overGatewayLimit, "application/json")
                .offContract("200 KiB of 'a', not JSON").send();
        LocalApi.Reply inFunction = api.request("POST", quotes).token(backend())
                .bytes(overFunctionLimit.getBytes(StandardCharsets.UTF_8), "application/json")
                .offContract("a body over 64 KiB").send();

        assertThat(overFunctionLimit.length()).isBetween(64 * 1024 + 1, HttpGateway.MAX_BODY_BYTES);
        assertThat(atGateway.status()).isEqualTo(413);
        assertThat(atGateway.json()).containsEntry("code", "payload_too_large");
        assertThat(inFunction.status()).isEqualTo(413);
        assertThat(inFunction.json()).containsEntry("code", "payload_too_large");
    }

    @Test
    void nonJsonBody_reachesTheFunctionAsBase64_andIsRefusedWith415() {
        open("e2e-binary", backend());

        LocalApi.Reply reply = api.request("POST", "/v1/accounts/e2e-binary/quotes").token(backend())
                .bytes("{\"operation\":\"ai_chat\"}".getBytes(StandardCharsets.UTF_8), "application/octet-stream")
                .offContract("a body that is not application/json").send();

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.json()).containsEntry("code", "unsupported_media_type");
    }

    @Test
    void holdThenCaptureLess_andDebitThenRefund_overHttp() {
        String account = "e2e-metering";
        assertThat(open(account, backend()).status()).isEqualTo(201);

        LocalApi.Reply hold = api.request("POST", "/v1/accounts/" + account + "/holds").token(backend()).idempotencyKey("h-1")
                .json("{\"bucket\":\"credits\",\"amount\":5,\"description\":\"render\",\"ttlSeconds\":600}").send();
        assertThat(hold.status()).isEqualTo(201);
        assertThat(hold.json()).containsEntry("status", "pending").containsEntry("amount", 5);
        String holdId = (String) hold.json().get("holdId");
        assertThat(number(credits(api.get("/v1/accounts/" + account + "/balance", backend())).get("held"))).isEqualTo(5);

        LocalApi.Reply capture = api.request("POST", "/v1/accounts/" + account + "/holds/" + holdId + "/capture").token(backend())
                .idempotencyKey("c-1").json("{\"amount\":3}").send();
        assertThat(capture.status()).isEqualTo(200);
        assertThat(capture.json()).containsEntry("captured", 3).containsEntry("released", 2).containsEntry("status", "captured");
        LocalApi.Reply again = api.request("POST", "/v1/accounts/" + account + "/holds/" + holdId + "/release").token(backend())
                .idempotencyKey("r-1").send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json()).containsEntry("code", "hold_already_resolved");

        LocalApi.Reply charged = debit(account, "d-1", "{\"bucket\":\"credits\",\"amount\":4,\"description\":\"interview\"}");
        assertThat(charged.status()).isEqualTo(201);
        String transactionId = (String) charged.json().get("transactionId");
        LocalApi.Reply refund = api.request("POST", "/v1/accounts/" + account + "/refunds").token(backend()).idempotencyKey("rf-1")
                .json("{\"transactionId\":\"" + transactionId + "\",\"reason\":\"crashed\"}").send();
        assertThat(refund.status()).isEqualTo(201);
        assertThat(refund.json()).containsEntry("amount", 4).containsEntry("refundedTotal", 4);
        LocalApi.Reply tooMuch = api.request("POST", "/v1/accounts/" + account + "/refunds").token(backend()).idempotencyKey("rf-2")
                .json("{\"transactionId\":\"" + transactionId + "\",\"amount\":1,\"reason\":\"again\"}").send();
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(tooMuch.json()).containsEntry("code", "refund_exceeds_charge");

        Map<String, Object> credits = credits(api.get("/v1/accounts/" + account + "/balance", backend()));
        assertThat(number(credits.get("held"))).isZero();
        assertThat(number(credits.get("available"))).isEqualTo(10 - 3);
        LocalApi.Reply readOnly = api.request("POST", "/v1/accounts/" + account + "/holds").token(token(account, "wallet:read"))
                .idempotencyKey("h-2").json("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"x\"}").send();
        assertThat(readOnly.status()).isEqualTo(403);
    }
}
