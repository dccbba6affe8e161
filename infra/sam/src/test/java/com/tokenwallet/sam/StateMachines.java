package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.map;
import static com.tokenwallet.sam.SamTemplate.optionalMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The template's AWS::Serverless::StateMachine resources with their ASL definitions (the DefinitionUri files, which
 * resolve against template.yaml's directory: infra/statemachines/...), read as trees, and a walk over every state of
 * a definition, Map processors included.
 */
final class StateMachines {
    static final String STATE_MACHINE = "AWS::Serverless::StateMachine";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StateMachines() {
    }

    /** One state machine: its logical id, properties and definition (a tree a test may change). */
    record Machine(String logicalId, Map<String, Object> properties, Map<String, Object> definition) {
        String definitionUri() {
            return SamTemplate.string(properties.get("DefinitionUri"), logicalId + ".DefinitionUri");
        }

        Map<String, Object> substitutions() {
            return optionalMap(properties.get("DefinitionSubstitutions"), logicalId + ".DefinitionSubstitutions");
        }

        /** Its Policies, read as a function's are ({@link IamPolicies#expand}). */
        List<IamPolicies.Statement> statements() {
            return IamPolicies.expand(new SamTemplate.Function(logicalId, properties, Map.of()));
        }

        /** Every state, by name, at any depth (a Map's ItemProcessor or Iterator included). */
        Map<String, Map<String, Object>> states() {
            Map<String, Map<String, Object>> all = new LinkedHashMap<>();
            walk(definition, logicalId, all::put);
            return all;
        }
    }

    static Map<String, Object> readDefinition(String uri) {
        Path file = SamTemplate.repositoryRoot().resolve(uri);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = JSON.readValue(SamTemplate.read(file), Map.class);
        return tree;
    }

    /** Every state machine of the template, each with the definition its DefinitionUri names. */
    static Map<String, Machine> all(SamTemplate template) {
        return all(template, Map.of());
    }

    /** As {@link #all(SamTemplate)}, with definitions given by DefinitionUri taking the place of the files. */
    static Map<String, Machine> all(SamTemplate template, Map<String, Map<String, Object>> definitions) {
        Map<String, Machine> machines = new LinkedHashMap<>();
        template.resourcesOfType(STATE_MACHINE).forEach((id, resource) -> {
            Map<String, Object> properties = optionalMap(resource.get("Properties"), id + ".Properties");
            String uri = SamTemplate.string(properties.get("DefinitionUri"), id + ".DefinitionUri");
            machines.put(id, new Machine(id, properties, definitions.containsKey(uri) ? definitions.get(uri) : readDefinition(uri)));
        });
        return machines;
    }

    /** The machine whose definition is this file. */
    static Machine byDefinition(Map<String, Machine> machines, String uri) {
        List<Machine> found = machines.values().stream().filter(m -> m.definitionUri().equals(uri)).toList();
        if (found.size() != 1) {
            throw new AssertionError("template.yaml should have one state machine with DefinitionUri " + uri + ", not " + found.size());
        }
        return found.getFirst();
    }

    private static void walk(Map<String, Object> definition, String where, BiConsumer<String, Map<String, Object>> visit) {
        Map<String, Object> states = map(definition.get("States"), where + ".States");
        states.forEach((name, state) -> {
            Map<String, Object> s = map(state, where + "." + name);
            visit.accept(name, s);
            for (String nested : List.of("ItemProcessor", "Iterator")) {
                if (s.get(nested) != null) {
                    walk(map(s.get(nested), name + "." + nested), name + "." + nested, visit);
                }
            }
            if (s.get("Branches") instanceof List<?> branches) {
                for (Object branch : branches) {
                    walk(map(branch, name + ".Branches[]"), name + ".Branches[]", visit);
                }
            }
        });
    }

    /** The {@code ${Name}} placeholders of a string, in order. */
    static List<String> placeholders(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
