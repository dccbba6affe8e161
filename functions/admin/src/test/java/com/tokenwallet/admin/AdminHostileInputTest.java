package com.tokenwallet.admin;

import static com.tokenwallet.admin.AdminApi.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests by an admin on every admin route: each is refused with the exact status and code it deserves
 * (SPEC 3.5), as problem+json with the failing {@code field} for a 400, never a 5xx, and none changes any item.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminHostileInputTest {
    private static final String VICTIM = "victim";
    private static final String INVALID = "invalid_request";
    private AdminApi api;

    record Case(String route, Supplier<ApiEvents> request, int status, String code, String field) {
    }

    @BeforeAll
    void start() {
        api = new AdminApi(null);
        api.open(VICTIM, "victim@example.com");
    }

    @AfterAll
    void stop() {
        api.close();
    }

    static Stream<Named<Case>> cases() {
        List<Named<Case>> c = new ArrayList<>();
        String longId = "a".repeat(129);
        // GET /admin/accounts/{accountId}
        add(c, "account: id of 129 characters", AdminHandler.ACCOUNT, () -> asAdmin(AdminHandler.ACCOUNT).account(longId), 400, INVALID, "accountId");
        add(c, "account: id with a wildcard", AdminHandler.ACCOUNT, () -> asAdmin(AdminHandler.ACCOUNT).account("*"), 400, INVALID, "accountId");
        add(c, "account: id with a slash", AdminHandler.ACCOUNT, () -> asAdmin(AdminHandler.ACCOUNT).account("a/b"), 400, INVALID, "accountId");
        add(c, "account: unknown", AdminHandler.ACCOUNT, () -> asAdmin(AdminHandler.ACCOUNT).account("ghost"), 404, "account_not_found", null);
        // GET /admin/accounts/{accountId}/usage?from=&to=&granularity=
        add(c, "credit limit: negative", AdminHandler.CREDIT_LIMIT, () -> creditLimit("credits", "{\"creditLimit\":-1,\"reason\":\"r\"}"),
                400, INVALID, "creditLimit");
        add(c, "credit limit: a fraction", AdminHandler.CREDIT_LIMIT, () -> creditLimit("credits", "{\"creditLimit\":0.5,\"reason\":\"r\"}"),
                400, INVALID, "creditLimit");
        add(c, "credit limit: above 10^9", AdminHandler.CREDIT_LIMIT,
                () -> creditLimit("credits", "{\"creditLimit\":1000000001,\"reason\":\"r\"}"), 400, INVALID, "creditLimit");
        add(c, "credit limit: beyond int64", AdminHandler.CREDIT_LIMIT,
                () -> creditLimit("credits", "{\"creditLimit\":99999999999999999999,\"reason\":\"r\"}"), 400, INVALID, "creditLimit");
        add(c, "credit limit: no reason", AdminHandler.CREDIT_LIMIT, () -> creditLimit("credits", "{\"creditLimit\":1}"), 400, INVALID, "reason");
        add(c, "credit limit: a bucket name with a slash", AdminHandler.CREDIT_LIMIT,
                () -> creditLimit("cred/its", "{\"creditLimit\":1,\"reason\":\"r\"}"), 400, INVALID, "bucket");
        add(c, "credit limit: an unknown bucket", AdminHandler.CREDIT_LIMIT,
                () -> creditLimit("gold", "{\"creditLimit\":1,\"reason\":\"r\"}"), 404, "bucket_not_found", null);
        add(c, "usage: no from", AdminHandler.USAGE, () -> usage("from", null), 400, INVALID, "from");
        add(c, "usage: no to", AdminHandler.USAGE, () -> usage("to", null), 400, INVALID, "to");
        add(c, "usage: from not a date", AdminHandler.USAGE, () -> usage("from", "last week"), 400, INVALID, "from");
        add(c, "usage: from without an offset", AdminHandler.USAGE, () -> usage("from", "2026-11-01T00:00:00"), 400, INVALID, "from");
        add(c, "usage: from on February 30", AdminHandler.USAGE, () -> usage("from", "2026-02-30"), 400, INVALID, "from");
        add(c, "usage: from of 1,000 characters", AdminHandler.USAGE, () -> usage("from", "2".repeat(1_000)), 400, INVALID, "from");
        add(c, "usage: from with SQL", AdminHandler.USAGE, () -> usage("from", "2026-11-01' OR 1=1 --"), 400, INVALID, "from");
        add(c, "usage: to before from", AdminHandler.USAGE, () -> usage("to", "2026-10-01"), 400, INVALID, "to");
        add(c, "usage: to equal to from", AdminHandler.USAGE, () -> usage("to", "2026-11-01"), 400, INVALID, "to");
        add(c, "usage: 93 days", AdminHandler.USAGE, () -> usage("to", "2027-02-02"), 400, INVALID, "to");
        add(c, "usage: granularity week", AdminHandler.USAGE, () -> usage("granularity", "week"), 400, INVALID, "granularity");
        add(c, "usage: granularity DAY", AdminHandler.USAGE, () -> usage("granularity", "DAY"), 400, INVALID, "granularity");
        add(c, "usage: unknown account", AdminHandler.USAGE, () -> asAdmin(AdminHandler.USAGE).account("ghost").query("from", "2026-11-01")
                .query("to", "2026-11-02"), 404, "account_not_found", null);
        add(c, "usage: id with a wildcard", AdminHandler.USAGE, () -> asAdmin(AdminHandler.USAGE).account("*").query("from", "2026-11-01")
                .query("to", "2026-11-02"), 400, INVALID, "accountId");
        // GET /admin/accounts?email= | ?stripeCustomerId=
        add(c, "lookup: neither parameter", AdminHandler.LOOKUP, () -> asAdmin(AdminHandler.LOOKUP), 400, INVALID, "email");
        add(c, "lookup: both parameters", AdminHandler.LOOKUP, () -> asAdmin(AdminHandler.LOOKUP).query("email", "victim@example.com")
                .query("stripeCustomerId", "cus_123"), 400, INVALID, "stripeCustomerId");
        add(c, "lookup: email without @", AdminHandler.LOOKUP, () -> lookup("email", "victim.example.com"), 400, INVALID, "email");
        add(c, "lookup: email empty", AdminHandler.LOOKUP, () -> lookup("email", ""), 400, INVALID, "email");
        add(c, "lookup: email of 255 characters", AdminHandler.LOOKUP, () -> lookup("email", "a".repeat(243) + "@example.com"), 400, INVALID, "email");
        add(c, "lookup: email with a space", AdminHandler.LOOKUP, () -> lookup("email", "vic tim@example.com"), 400, INVALID, "email");
        add(c, "lookup: email with a newline", AdminHandler.LOOKUP, () -> lookup("email", "victim@exa\nmple.com"), 400, INVALID, "email");
        add(c, "lookup: customer without cus_", AdminHandler.LOOKUP, () -> lookup("stripeCustomerId", "sub_123"), 400, INVALID, "stripeCustomerId");
        add(c, "lookup: customer with an injection", AdminHandler.LOOKUP, () -> lookup("stripeCustomerId", "cus_1' OR '1'='1"), 400, INVALID, "stripeCustomerId");
        add(c, "lookup: customer id of 70 characters", AdminHandler.LOOKUP, () -> lookup("stripeCustomerId", "cus_" + "x".repeat(66)), 400, INVALID, "stripeCustomerId");
        // POST grants
        add(c, "grants: no body", AdminHandler.GRANTS, () -> asAdmin(AdminHandler.GRANTS).account(VICTIM), 400, INVALID, "body");
        add(c, "grants: not JSON", AdminHandler.GRANTS, () -> grant("{bucket:credits}"), 400, INVALID, "body");
        add(c, "grants: a JSON array", AdminHandler.GRANTS, () -> grant("[1,2]"), 400, INVALID, "body");
        add(c, "grants: trailing garbage", AdminHandler.GRANTS, () -> grant(GRANT + " x"), 400, INVALID, "body");
        add(c, "grants: text/plain", AdminHandler.GRANTS, () -> asAdmin(AdminHandler.GRANTS).account(VICTIM)
                .header("content-type", "text/plain").json(GRANT), 415, "unsupported_media_type", null);
        add(c, "grants: over 64 KiB", AdminHandler.GRANTS, () -> grant("{\"reason\":\"" + "x".repeat(70_000) + "\"}"), 413, "payload_too_large", null);
        add(c, "grants: unknown field", AdminHandler.GRANTS, () -> grant("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"r\",\"part\":\"allowance\"}"), 400, INVALID, "part");
        add(c, "grants: amount 0", AdminHandler.GRANTS, () -> grant(grantOf("0")), 400, INVALID, "amount");
        add(c, "grants: amount negative", AdminHandler.GRANTS, () -> grant(grantOf("-5")), 400, INVALID, "amount");
        add(c, "grants: amount a fraction", AdminHandler.GRANTS, () -> grant(grantOf("1.5")), 400, INVALID, "amount");
        add(c, "grants: amount a string", AdminHandler.GRANTS, () -> grant(grantOf("\"5\"")), 400, INVALID, "amount");
        add(c, "grants: amount over the limit", AdminHandler.GRANTS, () -> grant(grantOf("1000000001")), 400, INVALID, "amount");
        add(c, "grants: amount beyond 64 bits", AdminHandler.GRANTS, () -> grant(grantOf("99999999999999999999")), 400, INVALID, "amount");
        add(c, "grants: no reason", AdminHandler.GRANTS, () -> grant("{\"bucket\":\"credits\",\"amount\":1}"), 400, INVALID, "reason");
        add(c, "grants: blank reason", AdminHandler.GRANTS, () -> grant("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"   \"}"), 400, INVALID, "reason");
        add(c, "grants: reason of 257 characters", AdminHandler.GRANTS, () -> grant("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"" + "r".repeat(257) + "\"}"), 400, INVALID, "reason");
        add(c, "grants: reason with a control character", AdminHandler.GRANTS, () -> grant("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"a\\u0007b\"}"), 400, INVALID, "reason");
        add(c, "grants: unknown bucket", AdminHandler.GRANTS, () -> grant("{\"bucket\":\"gold\",\"amount\":1,\"reason\":\"r\"}"), 400, INVALID, "bucket");
        add(c, "grants: bucket in capitals", AdminHandler.GRANTS, () -> grant("{\"bucket\":\"CREDITS\",\"amount\":1,\"reason\":\"r\"}"), 400, INVALID, "bucket");
        add(c, "grants: empty Idempotency-Key", AdminHandler.GRANTS, () -> grant(GRANT).idempotencyKey(""), 400, INVALID, "Idempotency-Key");
        add(c, "grants: Idempotency-Key of 256 characters", AdminHandler.GRANTS, () -> grant(GRANT).idempotencyKey("k".repeat(256)), 400, INVALID, "Idempotency-Key");
        add(c, "grants: Idempotency-Key not ASCII", AdminHandler.GRANTS, () -> grant(GRANT).idempotencyKey("clé"), 400, INVALID, "Idempotency-Key");
        add(c, "grants: unknown account", AdminHandler.GRANTS, () -> asAdmin(AdminHandler.GRANTS).account("ghost").json(GRANT), 404, "account_not_found", null);
        add(c, "grants: admin sub of 300 characters", AdminHandler.GRANTS, () -> ApiEvents.route(AdminHandler.GRANTS)
                .caller("s".repeat(300), "wallet:admin").account(VICTIM).json(GRANT), 400, INVALID, "sub");
        // POST adjustments
        add(c, "adjustments: amount 0", AdminHandler.ADJUSTMENTS, () -> adjust("{\"bucket\":\"credits\",\"amount\":0,\"reason\":\"r\"}"), 400, INVALID, "amount");
        add(c, "adjustments: below -1e9", AdminHandler.ADJUSTMENTS, () -> adjust("{\"bucket\":\"credits\",\"amount\":-1000000001,\"reason\":\"r\"}"), 400, INVALID, "amount");
        add(c, "adjustments: part held", AdminHandler.ADJUSTMENTS, () -> adjust("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"r\",\"part\":\"held\"}"), 400, INVALID, "part");
        add(c, "adjustments: part a number", AdminHandler.ADJUSTMENTS, () -> adjust("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"r\",\"part\":1}"), 400, INVALID, "part");
        add(c, "adjustments: below zero", AdminHandler.ADJUSTMENTS, () -> adjust("{\"bucket\":\"credits\",\"amount\":-11,\"reason\":\"r\"}"), 409, "adjustment_below_zero", null);
        add(c, "adjustments: allowance below zero", AdminHandler.ADJUSTMENTS, () -> adjust("{\"bucket\":\"credits\",\"amount\":-1,\"reason\":\"r\",\"part\":\"allowance\"}"), 409, "adjustment_below_zero", null);
        add(c, "adjustments: unknown field", AdminHandler.ADJUSTMENTS, () -> adjust("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"r\",\"held\":1}"), 400, INVALID, "held");
        // POST plan
        add(c, "plan: unknown plan", AdminHandler.PLAN, () -> plan("{\"plan\":\"platinum\",\"resetAllowance\":true}"), 400, INVALID, "plan");
        add(c, "plan: plan in capitals", AdminHandler.PLAN, () -> plan("{\"plan\":\"SOLO\"}"), 400, INVALID, "plan");
        add(c, "plan: no plan", AdminHandler.PLAN, () -> plan("{\"resetAllowance\":true}"), 400, INVALID, "plan");
        add(c, "plan: resetAllowance a string", AdminHandler.PLAN, () -> plan("{\"plan\":\"solo\",\"resetAllowance\":\"yes\"}"), 400, INVALID, "resetAllowance");
        add(c, "plan: resetAllowance a number", AdminHandler.PLAN, () -> plan("{\"plan\":\"solo\",\"resetAllowance\":1}"), 400, INVALID, "resetAllowance");
        add(c, "plan: unknown field", AdminHandler.PLAN, () -> plan("{\"plan\":\"solo\",\"period\":\"2030-01\"}"), 400, INVALID, "period");
        add(c, "plan: reason of 257 characters", AdminHandler.PLAN, () -> plan("{\"plan\":\"solo\",\"reason\":\"" + "r".repeat(257) + "\"}"), 400, INVALID, "reason");
        // GET owed payments, POST settle (issue 19 item 3)
        add(c, "owed: unknown account", AdminHandler.OWED_PAYMENTS, () -> asAdmin(AdminHandler.OWED_PAYMENTS).account("ghost"), 404, "account_not_found", null);
        add(c, "owed: id with a wildcard", AdminHandler.OWED_PAYMENTS, () -> asAdmin(AdminHandler.OWED_PAYMENTS).account("*"), 400, INVALID, "accountId");
        add(c, "settle: unknown payment", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi_ghost", "{\"outcome\":\"refunded\",\"reason\":\"r\"}"), 404, "owed_payment_not_found", null);
        add(c, "settle: payment id with a slash", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi/1", "{\"outcome\":\"refunded\",\"reason\":\"r\"}"), 400, INVALID, "paymentId");
        add(c, "settle: payment id of 256 characters", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("p".repeat(256), "{\"outcome\":\"refunded\",\"reason\":\"r\"}"), 400, INVALID, "paymentId");
        add(c, "settle: unknown outcome", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi_1", "{\"outcome\":\"gift\",\"reason\":\"r\"}"), 400, INVALID, "outcome");
        add(c, "settle: credit without bucket", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi_1", "{\"outcome\":\"credit\",\"tokens\":5,\"reason\":\"r\"}"), 400, INVALID, "bucket");
        add(c, "settle: credit of 0 tokens", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi_1", "{\"outcome\":\"credit\",\"bucket\":\"credits\",\"tokens\":0,\"reason\":\"r\"}"), 400, INVALID, "tokens");
        add(c, "settle: tokens a string", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi_1", "{\"outcome\":\"credit\",\"bucket\":\"credits\",\"tokens\":\"5\",\"reason\":\"r\"}"), 400, INVALID, "tokens");
        add(c, "settle: no reason", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi_1", "{\"outcome\":\"refunded\"}"), 400, INVALID, "reason");
        add(c, "settle: unknown field", AdminHandler.SETTLE_OWED_PAYMENT, () -> settle("pi_1", "{\"outcome\":\"refunded\",\"reason\":\"r\",\"amount\":1}"), 400, INVALID, "amount");
        // GET health
        add(c, "health: limit 0", AdminHandler.HEALTH, () -> health("limit", "0"), 400, INVALID, "limit");
        add(c, "health: limit 1001", AdminHandler.HEALTH, () -> health("limit", "1001"), 400, INVALID, "limit");
        add(c, "health: limit negative", AdminHandler.HEALTH, () -> health("limit", "-1"), 400, INVALID, "limit");
        add(c, "health: limit not a number", AdminHandler.HEALTH, () -> health("limit", "all"), 400, INVALID, "limit");
        add(c, "health: limit beyond 64 bits", AdminHandler.HEALTH, () -> health("limit", "99999999999999999999"), 400, INVALID, "limit");
        add(c, "health: cursor garbage", AdminHandler.HEALTH, () -> health("cursor", "!!!"), 400, INVALID, "cursor");
        add(c, "health: cursor empty", AdminHandler.HEALTH, () -> health("cursor", ""), 400, INVALID, "cursor");
        add(c, "health: cursor of the transactions route", AdminHandler.HEALTH, () -> health("cursor", cursorOf("v1:tx_01ARZ3NDEKTSV4RRFFQ69G5FAV")), 400, INVALID, "cursor");
        add(c, "health: cursor without a key", AdminHandler.HEALTH, () -> health("cursor", cursorOf("h1:ACCOUNT#victim")), 400, INVALID, "cursor");
        add(c, "health: cursor with three key parts", AdminHandler.HEALTH, () -> health("cursor", cursorOf("h1:a\nb\nc")), 400, INVALID, "cursor");
        add(c, "health: cursor of 3001 characters", AdminHandler.HEALTH, () -> health("cursor", "A".repeat(3001)), 400, INVALID, "cursor");
        add(c, "health: cursor not UTF-8", AdminHandler.HEALTH, () -> health("cursor", Base64.getUrlEncoder().encodeToString(new byte[]{'h', '1', ':', (byte) 0xff, '\n', 'x'})), 400, INVALID, "cursor");
        return c.stream();
    }

    private static final String GRANT = "{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"r\"}";

    private static String grantOf(String amount) {
        return "{\"bucket\":\"credits\",\"amount\":" + amount + ",\"reason\":\"r\"}";
    }

    private static ApiEvents lookup(String name, String value) {
        return asAdmin(AdminHandler.LOOKUP).query(name, value);
    }

    private static ApiEvents grant(String json) {
        return asAdmin(AdminHandler.GRANTS).account(VICTIM).json(json);
    }

    private static ApiEvents adjust(String json) {
        return asAdmin(AdminHandler.ADJUSTMENTS).account(VICTIM).json(json);
    }

    private static ApiEvents plan(String json) {
        return asAdmin(AdminHandler.PLAN).account(VICTIM).json(json);
    }

    private static ApiEvents settle(String paymentId, String json) {
        return asAdmin(AdminHandler.SETTLE_OWED_PAYMENT).account(VICTIM).pathParameter("paymentId", paymentId).json(json);
    }

    /** A valid usage request of the victim's November with one parameter changed ({@code null}: left out). */
    private static ApiEvents usage(String name, String value) {
        java.util.Map<String, String> query = new java.util.HashMap<>(java.util.Map.of("from", "2026-11-01", "to", "2026-12-01",
                "granularity", "day"));
        query.put(name, value);
        ApiEvents event = asAdmin(AdminHandler.USAGE).account(VICTIM);
        query.forEach((k, v) -> {
            if (v != null) {
                event.query(k, v);
            }
        });
        return event;
    }

    private static ApiEvents creditLimit(String bucket, String json) {
        return asAdmin(AdminHandler.CREDIT_LIMIT).account(VICTIM).pathParameter("bucket", bucket).json(json);
    }

    private static ApiEvents health(String name, String value) {
        return asAdmin(AdminHandler.HEALTH).query(name, value);
    }

    private static String cursorOf(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void add(List<Named<Case>> c, String name, String route, Supplier<ApiEvents> request, int status, String code, String field) {
        c.add(Named.of(name, new Case(route, request, status, code, field)));
    }

    @Test
    void theCorpusCoversEveryRoute() {
        assertThat(cases().map(n -> n.getPayload().route()).distinct()).containsExactlyInAnyOrderElementsOf(AdminHandler.ROUTES);
        assertThat(cases().count()).isGreaterThanOrEqualTo(50);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void hostileInputIsRefusedAndChangesNothing(Case hostile) {
        List<Map<String, Object>> before = api.wallet.items();

        APIGatewayV2HTTPResponse response = api.call(hostile.request().get());

        String body = response.getBody();
        assertThat(response.getStatusCode()).as("no 5xx: %s", body).isLessThan(500);
        assertThat(response.getStatusCode()).as(body).isEqualTo(hostile.status());
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        Map<String, Object> problem = TestWallet.body(response);
        assertThat(problem).containsKeys("type", "title", "status", "detail", "code").containsEntry("code", hostile.code())
                .containsEntry("type", ApiResponses.PROBLEM_TYPE_BASE + hostile.code());
        if (hostile.field() != null) {
            assertThat(problem).containsEntry("field", hostile.field());
        }
        assertThat(api.wallet.items()).as("a refused request changes nothing").containsExactlyInAnyOrderElementsOf(before);
    }
}
