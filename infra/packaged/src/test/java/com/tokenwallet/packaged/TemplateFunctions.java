package com.tokenwallet.packaged;

import com.tokenwallet.sam.CloudFormationYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The functions of template.yaml as Lambda would run them: handler, jar, memory, timeout, name and environment
 * (Globals merged with the function's own, every intrinsic resolved by {@link Intrinsics} to this test's values).
 */
final class TemplateFunctions {

    /** One AWS::Serverless::Function. */
    record Function(String logicalId, String handler, Path jar, int memoryMb, int timeoutSeconds, String functionName,
                    Map<String, String> environment) {
    }

    private TemplateFunctions() {
    }

    static Path templatePath(Path repositoryRoot) {
        return repositoryRoot.resolve("template.yaml");
    }

    /** The template at the repository root, read the way CloudFormation reads it. */
    static Map<String, Object> read(Path repositoryRoot) {
        try {
            return CloudFormationYaml.parse(Files.readString(templatePath(repositoryRoot)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every function of the template, by logical id, in the template's order. */
    static Map<String, Function> load(Map<String, Object> root, Path repositoryRoot, Intrinsics intrinsics) {
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        Map<String, Function> functions = new LinkedHashMap<>();
        map(root.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> properties = map(resource.get("Properties"));
            Map<String, String> environment = new LinkedHashMap<>();
            variables(globals).forEach((name, v) -> environment.put(name, intrinsics.resolve(v)));
            variables(properties).forEach((name, v) -> environment.put(name, intrinsics.resolve(v)));
            String name = properties.containsKey("FunctionName") ? intrinsics.resolve(properties.get("FunctionName"))
                    : intrinsics.stackName() + "-" + id;
            functions.put(id, new Function(id,
                    (String) properties.get("Handler"),
                    repositoryRoot.resolve((String) properties.get("CodeUri")).normalize(),
                    number(properties, globals, "MemorySize", 128),
                    number(properties, globals, "Timeout", 3),
                    name,
                    environment));
        });
        return functions;
    }

    private static Map<String, Object> variables(Map<String, Object> functionProperties) {
        return map(map(functionProperties.get("Environment")).get("Variables"));
    }

    private static int number(Map<String, Object> properties, Map<String, Object> globals, String key, int lambdaDefault) {
        Object value = properties.containsKey(key) ? properties.get(key) : globals.get(key);
        return value == null ? lambdaDefault : Integer.parseInt(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }
}
