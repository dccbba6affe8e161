package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.list;
import static com.tokenwallet.sam.SamTemplate.map;
import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static com.tokenwallet.sam.SamTemplate.string;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * infra/openapi.yaml, read as plain maps, with the questions the contract tests ask of it: its operations, the
 * scopes each accepts, its statuses and the problem codes of each. The surefire configuration passes the path as
 * {@code openapi.path}.
 */
final class OpenApiDocument {
    static final String SECURITY_SCHEME = "walletJwt";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final Map<String, Object> root;

    private OpenApiDocument(Map<String, Object> root) {
        this.root = root;
    }

    static OpenApiDocument load() {
        return parse(SamTemplate.read(path()));
    }

    static OpenApiDocument parse(String yaml) {
        return new OpenApiDocument(CloudFormationYaml.parse(yaml));
    }

    /** A document from a tree, typically a changed copy of {@link #tree()} that a check must reject. */
    static OpenApiDocument of(Map<String, Object> tree) {
        return new OpenApiDocument(CloudFormationYaml.copyOf(tree));
    }

    static Path path() {
        String configured = System.getProperty("openapi.path");
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("System property openapi.path is not set: run the tests through Maven (infra/sam/pom.xml sets it).");
        }
        Path path = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("No OpenAPI document at " + path);
        }
        return path;
    }

    Map<String, Object> tree() {
        return CloudFormationYaml.copyOf(root);
    }

    /** Every operation, in document order. */
    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        optionalMap(root.get("paths"), "paths").forEach((path, item) -> map(item, "paths." + path).forEach((key, operation) -> {
            if (METHODS.contains(key)) {
                operations.add(new Operation(key.toUpperCase(Locale.ROOT), path, map(operation, path + "." + key), this));
            }
        }));
        return operations;
    }

    /** The object a local {@code $ref} such as {@code #/components/schemas/X} points at, or the value itself. */
    Map<String, Object> resolve(Object value, String where) {
        Map<String, Object> node = map(value, where);
        for (int depth = 0; node.containsKey("$ref") && depth < 8; depth++) {
            String ref = string(node.get("$ref"), where + ".$ref");
            if (!ref.startsWith("#/")) {
                throw new AssertionError(where + ": only local references are expected, not " + ref);
            }
            Map<String, Object> target = root;
            for (String part : ref.substring(2).split("/")) {
                target = map(target.get(part), ref);
            }
            node = target;
        }
        return node;
    }

    /** One operation: its route key, the scopes of its security alternatives, and what it answers. */
    record Operation(String method, String path, Map<String, Object> definition, OpenApiDocument document) {

        String routeKey() {
            return method + " " + path;
        }

        /** The security alternatives, each as its scheme's scopes (an alternative is one way to be let in). */
        List<List<String>> securityAlternatives() {
            Object security = definition.containsKey("security") ? definition.get("security") : document.root.get("security");
            if (security == null) {
                return List.of();
            }
            List<List<String>> alternatives = new ArrayList<>();
            for (Object alternative : list(security, routeKey() + ".security")) {
                Map<String, Object> requirement = map(alternative, routeKey() + ".security[]");
                if (requirement.size() != 1 || !requirement.containsKey(SECURITY_SCHEME)) {
                    throw new AssertionError(routeKey() + ": each security alternative should name " + SECURITY_SCHEME + " alone, not " + requirement);
                }
                alternatives.add(list(requirement.get(SECURITY_SCHEME), routeKey() + ".security").stream().map(String::valueOf).toList());
            }
            return alternatives;
        }

        /** Every scope some alternative accepts. */
        Set<String> scopes() {
            Set<String> scopes = new LinkedHashSet<>();
            securityAlternatives().forEach(scopes::addAll);
            return scopes;
        }

        /** Whether the named header is a required parameter (of the operation or its path). */
        boolean requiresHeader(String name) {
            List<Object> parameters = new ArrayList<>();
            Map<String, Object> item = map(optionalMap(document.root.get("paths"), "paths").get(path), path);
            if (item.get("parameters") != null) {
                parameters.addAll(list(item.get("parameters"), path + ".parameters"));
            }
            if (definition.get("parameters") != null) {
                parameters.addAll(list(definition.get("parameters"), routeKey() + ".parameters"));
            }
            return parameters.stream().map(p -> document.resolve(p, routeKey() + ".parameters[]"))
                    .anyMatch(p -> "header".equals(p.get("in")) && name.equalsIgnoreCase(String.valueOf(p.get("name")))
                            && Boolean.TRUE.equals(p.get("required")));
        }

        /** Status to response object, with references resolved, in status order. */
        TreeMap<String, Map<String, Object>> responses() {
            TreeMap<String, Map<String, Object>> responses = new TreeMap<>();
            optionalMap(definition.get("responses"), routeKey() + ".responses")
                    .forEach((status, response) -> responses.put(status, document.resolve(response, routeKey() + ".responses." + status)));
            return responses;
        }

        List<String> successStatuses() {
            return responses().keySet().stream().filter(s -> s.startsWith("2")).toList();
        }

        /** The problem codes an error status may carry: the {@code const} or {@code enum} of its body's {@code code}. */
        List<String> codes(String status) {
            Map<String, Object> response = responses().get(status);
            Map<String, Object> content = optionalMap(response.get("content"), routeKey() + " " + status + ".content");
            Set<String> codes = new LinkedHashSet<>();
            content.forEach((mediaType, media) -> {
                Map<String, Object> schema = document.resolve(map(media, mediaType).get("schema"), routeKey() + " " + status + " schema");
                Map<String, Object> code = map(optionalMap(schema.get("properties"), "properties").get("code"), routeKey() + " " + status + " code");
                if (code.containsKey("const")) {
                    codes.add(String.valueOf(code.get("const")));
                } else {
                    list(code.get("enum"), routeKey() + " " + status + " code.enum").forEach(c -> codes.add(String.valueOf(c)));
                }
            });
            return List.copyOf(codes);
        }

        /** Whether every success response declares the named header. */
        boolean successesDeclareHeader(String name) {
            return successStatuses().stream().allMatch(status ->
                    optionalMap(responses().get(status).get("headers"), routeKey() + " " + status + ".headers").containsKey(name));
        }
    }
}
