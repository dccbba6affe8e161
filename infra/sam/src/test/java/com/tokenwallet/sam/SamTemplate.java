package com.tokenwallet.sam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * template.yaml, read the way CloudFormation reads it, with the few questions the tests ask of it. The file is
 * the one at the repository root: the surefire configuration passes its path as {@code template.path}.
 */
final class SamTemplate {
    static final String FUNCTION = "AWS::Serverless::Function";
    static final String HTTP_API = "AWS::Serverless::HttpApi";
    static final String TABLE = "AWS::DynamoDB::Table";
    static final String LOG_GROUP = "AWS::Logs::LogGroup";

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /** The template at the repository root. */
    static SamTemplate load() {
        return parse(read(path()));
    }

    static SamTemplate parse(String yaml) {
        return new SamTemplate(CloudFormationYaml.parse(yaml));
    }

    /** A template from a tree, typically a changed copy of {@link #tree()} that a check must reject. */
    static SamTemplate of(Map<String, Object> tree) {
        return new SamTemplate(CloudFormationYaml.copyOf(tree));
    }

    static Path path() {
        String configured = System.getProperty("template.path");
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("System property template.path is not set: run the tests through Maven "
                    + "(infra/sam/pom.xml sets it), or pass -Dtemplate.path=/path/to/template.yaml.");
        }
        Path path = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("No template at " + path);
        }
        return path;
    }

    /** The repository root: the directory that holds template.yaml, and against which CodeUri paths resolve. */
    static Path repositoryRoot() {
        return path().getParent();
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole template as plain maps and lists (a mutable deep copy: change it freely). */
    Map<String, Object> tree() {
        return CloudFormationYaml.copyOf(root);
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"), "Resources");
    }

    /** Logical id to resource (Type, Properties, DeletionPolicy, ...), in template order. */
    Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            Map<String, Object> r = map(resource, id);
            if (type.equals(r.get("Type"))) {
                found.put(id, r);
            }
        });
        return found;
    }

    Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return map(resource, logicalId);
    }

    /** Globals.Function, or an empty map. */
    Map<String, Object> functionGlobals() {
        Map<String, Object> globals = optionalMap(root.get("Globals"), "Globals");
        return optionalMap(globals.get("Function"), "Globals.Function");
    }

    List<Function> functions() {
        List<Function> functions = new ArrayList<>();
        resourcesOfType(FUNCTION).forEach((id, resource) -> functions.add(new Function(id,
                optionalMap(resource.get("Properties"), id + ".Properties"), functionGlobals())));
        return functions;
    }

    /** The one function whose Handler is this class. */
    Function functionHandledBy(Class<?> handler) {
        List<Function> found = functions().stream().filter(f -> f.handlerClass().equals(handler.getName())).toList();
        if (found.size() != 1) {
            throw new AssertionError("template.yaml should have exactly one function with Handler " + handler.getName()
                    + ", but has " + found.size());
        }
        return found.getFirst();
    }

    /** The logical id of the table every function works on: the one their WALLET_TABLE variable refers to. */
    String walletTableId() {
        List<String> tables = new ArrayList<>();
        for (Function f : functions()) {
            Object variable = f.environment("WALLET_TABLE")
                    .orElseThrow(() -> new AssertionError(f.logicalId() + " has no WALLET_TABLE variable (WalletFactory needs it)"));
            String table = ref(variable).orElseThrow(() -> new AssertionError(
                    f.logicalId() + ".WALLET_TABLE should be !Ref to the table resource, not " + variable));
            if (!tables.contains(table)) {
                tables.add(table);
            }
        }
        if (tables.size() != 1) {
            throw new AssertionError("The functions should share one table, but WALLET_TABLE refers to " + tables);
        }
        String id = tables.getFirst();
        if (!TABLE.equals(resource(id).get("Type"))) {
            throw new AssertionError("WALLET_TABLE refers to " + id + ", which is not an " + TABLE);
        }
        return id;
    }

    Map<String, Object> parameters() {
        return optionalMap(root.get("Parameters"), "Parameters");
    }

    /** One AWS::Serverless::Function, with Globals.Function as SAM merges it for the scalar settings. */
    record Function(String logicalId, Map<String, Object> properties, Map<String, Object> globals) {

        /** The function's own value, else the global one (SAM's rule for scalar properties). */
        Optional<Object> effective(String property) {
            return Optional.ofNullable(properties.containsKey(property) ? properties.get(property) : globals.get(property));
        }

        String handler() {
            return string(effective("Handler").orElse(null), logicalId + ".Handler");
        }

        /** The class part of {@code package.Class::method}. */
        String handlerClass() {
            String handler = handler();
            int separator = handler.indexOf("::");
            return separator < 0 ? handler : handler.substring(0, separator);
        }

        /** The method part of {@code package.Class::method}; Lambda's default is handleRequest. */
        String handlerMethod() {
            String handler = handler();
            int separator = handler.indexOf("::");
            return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        }

        String codeUri() {
            return string(effective("CodeUri").orElse(null), logicalId + ".CodeUri");
        }

        /**
         * The function's environment variable, SAM merging Environment.Variables over Globals (the function's own
         * value wins).
         */
        Optional<Object> environment(String variable) {
            Map<String, Object> own = variables(properties, logicalId);
            return Optional.ofNullable(own.containsKey(variable) ? own.get(variable) : variables(globals, "Globals.Function").get(variable));
        }

        private static Map<String, Object> variables(Map<String, Object> settings, String where) {
            Map<String, Object> environment = optionalMap(settings.get("Environment"), where + ".Environment");
            return optionalMap(environment.get("Variables"), where + ".Environment.Variables");
        }

        List<Object> policies() {
            Object policies = properties.get("Policies");
            if (policies == null) {
                return List.of();
            }
            return policies instanceof List<?> list ? new ArrayList<>(list) : List.of(policies);
        }

        List<HttpApiEvent> httpApiEvents() {
            List<HttpApiEvent> events = new ArrayList<>();
            optionalMap(properties.get("Events"), logicalId + ".Events").forEach((name, event) -> {
                Map<String, Object> e = map(event, logicalId + ".Events." + name);
                if ("HttpApi".equals(e.get("Type"))) {
                    events.add(new HttpApiEvent(logicalId, name, optionalMap(e.get("Properties"), name + ".Properties")));
                }
            });
            return events;
        }
    }

    record HttpApiEvent(String function, String name, Map<String, Object> properties) {
        String method() {
            return string(properties.get("Method"), function + ".Events." + name + ".Method").toUpperCase();
        }

        String path() {
            return string(properties.get("Path"), function + ".Events." + name + ".Path");
        }

        /** API Gateway's route key, as {@code ApiHandler.routes()} and the handlers' ROUTES spell it. */
        String routeKey() {
            return method() + " " + path();
        }

        Map<String, Object> auth() {
            return optionalMap(properties.get("Auth"), function + ".Events." + name + ".Auth");
        }

        Object authorizer() {
            return auth().get("Authorizer");
        }

        List<String> scopes() {
            Object scopes = auth().get("AuthorizationScopes");
            if (scopes == null) {
                return List.of();
            }
            if (!(scopes instanceof List<?> list)) {
                throw new AssertionError(this + ": AuthorizationScopes is not a list: " + scopes);
            }
            return list.stream().map(String::valueOf).toList();
        }

        Object apiId() {
            return properties.get("ApiId");
        }

        @Override
        public String toString() {
            return function + ".Events." + name;
        }
    }

    /** The mapping at this path in a template tree, for tests that change a copy: {@code at(tree, "Resources", "X")}. */
    static Map<String, Object> at(Map<String, Object> tree, String... path) {
        Map<String, Object> node = tree;
        StringBuilder where = new StringBuilder();
        for (String key : path) {
            where.append(where.isEmpty() ? "" : ".").append(key);
            node = map(node.get(key), where.toString());
        }
        return node;
    }

    // ---- small, strict accessors: a wrong shape is a failed check with the path in the message

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(where + " should be a mapping, but is " + value);
        }
        return (Map<String, Object>) value;
    }

    static Map<String, Object> optionalMap(Object value, String where) {
        return value == null ? Map.of() : map(value, where);
    }

    static List<?> list(Object value, String where) {
        if (!(value instanceof List<?> list)) {
            throw new AssertionError(where + " should be a list, but is " + value);
        }
        return list;
    }

    static String string(Object value, String where) {
        if (!(value instanceof String s)) {
            throw new AssertionError(where + " should be a string, but is " + value);
        }
        return s;
    }

    /** {@code {"Ref": "X"}} gives X; anything else gives empty. */
    static Optional<String> ref(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") instanceof String target) {
            return Optional.of(target);
        }
        return Optional.empty();
    }
}
