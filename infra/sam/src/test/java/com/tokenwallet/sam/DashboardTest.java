package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestClock;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore;
import com.tokenwallet.quotareset.QuotaResetHandler;
import com.tokenwallet.refund.HoldExpiryHandler;
import com.tokenwallet.refund.RefundHandler;
import com.tokenwallet.stripewebhook.StripeWebhookHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17's CloudWatch dashboard: every metric it draws is one the functions write. The functions are run here
 * (debits, a 402, holds, a capture, a release, a refund, a store failure, hold expiry, a webhook delivery, the
 * monthly reset, run in process), their log lines captured, and the embedded-metric directives in them collected: namespace, metric,
 * dimension set and the {@code function} that wrote it. Each metric the dashboard draws (a metric array or a
 * {@code SEARCH('{Namespace,dims} MetricName="..."', ...)} expression) must match one: same namespace, same name,
 * the same dimension set, and, where the dashboard names a function, that function. (Other dimension values are
 * data - operations, outcomes, event types - and a SEARCH picks up whichever occur.)
 */
class DashboardTest {
    static final String DASHBOARD = "AWS::CloudWatch::Dashboard";
    private static final Pattern SEARCH = Pattern.compile(
            "^SEARCH\\('\\{([^,}]+)((?:,[^,}]+)*)\\} MetricName=\"([A-Za-z0-9]+)\"((?: [A-Za-z]+=\"[^\"]*\")*)', '([A-Za-z0-9.]+)', [0-9]+\\)$");
    private static final Pattern TERM = Pattern.compile(" ([A-Za-z]+)=\"([^\"]*)\"");

    /** A metric as a log line declares it: its function is the line's {@code function} field. */
    record Emitted(String namespace, String metric, Set<String> dimensions, String function) {
    }

    /** A metric the dashboard draws: fixed dimension values (only those it names), and the statistic. */
    record Drawn(String widget, String namespace, String metric, Set<String> dimensions, Map<String, String> values, String stat) {
    }

    private static List<Emitted> emitted;

    @BeforeAll
    static void runTheFunctions() throws IOException {
        emitted = emittedBy(DashboardTest::scenario);
    }

    /** Runs {@code scenario} with standard output captured, and reads the embedded-metric directives of its lines. */
    @SuppressWarnings("unchecked")
    static List<Emitted> emittedBy(Consumer<TestWallet> scenario) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // Set before any handler exists: the request log keeps the stream it finds when it is built.
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TestWallet wallet = new TestWallet(new TestClock("2026-11-30T22:00:00Z"))) {
            scenario.accept(wallet);
        } finally {
            System.setOut(original);
        }
        List<Emitted> out = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{") && l.contains("\"_aws\"")).toList()) {
            Map<String, Object> json = StrictJson.object(line);
            Map<String, Object> aws = (Map<String, Object>) json.get("_aws");
            for (Map<String, Object> directive : (List<Map<String, Object>>) aws.get("CloudWatchMetrics")) {
                for (List<String> dimensions : (List<List<String>>) directive.get("Dimensions")) {
                    for (Map<String, Object> metric : (List<Map<String, Object>>) directive.get("Metrics")) {
                        String name = (String) metric.get("Name");
                        assertThat(json).as("the line holds the value of %s", name).containsKey(name);
                        out.add(new Emitted((String) directive.get("Namespace"), name, new TreeSet<>(dimensions),
                                dimensions.contains("function") ? (String) json.get("function") : null));
                    }
                }
            }
        }
        return out;
    }

    /** What the functions do in a day, and what goes wrong sometimes. */
    private static void scenario(TestWallet wallet) {
        TestClock clock = (TestClock) wallet.clock;
        DebitHandler debit = wallet.handler(DebitHandler::new);
        RefundHandler refund = wallet.handler(RefundHandler::new);
        String charge = "wallet:charge";
        ok(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account("dash").caller("backend", charge), 201);
        Map<String, Object> debited = ok(debit, ApiEvents.route(DebitHandler.DEBITS).account("dash").caller("backend", charge)
                .idempotencyKey("d1").json("{\"operation\":\"ai_chat\"}"), 201);
        ok(debit, ApiEvents.route(DebitHandler.DEBITS).account("dash").caller("backend", charge).idempotencyKey("d2")
                .json("{\"bucket\":\"credits\",\"amount\":1000,\"description\":\"too much\"}"), 402);
        String captured = (String) ok(debit, hold(), 201).get("holdId");
        ok(debit, ApiEvents.route(DebitHandler.CAPTURE).account("dash").pathParameter("holdId", captured).caller("backend", charge)
                .idempotencyKey("c1").json("{\"amount\":1}"), 200);
        String released = (String) ok(debit, hold(), 201).get("holdId");
        ok(refund, ApiEvents.route(RefundHandler.RELEASE).account("dash").pathParameter("holdId", released).caller("backend", charge)
                .idempotencyKey("r1"), 200);
        ok(refund, ApiEvents.route(RefundHandler.REFUNDS).account("dash").caller("backend", charge).idempotencyKey("f1")
                .json("{\"transactionId\":\"" + debited.get("transactionId") + "\",\"reason\":\"failed\"}"), 201);
        ok(debit, hold(), 201);
        wallet.store.failNextWrites(FaultInjectingWalletStore.Fault.FAIL_BEFORE_COMMIT, 1);
        ok(debit, ApiEvents.route(DebitHandler.DEBITS).account("dash").caller("backend", charge).idempotencyKey("d3")
                .json("{\"operation\":\"ai_chat\"}"), 503);
        assertThat(wallet.store.pendingFaults()).isZero();
        clock.advance(Duration.ofHours(2));
        new HoldExpiryHandler(wallet.context).execute(null);

        Map<String, Object> stripe = new LinkedHashMap<>(wallet.storeProperties());
        stripe.put("stripe.webhook.secret", "whsec_dashboard");
        StripeWebhookHandler webhook = new StripeWebhookHandler(WalletContexts.start(stripe, wallet.store, clock));
        APIGatewayV2HTTPResponse refused = webhook.handleRequest(ApiEvents.route(StripeWebhookHandler.ROUTE)
                .header("Stripe-Signature", "t=1,v1=00").json("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}").build(), null);
        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(400);

        try {
            Map<String, Object> schedule = StrictJson.object(Files.readString(SamTemplate.repositoryRoot()
                    .resolve("infra/events/eventbridge-scheduled-event.json")));
            QuotaResetHandler reset = new QuotaResetHandler(wallet.context);
            reset.handleRequest(schedule, null);
            // One turn of a segment, as the state machine invokes the worker: the line with the reset's progress.
            Map<String, Object> segment = new LinkedHashMap<>(Map.of("action", "segment", "job", "quota-reset#2026-12",
                    "segment", 0, "totalSegments", 1, "done", false));
            reset.handleRequest(segment, null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ApiEvents hold() {
        return ApiEvents.route(DebitHandler.HOLDS).account("dash").caller("backend", "wallet:charge")
                .idempotencyKey("h-" + java.util.UUID.randomUUID()).json("{\"operation\":\"ai_chat\",\"ttlSeconds\":60}");
    }

    private static Map<String, Object> ok(com.tokenwallet.api.ApiHandler handler, ApiEvents event, int status) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event.build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        return TestWallet.body(response);
    }

    // ---- the dashboard

    @SuppressWarnings("unchecked")
    static List<Drawn> drawn(SamTemplate template) throws IOException {
        List<Drawn> out = new ArrayList<>();
        for (var entry : template.resourcesOfType(DASHBOARD).entrySet()) {
            Object body = SamTemplate.optionalMap(entry.getValue().get("Properties"), entry.getKey()).get("DashboardBody");
            String json = body instanceof Map<?, ?> sub ? (String) sub.get("Fn::Sub") : (String) body;
            Map<String, Object> dashboard = StrictJson.object(json.replace("${AWS::Region}", "us-east-1"));
            for (Map<String, Object> widget : (List<Map<String, Object>>) dashboard.get("widgets")) {
                if (!"metric".equals(widget.get("type"))) {
                    continue;
                }
                Map<String, Object> properties = (Map<String, Object>) widget.get("properties");
                String title = (String) properties.get("title");
                for (List<Object> metric : (List<List<Object>>) properties.get("metrics")) {
                    out.add(drawn(title, metric, (String) properties.get("stat")));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Drawn drawn(String widget, List<Object> metric, String widgetStat) {
        if (metric.getFirst() instanceof Map<?, ?> expression) {
            String text = String.valueOf(expression.get("expression"));
            Matcher m = SEARCH.matcher(text);
            if (!m.matches()) {
                return new Drawn(widget, "(not a SEARCH of one metric: " + text + ")", "", Set.of(), Map.of(), "");
            }
            Set<String> dimensions = new TreeSet<>(m.group(2).isEmpty() ? List.of() : List.of(m.group(2).substring(1).split(",")));
            Map<String, String> values = new TreeMap<>();
            Matcher term = TERM.matcher(m.group(4));
            while (term.find()) {
                values.put(term.group(1), term.group(2));
            }
            return new Drawn(widget, m.group(1), m.group(3), dimensions, values, m.group(5));
        }
        Set<String> dimensions = new TreeSet<>();
        Map<String, String> values = new TreeMap<>();
        String stat = widgetStat;
        int i = 2;
        for (; i + 1 < metric.size() && metric.get(i) instanceof String name; i += 2) {
            dimensions.add(name);
            values.put(name, String.valueOf(metric.get(i + 1)));
        }
        if (i < metric.size() && metric.get(i) instanceof Map<?, ?> options && options.get("stat") != null) {
            stat = String.valueOf(options.get("stat"));
        }
        return new Drawn(widget, String.valueOf(metric.get(0)), String.valueOf(metric.get(1)), dimensions, values, stat);
    }

    /** Each drawn metric that no function writes as drawn, with why. */
    static List<String> notEmitted(List<Drawn> drawn, List<Emitted> emitted) {
        List<String> problems = new ArrayList<>();
        for (Drawn d : drawn) {
            boolean found = emitted.stream().anyMatch(e -> e.namespace().equals(d.namespace()) && e.metric().equals(d.metric())
                    && e.dimensions().equals(d.dimensions())
                    && (!d.values().containsKey("function") || d.values().get("function").equals(e.function())));
            if (!found) {
                problems.add(d.widget() + ": " + d.namespace() + " " + d.metric() + " by " + d.dimensions() + " " + d.values()
                        + " is written by no function; written with that name: " + emitted.stream()
                        .filter(e -> e.metric().equals(d.metric())).distinct().toList());
            }
        }
        return problems;
    }

    @Test
    void theFunctionsWriteWhatTheScenarioNeeds() {
        assertThat(emitted).extracting(Emitted::metric).contains("TokensDebited", "Debits", "InsufficientTokens", "Holds", "Captures",
                "Releases", "Refunds", "TokensRefunded", "StoreErrors", "HoldsExpired", "WebhookEvents", "WebhookSignatureRefusals",
                "AccountsSeen", "AccountsReset", "Requests", "Latency");
    }

    @Test
    void everyMetricTheDashboardDraws_isOneSomeFunctionWrites() throws IOException {
        List<Drawn> drawn = drawn(SamTemplate.load());
        assertThat(drawn).isNotEmpty();
        assertThat(notEmitted(drawn, emitted)).isEmpty();
    }

    @Test
    void theDashboardShowsWhatIssue17Asks() throws IOException {
        List<Drawn> drawn = drawn(SamTemplate.load());
        assertThat(SamTemplate.load().resourcesOfType(DASHBOARD)).hasSize(1);
        assertThat(drawn).anySatisfy(d -> assertThat(d).extracting(Drawn::metric, Drawn::dimensions)
                .containsExactly("TokensDebited", Set.of("function", "operation")));
        assertThat(drawn).extracting(Drawn::metric).contains("Debits", "InsufficientTokens", "Holds", "Refunds", "WebhookEvents",
                "AccountsReset", "AccountsFailed", "StoreErrors", "Requests");
        assertThat(drawn).filteredOn(d -> d.metric().equals("Latency")).extracting(Drawn::stat).containsExactlyInAnyOrder("p50", "p99");
        assertThat(drawn).filteredOn(d -> d.metric().equals("Latency")).allSatisfy(d ->
                assertThat(d.dimensions()).as("per function").contains("function"));
    }

    static Stream<Arguments> wrongCopies() {
        return Stream.of(
                wrong("metrics in another namespace", "\"TokenWallet\",", "\"TokenWallets\","),
                wrong("a metric no one writes", "\"Holds\",", "\"Hold\","),
                wrong("tokens debited by function alone", "{TokenWallet,function,operation} MetricName=\\\"TokensDebited\\\"",
                        "{TokenWallet,function} MetricName=\\\"TokensDebited\\\""),
                wrong("metrics of the wrong function", "\"RefundHandler\"", "\"CheckHandler\""),
                wrong("a search in another namespace", "{TokenWallet,function} MetricName=\\\"StoreErrors\\\"",
                        "{AWS/Lambda,function} MetricName=\\\"StoreErrors\\\""));
    }

    private static Arguments wrong(String mistake, String from, String to) {
        return Arguments.of(mistake, from, to);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("wrongCopies")
    @SuppressWarnings("unchecked")
    void theCheck_catchesAWrongCopy(String mistake, String from, String to) throws IOException {
        Map<String, Object> tree = SamTemplate.load().tree();
        Map<String, Object> properties = SamTemplate.at(tree, "Resources", "OperationsDashboard", "Properties");
        Map<String, Object> body = (Map<String, Object>) properties.get("DashboardBody");
        String text = (String) body.get("Fn::Sub");
        assertThat(text).as("the dashboard has %s to change", from).contains(from);
        body.put("Fn::Sub", text.replace(from, to));
        assertThat(notEmitted(drawn(SamTemplate.of(tree)), emitted)).as("a dashboard with %s", mistake).isNotEmpty();
    }
}
