package com.tokenwallet.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.domain.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests against the refund function's routes, POST .../holds/{holdId}/release and POST .../refunds:
 * each refused with its exact 4xx status and problem code (SPEC 3.5) as application/problem+json, naming the
 * failing field for a 400, never a 5xx, and changing no item of the table.
 *
 * <p>The victim account has: a debit of 3 refunded by 1 ({@code partly}), a debit of 2 refunded in full
 * ({@code fully}), a released hold, a captured hold, a pending hold, and of course its signup grant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefundHostileInputTest {

    private static final String VICTIM = "victim";
    private static final String OTHER = "bystander";
    private static final String BACKEND = "backend";
    private static final String CHARGE = "wallet:charge";
    private static final String INVALID = "invalid_request";
    private static final String RELEASE = RefundHandler.RELEASE;
    private static final String REFUNDS = RefundHandler.REFUNDS;
    private static final String UNKNOWN_HOLD = "hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V";
    private static final String UNKNOWN_TX = "tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V";

    private TestWallet wallet;
    private RefundHandler refund;
    private CheckHandler check;
    private List<Map<String, Object>> initialItems;

    // Filled in by the set-up; the cases read them when they run, through the suppliers.
    private static String partly;
    private static String fully;
    private static String fullRefund;
    private static String grant;
    private static String holdEntry;
    private static String othersDebit;
    private static String releasedHold;
    private static String capturedHold;
    private static String pendingHold;
    private static final String USED_REFUND_KEY = "victim-refund-partly";
    private static final String USED_CAPTURE_KEY = "victim-capture";

    record Case(String route, Supplier<ApiEvents> request, int status, String code, String field) {
    }

    @BeforeAll
    void startWallet() {
        wallet = new TestWallet();
        DebitHandler debit = wallet.handler(DebitHandler::new);
        refund = wallet.handler(RefundHandler::new);
        check = wallet.handler(CheckHandler::new);
        Api.open(debit, VICTIM);
        Api.open(debit, OTHER);
        partly = Api.debited(debit, VICTIM, "victim-debit-3", 3);
        assertThat(Api.refund(refund, VICTIM, USED_REFUND_KEY, Api.refundBody(partly, 1L)).getStatusCode()).isEqualTo(201);
        fully = Api.debited(debit, VICTIM, "victim-debit-2", 2);
        APIGatewayV2HTTPResponse full = Api.refund(refund, VICTIM, "victim-refund-fully", Api.refundBody(fully, null));
        assertThat(full.getStatusCode()).isEqualTo(201);
        fullRefund = Api.string(full, "refundId");
        releasedHold = Api.held(debit, VICTIM, "victim-hold-released", 1, 3600);
        assertThat(Api.release(refund, VICTIM, releasedHold, "victim-release").getStatusCode()).isEqualTo(200);
        capturedHold = Api.held(debit, VICTIM, "victim-hold-captured", 1, 3600);
        assertThat(Api.capture(debit, VICTIM, capturedHold, USED_CAPTURE_KEY, null).getStatusCode()).isEqualTo(200);
        pendingHold = Api.held(debit, VICTIM, "victim-hold-pending", 2, 3600);
        List<Map<String, Object>> ledger = Api.ledger(check, VICTIM);
        grant = (String) ledger.stream().filter(e -> "signup_grant".equals(e.get("type"))).findFirst().orElseThrow().get("transactionId");
        holdEntry = (String) ledger.stream().filter(e -> "hold".equals(e.get("type"))).findFirst().orElseThrow().get("transactionId");
        othersDebit = Api.debited(debit, OTHER, "other-debit", 1);
        initialItems = wallet.items();
    }

    @AfterAll
    void stopWallet() {
        if (wallet != null) {
            wallet.close();
        }
    }

    // ---------------------------------------------------------------- request builders

    private static String key() {
        return "hostile-" + UUID.randomUUID();
    }

    private static Supplier<ApiEvents> release(Supplier<String> holdId) {
        return () -> ApiEvents.route(RELEASE).account(VICTIM).pathParameter("holdId", holdId.get()).caller(BACKEND, CHARGE).idempotencyKey(key());
    }

    private static Supplier<ApiEvents> releaseOf(String holdId) {
        return release(() -> holdId);
    }

    private static Supplier<ApiEvents> releaseOn(String accountId, Supplier<String> holdId) {
        return () -> ApiEvents.route(RELEASE).account(accountId).pathParameter("holdId", holdId.get()).caller(BACKEND, CHARGE).idempotencyKey(key());
    }

    /** A release of the pending hold with a body (and content type; null for none). */
    private static Supplier<ApiEvents> releaseWithBody(String contentType, String body) {
        return () -> {
            ApiEvents e = ApiEvents.route(RELEASE).account(VICTIM).pathParameter("holdId", pendingHold).caller(BACKEND, CHARGE).idempotencyKey(key());
            if (contentType != null) {
                e.header("content-type", contentType);
            }
            return e.rawBody(body, false);
        };
    }

    private static Supplier<ApiEvents> releaseWithKey(String idempotencyKey) {
        return () -> {
            ApiEvents e = ApiEvents.route(RELEASE).account(VICTIM).pathParameter("holdId", pendingHold).caller(BACKEND, CHARGE);
            return idempotencyKey == null ? e : e.idempotencyKey(idempotencyKey);
        };
    }

    private static Supplier<ApiEvents> refundJson(Supplier<String> json) {
        return () -> ApiEvents.route(REFUNDS).account(VICTIM).caller(BACKEND, CHARGE).idempotencyKey(key()).json(json.get());
    }

    private static Supplier<ApiEvents> refundJson(String json) {
        return refundJson(() -> json);
    }

    private static Supplier<ApiEvents> refundOf(Supplier<String> tx, String amountJson) {
        return refundJson(() -> "{\"transactionId\":\"" + tx.get() + "\"" + (amountJson == null ? "" : ",\"amount\":" + amountJson)
                + ",\"reason\":\"hostile\"}");
    }

    private static Supplier<ApiEvents> refundWithReason(String reasonJson) {
        return refundJson(() -> "{\"transactionId\":\"" + partly + "\",\"amount\":1,\"reason\":" + reasonJson + "}");
    }

    private static Supplier<ApiEvents> refundRaw(String accountId, String contentType, String body, String idempotencyKey) {
        return () -> {
            ApiEvents e = ApiEvents.route(REFUNDS).account(accountId).caller(BACKEND, CHARGE);
            if (idempotencyKey != null) {
                e.idempotencyKey(idempotencyKey);
            }
            if (contentType != null) {
                e.header("content-type", contentType);
            }
            return e.rawBody(body, false);
        };
    }

    private static Supplier<String> validRefundBody() {
        return () -> Api.refundBody(partly, 1L);
    }

    // ---------------------------------------------------------------- the corpus

    static Stream<Named<Case>> cases() {
        List<Named<Case>> c = new ArrayList<>();

        // --- release: the hold id in the path
        add(c, "release: hold id not a hold id", RELEASE, releaseOf("nope"), 400, INVALID, "holdId");
        add(c, "release: hold id empty", RELEASE, releaseOf(""), 400, INVALID, "holdId");
        add(c, "release: hold id with 25 characters of ULID", RELEASE, releaseOf("hold_01J8ZQ5M3G7X2K4N6P8R0S2T4"), 400, INVALID, "holdId");
        add(c, "release: hold id with 27 characters of ULID", RELEASE, releaseOf("hold_01J8ZQ5M3G7X2K4N6P8R0S2T4VW"), 400, INVALID, "holdId");
        add(c, "release: hold id in lower case", RELEASE, releaseOf("hold_01j8zq5m3g7x2k4n6p8r0s2t4v"), 400, INVALID, "holdId");
        add(c, "release: hold id with a letter ULIDs never use (U)", RELEASE, releaseOf("hold_01J8ZQ5M3G7X2K4N6P8R0S2T4U"), 400, INVALID, "holdId");
        add(c, "release: hold id with a path traversal", RELEASE, releaseOf("hold_../../ACCOUNT"), 400, INVALID, "holdId");
        add(c, "release: hold id that is a key of the table", RELEASE, releaseOf("HOLD#" + UNKNOWN_HOLD), 400, INVALID, "holdId");
        add(c, "release: hold id with a trailing newline", RELEASE, releaseOf(UNKNOWN_HOLD + "\n"), 400, INVALID, "holdId");
        add(c, "release: a transaction id as hold id", RELEASE, releaseOf(UNKNOWN_TX), 400, INVALID, "holdId");
        add(c, "release: hold id of 1000 characters", RELEASE, releaseOf("hold_" + "A".repeat(995)), 400, INVALID, "holdId");
        add(c, "release: hold id missing from the path", RELEASE,
                () -> ApiEvents.route(RELEASE).account(VICTIM).caller(BACKEND, CHARGE).idempotencyKey(key()), 400, INVALID, "holdId");
        add(c, "release: hold that does not exist", RELEASE, releaseOf(UNKNOWN_HOLD), 404, "hold_not_found", null);
        add(c, "release: another account's path for the victim's hold", RELEASE, releaseOn(OTHER, () -> pendingHold), 404, "hold_not_found", null);
        add(c, "release: account that does not exist", RELEASE, releaseOn("ghost", () -> pendingHold), 404, "account_not_found", null);
        add(c, "release: account id with bad characters", RELEASE, releaseOn("victim;drop", () -> pendingHold), 400, INVALID, "accountId");
        add(c, "release: account id of 129 characters", RELEASE, releaseOn("a".repeat(129), () -> pendingHold), 400, INVALID, "accountId");

        // --- release: the hold's state
        add(c, "release: a released hold", RELEASE, release(() -> releasedHold), 409, "hold_already_resolved", null);
        add(c, "release: a captured hold", RELEASE, release(() -> capturedHold), 409, "hold_already_resolved", null);

        // --- release: body, media type and key
        add(c, "release: a body with an amount", RELEASE, releaseWithBody("application/json", "{\"amount\":1}"), 400, INVALID, "amount");
        add(c, "release: a body with a reason", RELEASE, releaseWithBody("application/json", "{\"reason\":\"x\"}"), 400, INVALID, "reason");
        add(c, "release: a body naming another hold", RELEASE,
                releaseWithBody("application/json", "{\"holdId\":\"" + UNKNOWN_HOLD + "\"}"), 400, INVALID, "holdId");
        add(c, "release: a top-level array", RELEASE, releaseWithBody("application/json", "[]"), 400, INVALID, "body");
        add(c, "release: malformed JSON", RELEASE, releaseWithBody("application/json", "{\"a\":"), 400, INVALID, "body");
        add(c, "release: trailing garbage", RELEASE, releaseWithBody("application/json", "{} x"), 400, INVALID, "body");
        add(c, "release: a body as text/plain", RELEASE, releaseWithBody("text/plain", "{}"), 415, "unsupported_media_type", null);
        add(c, "release: a body over 64 KiB", RELEASE,
                releaseWithBody("application/json", "{\"x\":\"" + "x".repeat(70_000) + "\"}"), 413, "payload_too_large", null);
        add(c, "release: Idempotency-Key missing", RELEASE, releaseWithKey(null), 400, INVALID, "Idempotency-Key");
        add(c, "release: Idempotency-Key empty", RELEASE, releaseWithKey(""), 400, INVALID, "Idempotency-Key");
        add(c, "release: Idempotency-Key of 256 characters", RELEASE, releaseWithKey("k".repeat(256)), 400, INVALID, "Idempotency-Key");
        add(c, "release: Idempotency-Key with a newline", RELEASE, releaseWithKey("k\nX: 1"), 400, INVALID, "Idempotency-Key");
        add(c, "release: the key of the victim's capture", RELEASE, releaseWithKey(USED_CAPTURE_KEY), 409, "idempotency_key_reused", null);

        // --- refunds: what is refunded
        add(c, "refunds: unknown transaction", REFUNDS, refundOf(() -> UNKNOWN_TX, null), 404, "transaction_not_found", null);
        add(c, "refunds: another account's transaction", REFUNDS, refundOf(() -> othersDebit, null), 404, "transaction_not_found", null);
        add(c, "refunds: the signup grant", REFUNDS, refundOf(() -> grant, null), 409, "transaction_not_refundable", null);
        add(c, "refunds: a refund", REFUNDS, refundOf(() -> fullRefund, null), 409, "transaction_not_refundable", null);
        add(c, "refunds: a hold entry", REFUNDS, refundOf(() -> holdEntry, null), 409, "transaction_not_refundable", null);
        add(c, "refunds: more than is left (3 charged, 1 refunded, 3 asked)", REFUNDS, refundOf(() -> partly, "3"), 409, "refund_exceeds_charge", null);
        add(c, "refunds: anything of a fully refunded debit", REFUNDS, refundOf(() -> fully, "1"), 409, "refund_exceeds_charge", null);
        add(c, "refunds: the rest of a fully refunded debit", REFUNDS, refundOf(() -> fully, null), 409, "refund_exceeds_charge", null);
        add(c, "refunds: Limits.MAX_AMOUNT_TOKENS", REFUNDS, refundOf(() -> partly, String.valueOf(Limits.MAX_AMOUNT_TOKENS)), 409, "refund_exceeds_charge", null);

        // --- refunds: the transaction id
        add(c, "refunds: transactionId missing", REFUNDS, refundJson("{\"amount\":1,\"reason\":\"x\"}"), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId null", REFUNDS, refundJson("{\"transactionId\":null,\"reason\":\"x\"}"), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId a number", REFUNDS, refundJson("{\"transactionId\":42,\"reason\":\"x\"}"), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId not an id", REFUNDS, refundOf(() -> "tx_123", null), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId in lower case", REFUNDS, refundOf(() -> UNKNOWN_TX.toLowerCase(java.util.Locale.ROOT), null), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId that is a hold id", REFUNDS, refundOf(() -> UNKNOWN_HOLD, null), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId with a table key", REFUNDS, refundOf(() -> "TX#" + UNKNOWN_TX, null), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId of 65 characters", REFUNDS, refundOf(() -> "tx_" + "A".repeat(62), null), 400, INVALID, "transactionId");
        add(c, "refunds: transactionId an array", REFUNDS, refundJson(() -> "{\"transactionId\":[\"" + partly + "\"],\"reason\":\"x\"}"), 400, INVALID, "transactionId");

        // --- refunds: the amount
        add(c, "refunds: amount 0", REFUNDS, refundOf(() -> partly, "0"), 400, INVALID, "amount");
        add(c, "refunds: amount negative", REFUNDS, refundOf(() -> partly, "-1"), 400, INVALID, "amount");
        add(c, "refunds: amount Long.MIN_VALUE", REFUNDS, refundOf(() -> partly, String.valueOf(Long.MIN_VALUE)), 400, INVALID, "amount");
        add(c, "refunds: amount fractional", REFUNDS, refundOf(() -> partly, "1.5"), 400, INVALID, "amount");
        add(c, "refunds: amount 1.0", REFUNDS, refundOf(() -> partly, "1.0"), 400, INVALID, "amount");
        add(c, "refunds: amount as a string", REFUNDS, refundOf(() -> partly, "\"1\""), 400, INVALID, "amount");
        add(c, "refunds: amount as a boolean", REFUNDS, refundOf(() -> partly, "true"), 400, INVALID, "amount");
        add(c, "refunds: amount beyond 64 bits", REFUNDS, refundOf(() -> partly, "99999999999999999999"), 400, INVALID, "amount");
        add(c, "refunds: amount Limits.MAX_AMOUNT_TOKENS + 1", REFUNDS, refundOf(() -> partly, String.valueOf(Limits.MAX_AMOUNT_TOKENS + 1)), 400, INVALID, "amount");
        add(c, "refunds: amount NaN", REFUNDS, refundOf(() -> partly, "NaN"), 400, INVALID, "body");

        // --- refunds: the reason
        add(c, "refunds: reason missing", REFUNDS, refundJson(() -> "{\"transactionId\":\"" + partly + "\",\"amount\":1}"), 400, INVALID, "reason");
        add(c, "refunds: reason null", REFUNDS, refundWithReason("null"), 400, INVALID, "reason");
        add(c, "refunds: reason empty", REFUNDS, refundWithReason("\"\""), 400, INVALID, "reason");
        add(c, "refunds: reason blank", REFUNDS, refundWithReason("\"   \""), 400, INVALID, "reason");
        add(c, "refunds: reason of 257 characters", REFUNDS,
                refundWithReason("\"" + "r".repeat(Limits.MAX_REASON_LENGTH + 1) + "\""), 400, INVALID, "reason");
        add(c, "refunds: reason of 10000 characters", REFUNDS, refundWithReason("\"" + "r".repeat(10_000) + "\""), 400, INVALID, "reason");
        add(c, "refunds: reason with a newline", REFUNDS, refundWithReason("\"job\\nfailed\""), 400, INVALID, "reason");
        add(c, "refunds: reason with a NUL", REFUNDS, refundWithReason("\"job\\u0000\""), 400, INVALID, "reason");
        add(c, "refunds: reason a number", REFUNDS, refundWithReason("42"), 400, INVALID, "reason");
        add(c, "refunds: reason an object", REFUNDS, refundWithReason("{\"text\":\"x\"}"), 400, INVALID, "reason");

        // --- refunds: the body
        add(c, "refunds: unknown field bucket", REFUNDS,
                refundJson(() -> "{\"transactionId\":\"" + partly + "\",\"reason\":\"x\",\"bucket\":\"credits\"}"), 400, INVALID, "bucket");
        add(c, "refunds: unknown field refundedTotal", REFUNDS,
                refundJson(() -> "{\"transactionId\":\"" + partly + "\",\"reason\":\"x\",\"refundedTotal\":0}"), 400, INVALID, "refundedTotal");
        add(c, "refunds: unknown field accountId", REFUNDS,
                refundJson(() -> "{\"transactionId\":\"" + partly + "\",\"reason\":\"x\",\"accountId\":\"" + OTHER + "\"}"), 400, INVALID, "accountId");
        add(c, "refunds: empty object", REFUNDS, refundJson("{}"), 400, INVALID, "transactionId");
        add(c, "refunds: empty body", REFUNDS, refundJson(""), 400, INVALID, "body");
        add(c, "refunds: top-level array", REFUNDS, refundJson(() -> "[" + Api.refundBody(partly, 1L) + "]"), 400, INVALID, "body");
        add(c, "refunds: malformed JSON", REFUNDS, refundJson("{\"transactionId\":"), 400, INVALID, "body");
        add(c, "refunds: duplicate amount", REFUNDS,
                refundJson(() -> "{\"transactionId\":\"" + partly + "\",\"amount\":1,\"amount\":2,\"reason\":\"x\"}"), 400, INVALID, "body");
        add(c, "refunds: trailing garbage", REFUNDS, refundJson(() -> Api.refundBody(partly, 1L) + " x"), 400, INVALID, "body");
        add(c, "refunds: two concatenated objects", REFUNDS, refundJson(() -> Api.refundBody(partly, 1L) + Api.refundBody(partly, 1L)), 400, INVALID, "body");
        add(c, "refunds: content-type text/plain", REFUNDS, () -> refundRaw(VICTIM, "text/plain", validRefundBody().get(), key()).get(),
                415, "unsupported_media_type", null);
        add(c, "refunds: no content-type", REFUNDS, () -> refundRaw(VICTIM, null, validRefundBody().get(), key()).get(),
                415, "unsupported_media_type", null);
        add(c, "refunds: body over 64 KiB", REFUNDS, refundJson("{\"reason\":\"" + "x".repeat(70_000) + "\"}"), 413, "payload_too_large", null);

        // --- refunds: key and account
        add(c, "refunds: Idempotency-Key missing", REFUNDS, () -> refundRaw(VICTIM, "application/json", validRefundBody().get(), null).get(),
                400, INVALID, "Idempotency-Key");
        add(c, "refunds: Idempotency-Key non-ASCII", REFUNDS, () -> refundRaw(VICTIM, "application/json", validRefundBody().get(), "clé").get(),
                400, INVALID, "Idempotency-Key");
        add(c, "refunds: the key of an earlier refund with another amount", REFUNDS,
                () -> refundRaw(VICTIM, "application/json", Api.refundBody(partly, 2L), USED_REFUND_KEY).get(), 409, "idempotency_key_reused", null);
        add(c, "refunds: account id with bad characters", REFUNDS, () -> refundRaw("<script>", "application/json", validRefundBody().get(), key()).get(),
                400, INVALID, "accountId");
        add(c, "refunds: account id empty", REFUNDS, () -> refundRaw("", "application/json", validRefundBody().get(), key()).get(),
                400, INVALID, "accountId");
        add(c, "refunds: route key the refund function does not serve", REFUNDS,
                () -> ApiEvents.route("POST /v1/accounts/{accountId}/debits").account(VICTIM).caller(BACKEND, CHARGE).idempotencyKey(key())
                        .json(Api.credits(1)), 404, "route_not_found", null);
        return c.stream();
    }

    /**
     * SPEC 1: unknown accounts answer 404, and every other route says {@code account_not_found}; a refund on an
     * account that does not exist says {@code transaction_not_found} instead (WalletService.refund reads the
     * transaction before it ever looks at the account).
     */
    static Stream<Named<Case>> formerBugCases() {
        List<Named<Case>> c = new ArrayList<>();
        add(c, "refunds: account that does not exist", REFUNDS,
                () -> refundRaw("ghost", "application/json", Api.refundBody(UNKNOWN_TX, null), key()).get(), 404, "account_not_found", null);
        return c.stream();
    }

    private static void add(List<Named<Case>> c, String name, String route, Supplier<ApiEvents> request, int status, String code, String field) {
        c.add(Named.of(name, new Case(route, request, status, code, field)));
    }

    // ---------------------------------------------------------------- the tests

    @Test
    @Order(0)
    void theCorpusCoversBothRoutes() {
        List<Case> all = cases().map(Named::getPayload).toList();
        assertThat(all).extracting(Case::route).contains(RELEASE, REFUNDS);
        assertThat(all).hasSizeGreaterThanOrEqualTo(80);
        assertThat(cases().map(Named::getName).distinct().count()).as("case names are unique").isEqualTo(all.size());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    @Order(1)
    void hostileInputIsRefusedAndChangesNothing(Case hostile) {
        APIGatewayV2HTTPEvent event = hostile.request().get().build();
        List<Map<String, Object>> before = wallet.items();

        APIGatewayV2HTTPResponse response = TestWallet.call(refund, event);

        String body = response.getBody();
        String shown = body == null ? "null" : body.length() > 400 ? body.substring(0, 400) + "..." : body;
        assertThat(response.getStatusCode()).as("no 5xx: %s", shown).isLessThan(500);
        assertThat(response.getStatusCode()).as(shown).isEqualTo(hostile.status());
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        Map<String, Object> problem = TestWallet.body(response);
        assertThat(problem).containsKeys("type", "title", "status", "detail", "code")
                .containsEntry("status", hostile.status())
                .containsEntry("code", hostile.code())
                .containsEntry("type", ApiResponses.PROBLEM_TYPE_BASE + hostile.code());
        assertThat(problem.get("detail")).asString().isNotBlank().hasSizeLessThan(1024);
        if (hostile.field() != null) {
            assertThat(problem).containsEntry("field", hostile.field());
        }
        assertThat(response.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(wallet.items()).as("a refused request changes nothing").containsExactlyInAnyOrderElementsOf(before);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("formerBugCases")
    @Order(1)
    void formerBugs(Case hostile) {
        hostileInputIsRefusedAndChangesNothing(hostile);
    }

    @Test
    @Order(2)
    void afterTheWholeCorpusTheTableIsUnchanged_andTheVictimsStateIsAsSetUp() {
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(initialItems);
        assertThat(Invariants.holdItem(wallet.database, VICTIM, pendingHold).get("status")).isEqualTo("pending");
        // 10 - 3 + 1 (partly) - 2 + 2 (fully) - 1 (captured) = 7, of which 2 held.
        assertThat(Api.bucket(Api.balance(check, VICTIM), "credits")).containsEntry("purchased", 7).containsEntry("held", 2)
                .containsEntry("available", 5);
        Invariants.assertHold(check, wallet.database, VICTIM, java.time.Clock.systemUTC());
        // The refusals used up no key: the pending hold releases, what is left of `partly` refunds.
        assertThat(Api.release(refund, VICTIM, pendingHold, "after-release").getStatusCode()).isEqualTo(200);
        APIGatewayV2HTTPResponse rest = Api.refund(refund, VICTIM, "after-refund", Api.refundBody(partly, null));
        assertThat(rest.getStatusCode()).as(rest.getBody()).isEqualTo(201);
        assertThat(TestWallet.body(rest)).containsEntry("amount", 2).containsEntry("refundedTotal", 3).containsEntry("available", 9);
    }
}
