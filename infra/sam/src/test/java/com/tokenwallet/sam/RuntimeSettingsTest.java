package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static com.tokenwallet.sam.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the functions run: Java 21 with SnapStart (which only applies to published versions, hence the alias that
 * publishes one on every deploy), and logs that do not pile up forever.
 */
class RuntimeSettingsTest {
    static final String RUNTIME = "java21";

    /** Globals.Function must set the runtime, SnapStart and the alias, and no function may turn them off. */
    static List<String> runtimeProblems(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> globals = template.functionGlobals();
        if (!RUNTIME.equals(globals.get("Runtime"))) {
            problems.add("Globals.Function.Runtime is " + globals.get("Runtime") + ", not " + RUNTIME);
        }
        if (!snapStartOnPublishedVersions(globals.get("SnapStart"))) {
            problems.add("Globals.Function.SnapStart is " + globals.get("SnapStart") + ", not ApplyOn: PublishedVersions");
        }
        if (!(globals.get("AutoPublishAlias") instanceof String alias) || alias.isBlank()) {
            problems.add("Globals.Function.AutoPublishAlias is " + globals.get("AutoPublishAlias")
                    + ": SnapStart only snapshots published versions, and the API should invoke the alias");
        }
        for (SamTemplate.Function f : template.functions()) {
            Object runtime = f.effective("Runtime").orElse(null);
            if (!RUNTIME.equals(runtime)) {
                problems.add(f.logicalId() + " runs on " + runtime + ", not " + RUNTIME);
            }
            if (!snapStartOnPublishedVersions(f.effective("SnapStart").orElse(null))) {
                problems.add(f.logicalId() + " has SnapStart " + f.effective("SnapStart").orElse(null));
            }
            if (!(f.effective("AutoPublishAlias").orElse(null) instanceof String alias) || alias.isBlank()) {
                problems.add(f.logicalId() + " publishes no alias");
            }
        }
        return problems;
    }

    private static boolean snapStartOnPublishedVersions(Object snapStart) {
        return snapStart instanceof Map<?, ?> m && "PublishedVersions".equals(m.get("ApplyOn"));
    }

    /** Functions whose log group the template does not own, or owns without a retention. */
    static List<String> logGroupProblems(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> logGroups = template.resourcesOfType(SamTemplate.LOG_GROUP);
        Map<String, String> ownerOf = new java.util.HashMap<>();
        for (SamTemplate.Function f : template.functions()) {
            List<String> owned = logGroups.entrySet().stream()
                    .filter(g -> isLogGroupOf(f, g.getKey(), g.getValue()))
                    .map(Map.Entry::getKey).toList();
            owned.forEach(g -> {
                String other = ownerOf.putIfAbsent(g, f.logicalId());
                if (other != null) {
                    problems.add(g + " is the log group of both " + other + " and " + f.logicalId());
                }
            });
            if (owned.size() != 1) {
                problems.add(f.logicalId() + " should have exactly one AWS::Logs::LogGroup (LogGroupName !Sub /aws/lambda/${"
                        + f.logicalId() + "}, or LoggingConfig.LogGroup), but has " + owned);
                continue;
            }
            Map<String, Object> properties = optionalMap(logGroups.get(owned.getFirst()).get("Properties"), owned.getFirst());
            Object retention = properties.get("RetentionInDays");
            boolean days = retention instanceof Integer n && n > 0;
            boolean parameter = ref(retention).map(template.parameters()::containsKey).orElse(false);
            if (!days && !parameter) {
                problems.add(owned.getFirst() + ".RetentionInDays is " + retention
                        + ": without it Lambda's logs are kept forever");
            }
        }
        return problems;
    }

    private static boolean isLogGroupOf(SamTemplate.Function f, String logGroupId, Map<String, Object> logGroup) {
        Object configured = optionalMap(f.effective("LoggingConfig").orElse(null), f.logicalId() + ".LoggingConfig").get("LogGroup");
        if (configured != null) {
            return ref(configured).equals(Optional.of(logGroupId));
        }
        Object name = optionalMap(logGroup.get("Properties"), logGroupId).get("LogGroupName");
        if (name instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub) {
            return sub.equals("/aws/lambda/${" + f.logicalId() + "}");
        }
        if (name instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof List<?> sub && sub.size() == 2
                && sub.get(0) instanceof String text && sub.get(1) instanceof Map<?, ?> variables) {
            return variables.entrySet().stream().anyMatch(v -> text.equals("/aws/lambda/${" + v.getKey() + "}")
                    && ref(v.getValue()).equals(Optional.of(f.logicalId())));
        }
        return false;
    }

    @Test
    void everyFunction_runsJava21WithSnapStartOnItsPublishedAlias() {
        assertThat(runtimeProblems(SamTemplate.load())).isEmpty();
    }

    @Test
    void everyFunction_hasALogGroupWithRetention() {
        assertThat(logGroupProblems(SamTemplate.load())).isEmpty();
    }

    static Stream<Arguments> misconfiguredCopies() {
        String[] globals = {"Globals", "Function"};
        String[] debit = {"Resources", "DebitFunction", "Properties"};
        TemplateCheck runtime = RuntimeSettingsTest::runtimeProblems;
        TemplateCheck logs = RuntimeSettingsTest::logGroupProblems;
        return Stream.of(
                misconfigured("Runtime java17 in Globals", runtime, t -> at(t, globals).put("Runtime", "java17")),
                misconfigured("a function overriding the Runtime", runtime, t -> at(t, debit).put("Runtime", "java17")),
                misconfigured("SnapStart off", runtime, t -> at(t, globals).put("SnapStart", Map.of("ApplyOn", "None"))),
                misconfigured("a function turning SnapStart off", runtime,
                        t -> at(t, debit).put("SnapStart", Map.of("ApplyOn", "None"))),
                misconfigured("no AutoPublishAlias", runtime, t -> at(t, globals).remove("AutoPublishAlias")),
                misconfigured("no log group for the debit function", logs, t -> at(t, "Resources").remove("DebitLogGroup")),
                misconfigured("a log group without retention", logs,
                        t -> at(t, "Resources", "CheckLogGroup", "Properties").remove("RetentionInDays")),
                misconfigured("a function logging to the other function's group", logs,
                        t -> at(t, "Resources", "CheckFunction", "Properties", "LoggingConfig")
                                .put("LogGroup", Map.of("Ref", "DebitLogGroup"))));
    }

    private static Arguments misconfigured(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, check, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("misconfiguredCopies")
    void theChecks_catchAMisconfiguredCopy(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);

        assertThat(check.run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
