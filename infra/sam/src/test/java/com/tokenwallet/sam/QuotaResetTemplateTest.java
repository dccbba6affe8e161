package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.quotareset.QuotaResetHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the quota reset's fan-out needs from its function: the whole 15 minutes per invocation, room for every
 * segment's worker at once, a pace that keeps all of them within the table's write capacity, retries and a failure
 * queue for its asynchronous invocations, invoking itself through the alias those apply to, and the monthly
 * schedule with its own retries and dead-letter queue.
 */
class QuotaResetTemplateTest {
    /** An on-demand table's default write throughput limit (a service quota). */
    static final int TABLE_WCU_PER_SECOND = 40_000;
    /** The job may take this share of it; the API keeps the rest. */
    static final double JOB_SHARE = 0.8;
    /** A typical roll-over: the account and two plan_reset entries in one transaction (infra/QUOTA-RESET.md). */
    static final int WCU_PER_ACCOUNT = 6;

    static List<String> fanOutProblems(SamTemplate template) {
        SamTemplate.Function reset = template.functionHandledBy(QuotaResetHandler.class);
        String id = reset.logicalId();
        List<String> problems = new ArrayList<>();
        if (!Integer.valueOf(900).equals(reset.effective("Timeout").orElse(null))) {
            problems.add(id + ".Timeout is " + reset.effective("Timeout").orElse(null) + ", not 900: each worker should get Lambda's 15 minutes");
        }
        Object segments = reset.environment("WALLET_RESET_SEGMENTS").orElse(null);
        Object reserved = reset.properties().get("ReservedConcurrentExecutions");
        if (!(segments instanceof Integer n) || n < 1) {
            problems.add(id + " sets no WALLET_RESET_SEGMENTS");
        } else if (!(reserved instanceof Integer r) || r < n + 1) {
            problems.add(id + ".ReservedConcurrentExecutions is " + reserved + ": it should let all " + n
                    + " segment workers and the coordinator run at once");
        }
        Object rate = reset.environment("WALLET_RESET_ACCOUNTS_PER_SECOND").orElse(null);
        if (!(rate instanceof Number r) || r.doubleValue() <= 0) {
            problems.add(id + ".WALLET_RESET_ACCOUNTS_PER_SECOND is " + rate + ": unpaced workers would write as fast as the table lets them");
        } else if (segments instanceof Integer n && n * r.doubleValue() * WCU_PER_ACCOUNT > TABLE_WCU_PER_SECOND * JOB_SHARE) {
            problems.add(id + ": " + n + " workers at " + r + " accounts/s write about " + Math.round(n * r.doubleValue() * WCU_PER_ACCOUNT)
                    + " WCU/s, more than " + JOB_SHARE + " of the table's default " + TABLE_WCU_PER_SECOND);
        }
        Object alias = reset.effective("AutoPublishAlias").orElse(null);
        if (alias == null || !alias.equals(reset.environment("WALLET_RESET_ALIAS").orElse(null))) {
            problems.add(id + ".WALLET_RESET_ALIAS is " + reset.environment("WALLET_RESET_ALIAS").orElse(null)
                    + ", not the alias " + alias + " whose EventInvokeConfig applies to the segment invocations");
        }
        boolean invokesAlias = IamPolicies.expand(reset).stream()
                .filter(s -> s.actions().stream().anyMatch(a -> a.equalsIgnoreCase("lambda:InvokeFunction")))
                .anyMatch(s -> s.resource() instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub && sub.endsWith(":" + alias));
        if (!invokesAlias) {
            problems.add(id + " may not invoke its alias " + alias + " (lambda:InvokeFunction on ...:function:<name>:" + alias + ")");
        }
        Map<String, Object> invokeConfig = optionalMap(reset.properties().get("EventInvokeConfig"), id + ".EventInvokeConfig");
        if (!(invokeConfig.get("MaximumRetryAttempts") instanceof Integer retries) || retries < 1) {
            problems.add(id + ".EventInvokeConfig.MaximumRetryAttempts is " + invokeConfig.get("MaximumRetryAttempts")
                    + ": a crashed worker resumes only through a retry");
        }
        Map<String, Object> destinations = optionalMap(invokeConfig.get("DestinationConfig"), id + ".EventInvokeConfig.DestinationConfig");
        Map<String, Object> onFailure = optionalMap(destinations.get("OnFailure"), id + ".EventInvokeConfig.DestinationConfig.OnFailure");
        if (onFailure.get("Type") == null || onFailure.get("Destination") == null) {
            problems.add(id + " has no failure destination for invocations that failed every retry");
        }
        problems.addAll(scheduleProblems(reset));
        return problems;
    }

    private static List<String> scheduleProblems(SamTemplate.Function reset) {
        List<Map<String, Object>> schedules = new ArrayList<>();
        optionalMap(reset.properties().get("Events"), reset.logicalId() + ".Events").forEach((name, event) -> {
            Map<String, Object> e = SamTemplate.map(event, name);
            if ("ScheduleV2".equals(e.get("Type"))) {
                schedules.add(optionalMap(e.get("Properties"), name + ".Properties"));
            }
        });
        if (schedules.size() != 1) {
            return List.of(reset.logicalId() + " should have one ScheduleV2 event, not " + schedules.size());
        }
        Map<String, Object> schedule = schedules.getFirst();
        List<String> problems = new ArrayList<>();
        if (!"cron(0 0 1 * ? *)".equals(schedule.get("ScheduleExpression")) || !"UTC".equals(schedule.get("ScheduleExpressionTimezone"))) {
            problems.add("the reset's schedule is " + schedule.get("ScheduleExpression") + " " + schedule.get("ScheduleExpressionTimezone")
                    + ", not 00:00 UTC on the 1st");
        }
        if (schedule.get("RetryPolicy") == null || schedule.get("DeadLetterConfig") == null) {
            problems.add("the reset's schedule has no RetryPolicy or no DeadLetterConfig");
        }
        return problems;
    }

    @Test
    void theQuotaReset_canFanOutItsSegments_retryThem_andKeepTheirFailures() {
        assertThat(fanOutProblems(SamTemplate.load())).isEmpty();
    }

    static Stream<Arguments> misconfiguredCopies() {
        String[] reset = {"Resources", "QuotaResetFunction", "Properties"};
        String[] variables = {"Resources", "QuotaResetFunction", "Properties", "Environment", "Variables"};
        return Stream.of(
                misconfigured("one invocation at a time", t -> at(t, reset).put("ReservedConcurrentExecutions", 1)),
                misconfigured("more segments than concurrency", t -> at(t, variables).put("WALLET_RESET_SEGMENTS", 64)),
                misconfigured("a 60 s timeout", t -> at(t, reset).put("Timeout", 60)),
                misconfigured("unpaced workers", t -> at(t, variables).put("WALLET_RESET_ACCOUNTS_PER_SECOND", 0)),
                misconfigured("workers faster than the table", t -> at(t, variables).put("WALLET_RESET_ACCOUNTS_PER_SECOND", 250)),
                misconfigured("no EventInvokeConfig", t -> at(t, reset).remove("EventInvokeConfig")),
                misconfigured("no retries of a failed invocation", t -> at(t, "Resources", "QuotaResetFunction", "Properties", "EventInvokeConfig").put("MaximumRetryAttempts", 0)),
                misconfigured("no failure destination", t -> at(t, "Resources", "QuotaResetFunction", "Properties", "EventInvokeConfig").remove("DestinationConfig")),
                misconfigured("segments invoked at another alias", t -> at(t, variables).put("WALLET_RESET_ALIAS", "beta")),
                misconfigured("no dead-letter queue on the schedule",
                        t -> at(t, "Resources", "QuotaResetFunction", "Properties", "Events", "FirstOfTheMonth", "Properties").remove("DeadLetterConfig")),
                misconfigured("a daily schedule",
                        t -> at(t, "Resources", "QuotaResetFunction", "Properties", "Events", "FirstOfTheMonth", "Properties").put("ScheduleExpression", "cron(0 0 * * ? *)")));
    }

    private static Arguments misconfigured(String mistake, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("misconfiguredCopies")
    void theCheck_catchesAMisconfiguredCopy(String mistake, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);

        assertThat(((TemplateCheck) QuotaResetTemplateTest::fanOutProblems).run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
