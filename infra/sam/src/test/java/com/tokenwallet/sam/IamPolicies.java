package com.tokenwallet.sam;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A function's {@code Policies}, expanded to the IAM statements SAM will put in its role: SAM policy templates
 * (DynamoDBReadPolicy, ...) through src/test/resources/sam-policy-templates.json (SAM's own definitions), inline
 * policy documents as written. A managed policy (a name or an ARN) or an intrinsic function cannot be seen
 * through, so it comes back as an {@link Statement#opaque() opaque} statement and a least-privilege check fails on it.
 */
final class IamPolicies {
    private static final Map<String, Object> TEMPLATES = loadTemplates();

    private IamPolicies() {
    }

    record Statement(String source, String effect, List<String> actions, List<String> notActions, Object resource,
                     String policyTemplate, Map<String, Object> templateParameters) {

        /** Something this code cannot read the actions of. */
        boolean opaque() {
            return effect == null;
        }

        @Override
        public String toString() {
            return opaque() ? source : source + " " + effect + " " + actions + (notActions.isEmpty() ? "" : " NotAction " + notActions)
                    + " on " + resource;
        }
    }

    static List<Statement> expand(SamTemplate.Function function) {
        List<Statement> statements = new ArrayList<>();
        List<Object> policies = function.policies();
        for (int i = 0; i < policies.size(); i++) {
            String where = function.logicalId() + ".Policies[" + i + "]";
            Object policy = policies.get(i);
            if (!(policy instanceof Map<?, ?> map) || map.size() != 1 && !map.containsKey("Statement")) {
                statements.add(opaque(where + " (a managed policy or an unreadable form: " + policy + ")"));
                continue;
            }
            Map<String, Object> p = SamTemplate.map(policy, where);
            if (p.containsKey("Statement")) {
                addStatements(statements, where, p.get("Statement"), null, Map.of());
                continue;
            }
            String name = p.keySet().iterator().next();
            if (!TEMPLATES.containsKey(name)) {
                statements.add(opaque(where + " (" + name + " is not a SAM policy template)"));
                continue;
            }
            Map<String, Object> template = SamTemplate.map(TEMPLATES.get(name), name);
            Map<String, Object> definition = SamTemplate.map(template.get("Definition"), name + ".Definition");
            addStatements(statements, where + " " + name, definition.get("Statement"), name,
                    SamTemplate.optionalMap(p.get(name), where + "." + name));
        }
        return statements;
    }

    /** Every action the function may perform, in lower case (IAM action names are case-insensitive). */
    static List<String> actions(SamTemplate.Function function) {
        return expand(function).stream().flatMap(s -> s.actions().stream()).map(String::toLowerCase).distinct().toList();
    }

    private static void addStatements(List<Statement> into, String where, Object statement, String template,
                                      Map<String, Object> parameters) {
        List<?> statements = statement instanceof List<?> list ? list : List.of(statement);
        for (int i = 0; i < statements.size(); i++) {
            String at = where + ".Statement[" + i + "]";
            if (!(statements.get(i) instanceof Map<?, ?>)) {
                into.add(opaque(at + " (not a statement: " + statements.get(i) + ")"));
                continue;
            }
            Map<String, Object> s = SamTemplate.map(statements.get(i), at);
            Object effect = s.get("Effect");
            if (!(effect instanceof String e)) {
                into.add(opaque(at + " (Effect is " + effect + ")"));
                continue;
            }
            Object resource = s.containsKey("Resource") ? s.get("Resource") : s.get("NotResource");
            into.add(new Statement(at, e, strings(s.get("Action")), strings(s.get("NotAction")), resource, template, parameters));
        }
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    private static Statement opaque(String source) {
        return new Statement(source, null, List.of(), List.of(), null, null, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadTemplates() {
        try (InputStream in = IamPolicies.class.getResourceAsStream("/sam-policy-templates.json")) {
            if (in == null) {
                throw new IllegalStateException("sam-policy-templates.json is missing from the test resources");
            }
            Map<String, Object> file = JsonMapper.builder().build().readValue(in, Map.class);
            return SamTemplate.map(file.get("Templates"), "sam-policy-templates.json Templates");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
