package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static com.tokenwallet.sam.SamTemplate.list;
import static com.tokenwallet.sam.SamTemplate.map;
import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static com.tokenwallet.sam.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7's alarms, each notifying an SNS topic of the stack: the HTTP API's 5xx rate (its own AWS/ApiGateway
 * metrics, as a share of its requests), the Stripe webhook function's {@code WebhookFailures}, the quota reset's
 * {@code AccountsFailed} (both EMF metrics in namespace TokenWallet, by {@code function}), and the depth of the
 * quota reset's dead-letter queue (the queue SAM creates for the schedule, named by QueueLogicalId); and (issue
 * 18) the failed executions of the quota reset's state machines (AWS/States ExecutionsFailed of each): a reset that
 * failed is redriven, one that could not start is started by hand.
 */
class AlarmsTest {
    static final String ALARM = "AWS::CloudWatch::Alarm";

    /** An alarm's metric (namespace, name, dimensions) and whether it has an SNS topic of the stack as action. */
    record Watched(String alarm, String namespace, String metric, Map<String, Object> dimensions, boolean notifies) {
    }

    static List<Watched> watched(SamTemplate template) {
        List<Watched> out = new ArrayList<>();
        template.resourcesOfType(ALARM).forEach((id, alarm) -> {
            Map<String, Object> p = optionalMap(alarm.get("Properties"), id);
            boolean notifies = p.get("AlarmActions") instanceof List<?> actions && !actions.isEmpty() && actions.stream().allMatch(a ->
                    ref(a).map(topic -> "AWS::SNS::Topic".equals(template.resource(topic).get("Type"))).orElse(false));
            if (p.containsKey("Metrics")) {
                for (Object m : list(p.get("Metrics"), id + ".Metrics")) {
                    Map<String, Object> query = map(m, id + ".Metrics[]");
                    if (query.containsKey("MetricStat")) {
                        Map<String, Object> metric = at(query, "MetricStat", "Metric");
                        out.add(new Watched(id, (String) metric.get("Namespace"), (String) metric.get("MetricName"),
                                dimensions(metric.get("Dimensions")), notifies));
                    }
                }
            } else {
                out.add(new Watched(id, (String) p.get("Namespace"), (String) p.get("MetricName"), dimensions(p.get("Dimensions")), notifies));
            }
        });
        return out;
    }

    private static Map<String, Object> dimensions(Object declared) {
        Map<String, Object> out = new java.util.TreeMap<>();
        if (declared != null) {
            for (Object d : list(declared, "Dimensions")) {
                Map<String, Object> dimension = map(d, "Dimension");
                out.put(String.valueOf(dimension.get("Name")), dimension.get("Value"));
            }
        }
        return out;
    }

    /** What is not watched, or watched without anyone being told. */
    static List<String> missingAlarms(SamTemplate template) {
        List<Watched> all = watched(template);
        List<String> problems = new ArrayList<>();
        all.stream().filter(w -> !w.notifies()).forEach(w -> problems.add(w.alarm() + " notifies no SNS topic of the stack"));
        require(problems, all, "5xx of the HTTP API", w -> "AWS/ApiGateway".equals(w.namespace()) && "5xx".equals(w.metric())
                && ref(w.dimensions().get("ApiId")).equals(Optional.of("WalletHttpApi")));
        require(problems, all, "requests of the HTTP API (the rate's denominator)", w -> "AWS/ApiGateway".equals(w.namespace())
                && "Count".equals(w.metric()) && ref(w.dimensions().get("ApiId")).equals(Optional.of("WalletHttpApi")));
        require(problems, all, "webhook failures", w -> "TokenWallet".equals(w.namespace()) && "WebhookFailures".equals(w.metric())
                && "StripeWebhookHandler".equals(w.dimensions().get("function")));
        require(problems, all, "payments that do not pay for their package (issue 19)", w -> "TokenWallet".equals(w.namespace())
                && "PaymentMismatches".equals(w.metric()) && "StripeWebhookHandler".equals(w.dimensions().get("function")));
        require(problems, all, "quota reset failures", w -> "TokenWallet".equals(w.namespace()) && "AccountsFailed".equals(w.metric())
                && "QuotaResetHandler".equals(w.dimensions().get("function")));
        String queue = deadLetterQueue(template);
        require(problems, all, "the dead-letter queue " + queue, w -> "AWS/SQS".equals(w.namespace())
                && "ApproximateNumberOfMessagesVisible".equals(w.metric())
                && Objects.equals(w.dimensions().get("QueueName"), Map.of("Fn::GetAtt", List.of(queue, "QueueName"))));
        for (String machine : template.resourcesOfType(StateMachines.STATE_MACHINE).keySet()) {
            require(problems, all, "the failed executions of " + machine, w -> "AWS/States".equals(w.namespace())
                    && "ExecutionsFailed".equals(w.metric()) && ref(w.dimensions().get("StateMachineArn")).equals(Optional.of(machine)));
        }
        return problems;
    }

    /** The QueueLogicalId of the quota reset schedule's dead-letter queue (SAM creates the queue under that id). */
    static String deadLetterQueue(SamTemplate template) {
        for (Map.Entry<String, Map<String, Object>> machine : template.resourcesOfType(StateMachines.STATE_MACHINE).entrySet()) {
            Map<String, Object> events = optionalMap(optionalMap(machine.getValue().get("Properties"), machine.getKey()).get("Events"),
                    machine.getKey() + ".Events");
            for (Object event : events.values()) {
                Map<String, Object> dlq = optionalMap(optionalMap(map(event, "event").get("Properties"), "Properties").get("DeadLetterConfig"), "DLQ");
                if (dlq.get("QueueLogicalId") != null) {
                    return String.valueOf(dlq.get("QueueLogicalId"));
                }
            }
        }
        return "(no QueueLogicalId on the quota reset's schedule)";
    }

    private static void require(List<String> problems, List<Watched> all, String what, java.util.function.Predicate<Watched> test) {
        if (all.stream().noneMatch(test)) {
            problems.add("no alarm watches " + what);
        }
    }

    @Test
    void everyFailureIssue7NamesIsWatched_andSomeoneIsTold() {
        assertThat(missingAlarms(SamTemplate.load())).isEmpty();
    }

    static Stream<Arguments> unwatchedCopies() {
        return Stream.of(
                unwatched("the 5xx alarm removed", t -> SamTemplate.at(t, "Resources").remove("ApiServerErrorRateAlarm")),
                unwatched("the payment mismatch alarm removed", t -> SamTemplate.at(t, "Resources").remove("PaymentMismatchAlarm")),
                unwatched("the webhook alarm on another function", t -> at(t, "Resources", "WebhookFailuresAlarm", "Properties")
                        .put("Dimensions", List.of(Map.of("Name", "function", "Value", "DebitHandler")))),
                unwatched("the reset alarm on another metric", t -> at(t, "Resources", "QuotaResetFailuresAlarm", "Properties")
                        .put("MetricName", "AccountsReset")),
                unwatched("the dead-letter alarm on another queue", t -> at(t, "Resources", "QuotaResetDeadLetterAlarm", "Properties")
                        .put("Dimensions", List.of(Map.of("Name", "QueueName", "Value", "other")))),
                unwatched("the failed-executions alarm removed", t -> SamTemplate.at(t, "Resources").remove("QuotaResetExecutionsFailedAlarm")),
                unwatched("the failed-executions alarm on the start machine", t -> at(t, "Resources", "QuotaResetExecutionsFailedAlarm", "Properties")
                        .put("Dimensions", List.of(Map.of("Name", "StateMachineArn", "Value", Map.of("Ref", "QuotaResetStartStateMachine"))))),
                unwatched("the start machine's alarm removed", t -> SamTemplate.at(t, "Resources").remove("QuotaResetStartFailedAlarm")),
                unwatched("an alarm without actions", t -> at(t, "Resources", "WebhookFailuresAlarm", "Properties").remove("AlarmActions")));
    }

    private static Arguments unwatched(String mistake, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("unwatchedCopies")
    void theCheck_catchesAnUnwatchedCopy(String mistake, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);
        assertThat(missingAlarms(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
