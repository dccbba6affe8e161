package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.map;
import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static com.tokenwallet.sam.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.reset.QuotaReset;
import com.tokenwallet.quotareset.QuotaResetHandler;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The monthly quota reset on AWS Step Functions (issue 18), as far as it can be checked without a deployed stack:
 * the reset's state machine (infra/statemachines/quota-reset.asl.json, Standard) invokes only Lambda functions of
 * the template, through substitutions, and its role may invoke exactly those and nothing more; its Map has a bounded
 * concurrency the worker's reserved concurrency covers, loops a segment on the worker's {@code done}, retries the
 * turns with backoff and catches a segment that fails every retry; the worker has the time for a turn, a pace within
 * the table's write capacity, invokes nothing and scans only the sparse index CalendarAccounts; the failure queue
 * and asynchronous retries of the old fan-out are gone; the schedule (00:00 UTC on the 1st, retries, dead-letter
 * queue) starts the start machine with the scheduled time, which starts the reset under a name made of the period
 * with the period in its input, so that a second delivery cannot start a second reset. asl-validator checks the
 * definitions themselves (StateMachineDefinitionTest).
 */
class QuotaResetTemplateTest {
    /** The definitions' DefinitionUri values: relative to template.yaml's directory, the repository root. */
    static final String RESET_ASL = "infra/statemachines/quota-reset.asl.json";
    static final String START_ASL = "infra/statemachines/quota-reset-start.asl.json";
    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    static final String START_EXECUTION = "arn:aws:states:::states:startExecution";
    /** An on-demand table's default write throughput limit (a service quota). */
    static final int TABLE_WCU_PER_SECOND = 40_000;
    /** The job may take this share of it; the API keeps the rest. */
    static final double JOB_SHARE = 0.8;
    /** A typical roll-over: the account and two plan_reset entries in one transaction (infra/QUOTA-RESET.md). */
    static final int WCU_PER_ACCOUNT = 6;

    static List<String> problems(SamTemplate template, Map<String, StateMachines.Machine> machines) {
        List<String> problems = new ArrayList<>();
        SamTemplate.Function worker = template.functionHandledBy(QuotaResetHandler.class);
        StateMachines.Machine reset = StateMachines.byDefinition(machines, RESET_ASL);
        StateMachines.Machine start = StateMachines.byDefinition(machines, START_ASL);
        problems.addAll(workerProblems(worker));
        problems.addAll(invokeProblems(template, reset));
        problems.addAll(mapProblems(worker, reset));
        problems.addAll(startProblems(reset, start));
        machines.values().forEach(m -> {
            if (!"STANDARD".equals(m.properties().get("Type"))) {
                problems.add(m.logicalId() + ".Type is " + m.properties().get("Type") + ", not STANDARD (only Standard executions can be redriven and have unique names)");
            }
        });
        return problems;
    }

    /** The worker: time for a turn, invokes nothing, no asynchronous retries or failure queue, scans only the index. */
    private static List<String> workerProblems(SamTemplate.Function worker) {
        List<String> problems = new ArrayList<>();
        String id = worker.logicalId();
        long needed = QuotaResetHandler.TURN.plus(QuotaResetHandler.MARGIN).toSeconds();
        if (!(worker.effective("Timeout").orElse(null) instanceof Integer t) || t < needed || t > 900) {
            problems.add(id + ".Timeout is " + worker.effective("Timeout").orElse(null) + ": a turn needs " + needed + " s (its working time and the last page)");
        }
        for (String gone : List.of("EventInvokeConfig", "Events")) {
            if (worker.properties().containsKey(gone)) {
                problems.add(id + " has " + gone + ": the state machine invokes the worker synchronously and retries it; nothing else does");
            }
        }
        for (IamPolicies.Statement s : IamPolicies.expand(worker)) {
            if (s.opaque() || s.actions().stream().anyMatch(a -> a.toLowerCase().startsWith("lambda:") || a.toLowerCase().startsWith("states:"))) {
                problems.add(id + " may invoke or start something: " + s);
            }
            boolean scans = s.actions().stream().anyMatch(a -> a.equalsIgnoreCase("dynamodb:Scan") || a.equals("*") || a.equalsIgnoreCase("dynamodb:*"));
            if (scans && !Objects.equals(s.resource(), Map.of("Fn::Sub", "${WalletTable.Arn}/index/CalendarAccounts"))) {
                problems.add(id + " may scan " + s.resource() + ": the reset reads the sparse index CalendarAccounts, never the table and its ledger");
            }
        }
        return problems;
    }

    /**
     * Every Lambda the reset's definition names is a function of the template (its live alias, or itself), and the
     * machine's role may invoke exactly those: one action, lambda:InvokeFunction, on those resources, nothing more.
     */
    private static List<String> invokeProblems(SamTemplate template, StateMachines.Machine reset) {
        List<String> problems = new ArrayList<>();
        List<Object> targets = new ArrayList<>();
        reset.states().forEach((name, state) -> {
            if (!"Task".equals(state.get("Type"))) {
                return;
            }
            Object resource = state.get("Resource");
            if (!(resource instanceof String r) || !r.startsWith(LAMBDA_INVOKE)) {
                problems.add(reset.logicalId() + " state " + name + " is a Task on " + resource + ", not a Lambda invocation");
                return;
            }
            Object functionName = optionalMap(state.get("Parameters"), name + ".Parameters").get("FunctionName");
            List<String> names = StateMachines.placeholders(functionName);
            if (names.size() != 1 || !("${" + names.getFirst() + "}").equals(functionName)) {
                problems.add(reset.logicalId() + " state " + name + " names the function " + functionName + ", not one substitution");
                return;
            }
            Object target = reset.substitutions().get(names.getFirst());
            Optional<String> function = templateFunction(template, target);
            if (function.isEmpty()) {
                problems.add(reset.logicalId() + " state " + name + " invokes " + target + ", which is no function of the template (nor its live alias)");
            } else if (!targets.contains(target)) {
                targets.add(target);
            }
            boolean backsOff = state.get("Retry") instanceof List<?> retriers && retriers.stream().anyMatch(retrier -> retrier instanceof Map<?, ?> m
                    && m.get("ErrorEquals") instanceof List<?> errors && (errors.contains("Lambda.TooManyRequestsException") || errors.contains("States.ALL"))
                    && m.get("BackoffRate") instanceof Number rate && rate.doubleValue() > 1);
            if (!backsOff) {
                problems.add(reset.logicalId() + " state " + name + " has no Retry with backoff on Lambda.TooManyRequestsException");
            }
        });
        List<IamPolicies.Statement> statements = reset.statements();
        for (IamPolicies.Statement s : statements) {
            if (s.opaque() || !"Allow".equals(s.effect()) || !s.notActions().isEmpty()
                    || !s.actions().stream().map(String::toLowerCase).toList().equals(List.of("lambda:invokefunction"))) {
                problems.add(reset.logicalId() + " may do more than invoke its functions: " + s);
            } else if (!targets.contains(s.resource())) {
                problems.add(reset.logicalId() + " may invoke " + s.resource() + ", which its definition does not name");
            }
        }
        for (Object target : targets) {
            if (statements.stream().noneMatch(s -> Objects.equals(s.resource(), target))) {
                problems.add(reset.logicalId() + " may not invoke " + target + ", which its definition names");
            }
        }
        return problems;
    }

    /** The function a substitution refers to: {@code !Ref F}, {@code !GetAtt F.Arn}, or {@code !Ref FAlias<alias>} of F's AutoPublishAlias. */
    static Optional<String> templateFunction(SamTemplate template, Object target) {
        for (SamTemplate.Function f : template.functions()) {
            Object alias = f.effective("AutoPublishAlias").orElse(null);
            if (ref(target).equals(Optional.of(f.logicalId())) || (alias != null && ref(target).equals(Optional.of(f.logicalId() + "Alias" + alias)))
                    || Objects.equals(target, Map.of("Fn::GetAtt", List.of(f.logicalId(), "Arn")))) {
                return Optional.of(f.logicalId());
            }
        }
        return Optional.empty();
    }

    /** Bounded fan-out the worker's concurrency covers, a loop on the cursor, a failed segment caught, a pace the table takes. */
    private static List<String> mapProblems(SamTemplate.Function worker, StateMachines.Machine reset) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> maps = reset.states().values().stream().filter(s -> "Map".equals(s.get("Type"))).toList();
        if (maps.isEmpty()) {
            return List.of(reset.logicalId() + " has no Map over the segments");
        }
        Object reserved = worker.properties().get("ReservedConcurrentExecutions");
        int widest = 0;
        for (Map<String, Object> m : maps) {
            if (!(m.get("MaxConcurrency") instanceof Integer c) || c < 1) {
                problems.add(reset.logicalId() + " has a Map without a MaxConcurrency: " + m.get("MaxConcurrency"));
                continue;
            }
            widest = Math.max(widest, c);
            Map<String, Object> processor = map(m.get("ItemProcessor"), "Map.ItemProcessor");
            boolean loops = map(processor.get("States"), "ItemProcessor.States").values().stream().map(s -> map(s, "state"))
                    .anyMatch(s -> "Choice".equals(s.get("Type")) && s.get("Choices") instanceof List<?> choices && choices.stream()
                            .anyMatch(c2 -> c2 instanceof Map<?, ?> choice && "$.done".equals(choice.get("Variable"))));
            if (!loops) {
                problems.add(reset.logicalId() + " has a Map that does not loop a segment on the worker's done");
            }
        }
        if (!(reserved instanceof Integer r) || r < widest + 1) {
            problems.add(worker.logicalId() + ".ReservedConcurrentExecutions is " + reserved + ": it should let " + widest
                    + " turns and the summary run at once");
        }
        boolean tolerates = maps.stream().anyMatch(m -> m.get("ToleratedFailurePercentage") != null || map(map(m.get("ItemProcessor"), "p").get("States"), "s")
                .values().stream().map(s -> map(s, "state")).anyMatch(s -> s.get("Catch") instanceof List<?> c && !c.isEmpty()));
        if (!tolerates) {
            problems.add(reset.logicalId() + ": no Map catches a segment that failed every retry (or tolerates failures): one segment would stop all");
        }
        Object rate = worker.environment("WALLET_RESET_ACCOUNTS_PER_SECOND").orElse(null);
        if (!(rate instanceof Number r) || r.doubleValue() <= 0) {
            problems.add(worker.logicalId() + ".WALLET_RESET_ACCOUNTS_PER_SECOND is " + rate + ": unpaced workers would write as fast as the table lets them");
        } else if (widest * r.doubleValue() * WCU_PER_ACCOUNT > TABLE_WCU_PER_SECOND * JOB_SHARE) {
            problems.add(worker.logicalId() + ": " + widest + " workers at " + r + " accounts/s write about " + Math.round(widest * r.doubleValue() * WCU_PER_ACCOUNT)
                    + " WCU/s, more than " + JOB_SHARE + " of the table's default " + TABLE_WCU_PER_SECOND);
        }
        return problems;
    }

    /**
     * The schedule starts the start machine with the scheduled time; it starts the reset under a name made of the
     * period, with the period in the input, and may start that machine only.
     */
    private static List<String> startProblems(StateMachines.Machine reset, StateMachines.Machine start) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> schedules = new ArrayList<>();
        optionalMap(start.properties().get("Events"), start.logicalId() + ".Events").forEach((name, event) -> {
            Map<String, Object> e = map(event, name);
            if ("ScheduleV2".equals(e.get("Type"))) {
                schedules.add(optionalMap(e.get("Properties"), name + ".Properties"));
            }
        });
        if (schedules.size() != 1) {
            return List.of(start.logicalId() + " should have one ScheduleV2 event, not " + schedules.size());
        }
        Map<String, Object> schedule = schedules.getFirst();
        if (!"cron(0 0 1 * ? *)".equals(schedule.get("ScheduleExpression")) || !"UTC".equals(schedule.get("ScheduleExpressionTimezone"))) {
            problems.add("the reset's schedule is " + schedule.get("ScheduleExpression") + " " + schedule.get("ScheduleExpressionTimezone")
                    + ", not 00:00 UTC on the 1st");
        }
        if (schedule.get("RetryPolicy") == null || schedule.get("DeadLetterConfig") == null) {
            problems.add("the reset's schedule has no RetryPolicy or no DeadLetterConfig");
        }
        if (!(schedule.get("Input") instanceof String input) || !input.contains("\"scheduledTime\": \"<aws.scheduler.scheduled-time>\"")) {
            problems.add("the reset's schedule does not give the scheduled time as scheduledTime: " + schedule.get("Input"));
        }
        List<Map<String, Object>> starts = start.states().values().stream()
                .filter(s -> "Task".equals(s.get("Type")) && START_EXECUTION.equals(s.get("Resource"))).toList();
        if (starts.size() != 1 || start.states().values().stream().filter(s -> "Task".equals(s.get("Type"))).count() != 1) {
            return concat(problems, start.logicalId() + " should have one Task, a StartExecution (not waiting for it), not " + starts.size());
        }
        Map<String, Object> parameters = optionalMap(starts.getFirst().get("Parameters"), "StartReset.Parameters");
        List<String> machine = StateMachines.placeholders(parameters.get("StateMachineArn"));
        if (machine.size() != 1 || !ref(start.substitutions().get(machine.getFirst())).equals(Optional.of(reset.logicalId()))) {
            problems.add(start.logicalId() + " starts " + parameters.get("StateMachineArn") + ", not the reset's machine " + reset.logicalId());
        }
        String scheduled = "2026-12-01T00:00:00Z";
        Map<String, Object> started = startOf(start.definition(), scheduled);
        if (!"quota-reset-2026-12".equals(started.get("Name"))) {
            problems.add(start.logicalId() + " names the execution of " + scheduled + " " + started.get("Name") + ", not quota-reset-2026-12");
        }
        if (!(started.get("Input") instanceof Map<?, ?> in) || !"2026-12".equals(in.get("period"))) {
            problems.add(start.logicalId() + " starts the reset of " + scheduled + " with " + started.get("Input") + ", not {period: 2026-12}");
        } else {
            QuotaReset.jobOf((String) in.get("period"));
        }
        boolean catchesDuplicate = starts.getFirst().get("Catch") instanceof List<?> catches && catches.stream().anyMatch(c -> c instanceof Map<?, ?> m
                && m.get("ErrorEquals") instanceof List<?> errors && errors.contains("StepFunctions.ExecutionAlreadyExistsException"));
        if (!catchesDuplicate) {
            problems.add(start.logicalId() + " fails on a second delivery instead of catching StepFunctions.ExecutionAlreadyExistsException");
        }
        List<IamPolicies.Statement> statements = start.statements();
        boolean onlyStartsTheReset = !statements.isEmpty() && statements.stream().allMatch(s -> !s.opaque()
                && "StepFunctionsExecutionPolicy".equals(s.policyTemplate())
                && Objects.equals(s.templateParameters().get("StateMachineName"), Map.of("Fn::GetAtt", List.of(reset.logicalId(), "Name"))));
        if (!onlyStartsTheReset) {
            problems.add(start.logicalId() + " may do more than start " + reset.logicalId() + ": " + statements);
        }
        return problems;
    }

    /**
     * What the start machine passes to StartExecution for a schedule at {@code scheduledTime}: its Pass states'
     * Parameters and the Task's evaluated with the two intrinsic functions it uses (States.StringSplit, States.Format).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> startOf(Map<String, Object> definition, String scheduledTime) {
        Map<String, Object> data = new HashMap<>(Map.of("scheduledTime", scheduledTime));
        Map<String, Object> states = map(definition.get("States"), "States");
        String at = (String) definition.get("StartAt");
        for (int i = 0; i < 10 && at != null; i++) {
            Map<String, Object> state = map(states.get(at), at);
            Map<String, Object> evaluated;
            try {
                evaluated = (Map<String, Object>) AslIntrinsics.evaluate(optionalMap(state.get("Parameters"), at), data);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return Map.of("unreadable", String.valueOf(e.getMessage()));
            }
            if ("Task".equals(state.get("Type"))) {
                return evaluated;
            }
            data = new HashMap<>(evaluated);
            at = (String) state.get("Next");
        }
        return Map.of();
    }

    private static List<String> concat(List<String> problems, String more) {
        List<String> all = new ArrayList<>(problems);
        all.add(more);
        return all;
    }

    @Test
    void theReset_runsOnStepFunctions_invokingOnlyItsWorker_startedOncePerPeriod() {
        SamTemplate template = SamTemplate.load();
        assertThat(problems(template, StateMachines.all(template))).isEmpty();
    }

    @Test
    void theOldFanOut_isGone() {
        SamTemplate template = SamTemplate.load();
        assertThat(template.resources()).doesNotContainKeys("QuotaResetFailedInvocations", "QuotaResetFailedInvocationsAlarm");
        assertThat(template.resourcesOfType("AWS::SQS::Queue")).as("the failure queue only the self-invoking design needed").isEmpty();
        assertThat(template.functionHandledBy(QuotaResetHandler.class).environment("WALLET_RESET_ALIAS")).isEmpty();
    }

    static Stream<Arguments> misconfiguredCopies() {
        String[] worker = {"Resources", "QuotaResetFunction", "Properties"};
        String[] machine = {"Resources", "QuotaResetStateMachine", "Properties"};
        String[] starter = {"Resources", "QuotaResetStartStateMachine", "Properties"};
        String[] schedule = {"Resources", "QuotaResetStartStateMachine", "Properties", "Events", "FirstOfTheMonth", "Properties"};
        return Stream.of(
                misconfigured("the machine invoking another function", t -> under(t, machine, "DefinitionSubstitutions")
                        .put("QuotaResetFunctionArn", Map.of("Ref", "DebitFunctionAliaslive")), d -> { }),
                misconfigured("the machine invoking a function not in the template", t -> under(t, machine, "DefinitionSubstitutions")
                        .put("QuotaResetFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:elsewhere"), d -> { }),
                misconfigured("the machine's role invoking every function", t -> under(t, machine).put("Policies",
                        List.of(statement("lambda:InvokeFunction", "*"))), d -> { }),
                misconfigured("the machine's role with lambda:*", t -> under(t, machine).put("Policies",
                        List.of(statement("lambda:*", Map.of("Ref", "QuotaResetFunctionAliaslive")))), d -> { }),
                misconfigured("the machine's role with more than invoking", t -> under(t, machine).put("Policies", List.of(
                        statement("lambda:InvokeFunction", Map.of("Ref", "QuotaResetFunctionAliaslive")),
                        statement("dynamodb:Scan", Map.of("Fn::GetAtt", List.of("WalletTable", "Arn"))))), d -> { }),
                misconfigured("the machine's role without the invoke", t -> under(t, machine).put("Policies", List.of()), d -> { }),
                misconfigured("an Express reset", t -> under(t, machine).put("Type", "EXPRESS"), d -> { }),
                misconfigured("the worker invoking itself again", t -> under(t, worker).put("Policies", List.of(
                        statement("lambda:InvokeFunction", Map.of("Fn::Sub", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AWS::StackName}-quota-reset:live")))),
                        d -> { }),
                misconfigured("the worker scanning the table", t -> under(t, worker).put("Policies", List.of(
                        statement("dynamodb:Scan", Map.of("Fn::GetAtt", List.of("WalletTable", "Arn"))))), d -> { }),
                misconfigured("the failure queue back", t -> under(t, worker).put("EventInvokeConfig", Map.of("MaximumRetryAttempts", 2)), d -> { }),
                misconfigured("less concurrency than the Map", t -> under(t, worker).put("ReservedConcurrentExecutions", 8), d -> { }),
                misconfigured("a 60 s timeout", t -> under(t, worker).put("Timeout", 60), d -> { }),
                misconfigured("workers faster than the table", t -> under(t, worker, "Environment", "Variables").put("WALLET_RESET_ACCOUNTS_PER_SECOND", 250), d -> { }),
                misconfigured("a Map without MaxConcurrency", t -> { }, d -> SamTemplate.at(d, RESET_ASL, "States", "EachSegment").remove("MaxConcurrency")),
                misconfigured("turns without retries", t -> { }, d -> SamTemplate.at(d, RESET_ASL, "States", "EachSegment", "ItemProcessor", "States", "Turn").remove("Retry")),
                misconfigured("no catch of a failed segment", t -> { }, d -> SamTemplate.at(d, RESET_ASL, "States", "EachSegment", "ItemProcessor", "States", "Turn").remove("Catch")),
                misconfigured("a Task on another service", t -> { }, d -> SamTemplate.at(d, RESET_ASL, "States", "Summary").put("Resource", "arn:aws:states:::sqs:sendMessage")),
                misconfigured("an execution name without the period", t -> { }, d -> SamTemplate.at(d, START_ASL, "States", "StartReset", "Parameters")
                        .put("Name.$", "States.UUID()")),
                misconfigured("a second delivery failing the start", t -> { }, d -> SamTemplate.at(d, START_ASL, "States", "StartReset").remove("Catch")),
                misconfigured("the start machine starting another machine", t -> under(t, starter, "DefinitionSubstitutions")
                        .put("QuotaResetStateMachineArn", Map.of("Ref", "QuotaResetStartStateMachine")), d -> { }),
                misconfigured("the start machine with more rights", t -> under(t, starter).put("Policies", List.of(statement("states:*", "*"))), d -> { }),
                misconfigured("no dead-letter queue on the schedule", t -> under(t, schedule).remove("DeadLetterConfig"), d -> { }),
                misconfigured("no scheduled time in the input", t -> under(t, schedule).remove("Input"), d -> { }),
                misconfigured("a daily schedule", t -> under(t, schedule).put("ScheduleExpression", "cron(0 0 * * ? *)"), d -> { }));
    }

    private static Map<String, Object> statement(String action, Object resource) {
        return Map.of("Statement", List.of(Map.of("Effect", "Allow", "Action", List.of(action), "Resource", resource)));
    }

    private static Map<String, Object> under(Map<String, Object> tree, String[] path, String... more) {
        String[] all = java.util.Arrays.copyOf(path, path.length + more.length);
        System.arraycopy(more, 0, all, path.length, more.length);
        return SamTemplate.at(tree, all);
    }

    private static Arguments misconfigured(String mistake, Consumer<Map<String, Object>> template, Consumer<Map<String, Object>> definitions) {
        return Arguments.of(mistake, template, definitions);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("misconfiguredCopies")
    void theCheck_catchesAMisconfiguredCopy(String mistake, Consumer<Map<String, Object>> changeTemplate, Consumer<Map<String, Object>> changeDefinitions) {
        Map<String, Object> tree = SamTemplate.load().tree();
        changeTemplate.accept(tree);
        Map<String, Object> definitions = new HashMap<>();
        definitions.put(RESET_ASL, StateMachines.readDefinition(RESET_ASL));
        definitions.put(START_ASL, StateMachines.readDefinition(START_ASL));
        changeDefinitions.accept(definitions);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byUri = (Map<String, Map<String, Object>>) (Map<String, ?>) definitions;

        TemplateCheck check = t -> problems(t, StateMachines.all(t, byUri));
        assertThat(check.run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
