package com.tokenwallet.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.FakeDynamoDbServer;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every function of template.yaml, started from its shaded jar as Lambda's java21 runtime starts it
 * ({@link LambdaEnvironment}), with the environment the template gives it, its AWS clients built the production way
 * and pointed by the SDK's standard AWS_ENDPOINT_URL_ variables at fakes on 127.0.0.1: functions/dynamodb's
 * {@link FakeDynamoDb} for the table, and {@link FakeEventBridge} and {@link FakeLambdaApi}. One account goes through
 * the functions in order (open, debit, replay, 402, hold; balance; refund, release; the hold sweep; the quota reset's
 * turns and summary as its state machine drives them; an admin read; checkout; the webhook), and each environment's output is checked when it ends: one
 * JSON line per invocation on stdout, nothing but the JVM's own lines on stderr.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedFunctionsTest {
    static final String STACK = "token-wallet-packaged";
    static final String WEBHOOK_SECRET = "whsec_packaged_test_secret";
    static final String EVENT_BUS = STACK + "-wallet";
    /** The account the functions prime themselves on (com.tokenwallet.api.PrimingEvents.ACCOUNT). */
    static final String PRIMING_ACCOUNT = "snapstart-priming-0000000000000000";
    static final List<String> WRITES = List.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem");
    /** What the JVM itself may print on stderr: the options it picked up, and (JDK 22+) its warnings about the
     *  runtime interface client's native library and its use of sun.misc.Unsafe. */
    static final Pattern JVM_LINE = Pattern.compile("^(Picked up JAVA_TOOL_OPTIONS: .*"
            + "|WARNING: A restricted method in java\\.lang\\.System has been called"
            + "|WARNING: java\\.lang\\.System::load has been called by com\\.amazonaws\\.services\\.lambda\\.runtime\\.api\\.client\\..* in an unnamed module.*"
            + "|WARNING: Use --enable-native-access=ALL-UNNAMED to avoid a warning for callers in this module"
            + "|WARNING: Restricted methods will be blocked in a future release unless native access is enabled"
            + "|WARNING: A terminally deprecated method in sun\\.misc\\.Unsafe has been called"
            + "|WARNING: sun\\.misc\\.Unsafe::\\w+ has been called by com\\.amazonaws\\.services\\.lambda\\.runtime\\.api\\.client\\..*"
            + "|WARNING: Please consider reporting this to the maintainers of class com\\.amazonaws\\.services\\.lambda\\.runtime\\.api\\.client\\..*"
            + "|WARNING: sun\\.misc\\.Unsafe::\\w+ will be removed in a future release"
            + "|)$");

    final Path root = Path.of(System.getProperty("repository.root", "../..")).toAbsolutePath().normalize();
    final Path runtimeDir = Path.of(System.getProperty("lambda.runtime.dir", "target/lambda-runtime")).toAbsolutePath();
    final Path workDir = Path.of(System.getProperty("packaged.work.dir", "target/packaged")).toAbsolutePath();

    FakeDynamoDb dynamo;
    FakeDynamoDbServer dynamoServer;
    FakeEventBridge eventBridge;
    FakeLambdaApi lambdaApi;
    Intrinsics intrinsics;
    Map<String, TemplateFunctions.Function> functions;
    Events events;
    Map<String, String> endpoints;
    String table;

    // What one function leaves for the next.
    final String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
    /** An account whose hold nobody touches again, so that only the sweep settles it. */
    final String idleAccount = account + "-idle";
    String debitTransaction;
    String holdToRelease;
    long expiringHoldCreatedMillis;

    @BeforeAll
    void startFakes() {
        dynamo = new FakeDynamoDb();
        table = dynamo.createWalletTable();
        dynamoServer = dynamo.serve();
        eventBridge = new FakeEventBridge();
        lambdaApi = new FakeLambdaApi();
        Map<String, Object> template = TemplateFunctions.read(root);
        intrinsics = new Intrinsics(template, STACK, "us-east-1", "123456789012",
                Map.of("JwtIssuer", "https://issuer.example.com", "JwtAudience", "token-wallet",
                        "StripeWebhookSecret", WEBHOOK_SECRET),
                Map.of("WalletTable", table, "WalletEventBus", EVENT_BUS));
        functions = TemplateFunctions.load(template, root, intrinsics);
        events = new Events(root);
        endpoints = Map.of(
                "AWS_ENDPOINT_URL_DYNAMODB", dynamoServer.endpoint(),
                "AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.endpoint(),
                "AWS_ENDPOINT_URL_LAMBDA", lambdaApi.endpoint());
    }

    @AfterAll
    void stopFakes() {
        lambdaApi.close();
        eventBridge.close();
        dynamoServer.close();
    }

    @Test
    @Order(0)
    void theseTests_coverEveryFunctionOfTheTemplate() {
        assertThat(functions.keySet()).containsExactlyInAnyOrder("CheckFunction", "DebitFunction", "RefundFunction",
                "HoldExpiryFunction", "QuotaResetFunction", "AdminFunction", "CheckoutFunction", "StripeWebhookFunction");
        assertThat(functions.get("DebitFunction").environment())
                .containsEntry("WALLET_TABLE", table)
                .containsEntry("WALLET_EVENT_BUS", EVENT_BUS)
                .containsEntry("WALLET_LOW_BALANCE_THRESHOLDS", "credits=5")
                .containsKey("JAVA_TOOL_OPTIONS");
        assertThat(functions.get("QuotaResetFunction").functionName()).isEqualTo(STACK + "-quota-reset");
    }

    @Test
    @Order(1)
    void debitFunction_opensDebitsReplaysRefusesAndHolds() throws Exception {
        LambdaEnvironment debit = start("DebitFunction");
        try (debit) {
            var opened = debit.invoke(open(account));
            assertThat(opened.status()).isEqualTo(201);
            assertThat(available(opened.body())).isEqualTo(10);

            String debitEvent = events.http("POST /v1/accounts/{accountId}/debits").path("accountId", account)
                    .caller("billing-backend", "wallet:charge").header("Idempotency-Key", "interview-42")
                    .json("{\"operation\":\"text_interview\",\"metadata\":{\"interviewId\":\"42\"}}").build();
            var debited = debit.invoke(debitEvent);
            assertThat(debited.status()).isEqualTo(201);
            debitTransaction = (String) debited.body().get("transactionId");
            assertThat(debitTransaction).startsWith("tx_");

            var replayed = debit.invoke(debitEvent);
            assertThat(replayed.status()).isEqualTo(201);
            assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replayed.body().get("transactionId")).isEqualTo(debitTransaction);

            var refused = debit.invoke(events.http("POST /v1/accounts/{accountId}/debits").path("accountId", account)
                    .caller("billing-backend", "wallet:charge").header("Idempotency-Key", "video-7")
                    .json("{\"operation\":\"video_generation\",\"params\":{\"durationMinutes\":10,\"resolution\":\"1080p\"}}").build());
            assertThat(refused.status()).isEqualTo(402);
            assertThat(refused.header("content-type")).startsWith("application/problem+json");
            assertThat(refused.body()).containsEntry("code", "insufficient_tokens");

            var held = debit.invoke(hold(account, "hold-release", 3, 600));
            assertThat(held.status()).isEqualTo(201);
            holdToRelease = (String) held.body().get("holdId");
            assertThat(debit.invoke(open(idleAccount)).status()).isEqualTo(201);
            var expiring = debit.invoke(hold(idleAccount, "hold-expire", 1, 1));
            assertThat(expiring.status()).isEqualTo(201);
            expiringHoldCreatedMillis = System.currentTimeMillis();
        }
        assertOutput(debit, 0);
        // The debit took credits down to the low-balance line (credits=5): EventBridge's client, built the
        // production way (this is what failed INIT with two SDK versions), sent the event to the fake.
        assertThat(eventBridge.requests()).anySatisfy(r -> {
            assertThat(r.target()).isEqualTo(FakeEventBridge.PUT_EVENTS);
            assertThat(r.body()).contains(EVENT_BUS).contains("wallet.balance.low");
        });
    }

    @Test
    @Order(2)
    void checkFunction_answersTheBalanceAndTheCatalog() throws Exception {
        LambdaEnvironment check = start("CheckFunction");
        try (check) {
            var balance = check.invoke(events.http("GET /v1/accounts/{accountId}/balance").path("accountId", account)
                    .caller(account, "wallet:read").build());
            assertThat(balance.status()).isEqualTo(200);
            // 10 granted, 5 debited, 3 held.
            assertThat(available(balance.body())).isEqualTo(2);
            var catalog = check.invoke(events.http("GET /v1/catalog").caller(account, "wallet:read").build());
            assertThat(catalog.status()).isEqualTo(200);
            assertThat(catalog.body()).containsKey("operations");
        }
        assertOutput(check, 0);
    }

    @Test
    @Order(3)
    void refundFunction_refundsAndReleases() throws Exception {
        LambdaEnvironment refund = start("RefundFunction");
        try (refund) {
            var refunded = refund.invoke(events.http("POST /v1/accounts/{accountId}/refunds").path("accountId", account)
                    .caller("billing-backend", "wallet:charge").header("Idempotency-Key", "interview-42-refund")
                    .json("{\"transactionId\":\"" + debitTransaction + "\",\"amount\":2,\"reason\":\"interview crashed\"}").build());
            assertThat(refunded.status()).isEqualTo(201);
            assertThat(refunded.body()).containsEntry("amount", 2).containsEntry("refundedTotal", 2);

            var released = refund.invoke(events.http("POST /v1/accounts/{accountId}/holds/{holdId}/release")
                    .path("accountId", account).path("holdId", holdToRelease)
                    .caller("billing-backend", "wallet:charge").header("Idempotency-Key", "hold-release-release")
                    .json("{}").build());
            assertThat(released.status()).isEqualTo(200);
            assertThat(released.body()).containsEntry("status", "released");
        }
        assertOutput(refund, 0);
    }

    @Test
    @Order(4)
    void holdExpiryFunction_settlesTheExpiredHoldOnItsSchedule() throws Exception {
        long wait = expiringHoldCreatedMillis + 2_000 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        LambdaEnvironment sweep = start("HoldExpiryFunction");
        try (sweep) {
            var run = sweep.invoke(events.scheduled("arn:aws:events:us-east-1:123456789012:rule/" + STACK + "-EveryMinute"));
            assertThat(run.result().error()).as(run.result().body()).isFalse();
            Map<String, Object> line = StrictJson.object(unquote(run.result().body()));
            assertThat(line).containsEntry("outcome", "ok").containsEntry("HoldsExpired", 1);
        }
        assertOutput(sweep, 0);
    }

    @Test
    @Order(5)
    void quotaResetFunction_takesTheStateMachinesTurns_readingOnlyTheSparseIndex_andSumsThemUp() throws Exception {
        String job = "quota-reset#" + java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        LambdaEnvironment reset = start("QuotaResetFunction");
        List<Map<String, Object>> finished = new ArrayList<>();
        try (reset) {
            dynamo.clearRequests();
            // As infra/statemachines/quota-reset.asl.json drives it: each segment's state in, its cursor and counts out,
            // until done.
            for (int segment = 0; segment < 2; segment++) {
                String state = StrictJson.write(Map.of("action", "segment", "job", job, "segment", segment, "totalSegments", 2));
                Map<String, Object> out = null;
                for (int turn = 0; turn < 20 && (out == null || !Boolean.TRUE.equals(out.get("done"))); turn++) {
                    var worked = reset.invoke(state);
                    assertThat(worked.result().error()).as(worked.result().body()).isFalse();
                    // The handler answers a JSON string: the state machine reads it with States.StringToJson($.Payload).
                    state = unquote(worked.result().body());
                    out = StrictJson.object(state);
                    assertThat(out).containsEntry("action", "segment").containsEntry("job", job).containsEntry("segment", segment);
                }
                assertThat(out).containsEntry("done", true);
                finished.add(out);
            }
            var summary = reset.invoke(StrictJson.write(Map.of("action", "summary", "job", job, "totalSegments", 2, "segments", finished)));
            assertThat(summary.result().error()).as(summary.result().body()).isFalse();
            Map<String, Object> line = StrictJson.object(unquote(summary.result().body()));
            assertThat(line).containsEntry("role", "job").containsEntry("complete", true).containsEntry("segmentsDone", 2)
                    .containsEntry("unfinished", List.of());
            // The test's accounts are in the current month: seen, none due.
            assertThat(((Number) line.get("AccountsSeen")).longValue()).isGreaterThanOrEqualTo(2);
            assertThat(line).containsEntry("AccountsReset", 0);
        }
        // Only the sparse index was scanned (never the table with its ledger), and nothing invoked: no Lambda client.
        assertThat(dynamo.requests("Scan")).isNotEmpty().allSatisfy(r -> assertThat(r.string("IndexName")).isEqualTo("CalendarAccounts"));
        assertThat(lambdaApi.requests()).isEmpty();
        List<Map<String, Object>> lines = assertOutput(reset, 0);
        assertThat(lines).filteredOn(l -> "segment".equals(l.get("role"))).isNotEmpty().allSatisfy(l -> assertThat(l).containsKey("_aws"));
    }

    @Test
    @Order(6)
    void adminFunction_readsTheAccount() throws Exception {
        LambdaEnvironment admin = start("AdminFunction");
        try (admin) {
            var read = admin.invoke(events.http("GET /admin/accounts/{accountId}").path("accountId", account)
                    .caller("operator", "wallet:admin").build());
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().toString()).contains(account);
        }
        assertOutput(admin, 0);
    }

    @Test
    @Order(7)
    void checkoutFunction_withoutStripeConfigured_answers503ProblemJson() throws Exception {
        LambdaEnvironment checkout = start("CheckoutFunction");
        try (checkout) {
            var refused = checkout.invoke(events.http("POST /v1/accounts/{accountId}/checkout-sessions").path("accountId", account)
                    .caller(account, "wallet:read").header("Idempotency-Key", "buy-pro-1")
                    .json("{\"packageId\":\"pro\",\"successUrl\":\"https://app.example.com/paid\",\"cancelUrl\":\"https://app.example.com/cart\"}")
                    .build());
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("content-type")).startsWith("application/problem+json");
            assertThat(refused.body()).containsEntry("code", "stripe_not_configured");
        }
        assertOutput(checkout, 0);
    }

    @Test
    @Order(8)
    void stripeWebhookFunction_refusesAnUnsignedEvent_andAppliesASignedOne() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        var pro = com.tokenwallet.domain.catalog.CatalogLoader.loadDefault().packages().get("pro");
        String event = paidSession("evt_packaged_1", "cs_packaged_1", "pi_packaged_1", now, pro.priceCents(), pro.currency());
        // One cent short of the catalog's price: received, recorded as a mismatch, nothing credited.
        String short1 = paidSession("evt_packaged_2", "cs_packaged_2", "pi_packaged_2", now, pro.priceCents() - 1, pro.currency());
        LambdaEnvironment webhook = start("StripeWebhookFunction");
        try (webhook) {
            var unsigned = webhook.invoke(events.http("POST /webhooks/stripe").json(event).build());
            assertThat(unsigned.status()).isEqualTo(400);
            assertThat(unsigned.body()).containsEntry("code", "invalid_signature");

            var signed = webhook.invoke(events.http("POST /webhooks/stripe").header("Stripe-Signature", signature(event, now))
                    .json(event).build());
            assertThat(signed.status()).isEqualTo(200);
            assertThat(signed.body()).containsEntry("received", true).containsEntry("outcome", "applied");

            var underpaid = webhook.invoke(events.http("POST /webhooks/stripe").header("Stripe-Signature", signature(short1, now))
                    .json(short1).build());
            assertThat(underpaid.status()).isEqualTo(200);
            assertThat(underpaid.body()).containsEntry("received", true).containsEntry("outcome", "payment_mismatch");
        }
        assertOutput(webhook, 0);
    }

    private String paidSession(String eventId, String sessionId, String paymentIntent, long created, long amount, String currency) {
        return "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\",\"created\":" + created
                + ",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\","
                + "\"mode\":\"payment\",\"payment_status\":\"paid\",\"client_reference_id\":\"" + account + "\","
                + "\"currency\":\"" + currency + "\",\"amount_subtotal\":" + amount + ",\"amount_total\":" + amount + ","
                + "\"total_details\":{\"amount_discount\":0,\"amount_shipping\":0,\"amount_tax\":0},"
                + "\"payment_intent\":\"" + paymentIntent + "\",\"metadata\":{\"packageId\":\"pro\"}}}}";
    }

    // ---- helpers

    /**
     * Starts a function and checks its INIT: SnapStart's checkpoint and restore went through, and the priming before
     * the checkpoint read the store for the account no one can open and wrote nothing.
     */
    private LambdaEnvironment start(String logicalId) throws IOException {
        int before = dynamo.requests().size();
        var itemsBefore = dynamo.items(table);
        LambdaEnvironment environment = LambdaEnvironment.start(functions.get(logicalId), intrinsics, endpoints, runtimeDir,
                workDir, logicalId);
        assertThat(environment.restored()).as(logicalId + ": INIT went through SnapStart's checkpoint and restore").isTrue();
        List<RecordedRequest> duringInit = dynamo.requests().subList(before, dynamo.requests().size());
        assertThat(duringInit).as(logicalId + ": priming read the store").isNotEmpty()
                .anySatisfy(r -> assertThat(r.body().toString()).contains(PRIMING_ACCOUNT))
                .filteredOn(r -> WRITES.contains(r.operation()))
                .as(logicalId + ": priming's writes were all refused").allSatisfy(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(dynamo.items(table)).as(logicalId + ": priming changed nothing").isEqualTo(itemsBefore);
        return environment;
    }

    private String open(String accountId) {
        return events.http("PUT /v1/accounts/{accountId}").path("accountId", accountId)
                .caller(accountId, "wallet:read").json("{\"email\":\"" + accountId + "@example.com\"}").build();
    }

    private String hold(String accountId, String key, int amount, int ttlSeconds) {
        return events.http("POST /v1/accounts/{accountId}/holds").path("accountId", accountId)
                .caller("billing-backend", "wallet:charge").header("Idempotency-Key", key)
                .json("{\"bucket\":\"credits\",\"amount\":" + amount + ",\"description\":\"render " + key
                        + "\",\"ttlSeconds\":" + ttlSeconds + "}").build();
    }

    @SuppressWarnings("unchecked")
    private static int available(Map<String, Object> body) {
        Map<String, Object> buckets = (Map<String, Object>) body.get("buckets");
        return ((Number) ((Map<String, Object>) buckets.get("credits")).get("available")).intValue();
    }

    /** A handler that returns a String answers a JSON string: its content. */
    private static String unquote(String jsonString) throws IOException {
        return StrictJson.json().beanFrom(String.class, jsonString);
    }

    private static String signature(String payload, long timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    }

    /**
     * The environment's output once it ended: on stdout one JSON object per invocation and, for each failed one, the
     * runtime's own report of the error; on stderr, only the JVM's lines.
     *
     * @return the JSON lines
     */
    private static List<Map<String, Object>> assertOutput(LambdaEnvironment environment, int expectedFailures) throws IOException {
        String name = environment.function.logicalId();
        assertThat(environment.failedInvocations()).as(name + " failed invocations").isEqualTo(expectedFailures);
        List<Map<String, Object>> json = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : environment.process().stdout()) {
            if (line.startsWith("{")) {
                json.add(StrictJson.object(line));
            } else {
                other.add(line);
            }
        }
        assertThat(json).as(name + ": one JSON line per invocation on stdout (" + environment.process().stdoutFile() + ")")
                .hasSize(environment.invocations());
        if (expectedFailures == 0) {
            assertThat(other).as(name + ": nothing else on stdout").isEmpty();
        } else {
            assertThat(other).as(name + ": besides, only the runtime's report of the failed invocation").isNotEmpty()
                    .first().asString().contains("Exception");
        }
        assertThat(environment.process().stderr()).as(name + ": stderr holds only the JVM's own lines ("
                + environment.process().stderrFile() + ")").allMatch(l -> JVM_LINE.matcher(l).matches());
        return json;
    }
}
