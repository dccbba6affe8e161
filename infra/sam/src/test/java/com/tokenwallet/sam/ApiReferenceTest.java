package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README.md's API reference table is generated from infra/openapi.yaml (and each route's throttling from
 * template.yaml): this test renders it and demands the text between the README's markers be exactly that, printing
 * the table to paste when they differ.
 */
class ApiReferenceTest {
    static final String START = "<!-- api-reference:start";
    static final String END = "<!-- api-reference:end -->";

    /** The table (route, scopes, success statuses, the errors particular to the route) and the errors every route shares. */
    static String render(OpenApiDocument document, SamTemplate template) {
        // Each route's settings are in the RouteSettings of the HttpApi it is on (the webhook has an API of its own).
        Map<String, Object> routeSettings = new java.util.HashMap<>();
        template.resourcesOfType(SamTemplate.HTTP_API).values().forEach(api -> routeSettings.putAll(SamTemplate.optionalMap(
                SamTemplate.optionalMap(api.get("Properties"), "Properties").get("RouteSettings"), "RouteSettings")));
        List<OpenApiDocument.Operation> operations = document.operations();
        Set<String> shared = null;
        for (OpenApiDocument.Operation operation : operations) {
            Set<String> errors = errors(operation);
            if (shared == null) {
                shared = new LinkedHashSet<>(errors);
            } else {
                shared.retainAll(errors);
            }
        }
        Set<String> common = shared == null ? Set.of() : shared;
        StringBuilder text = new StringBuilder();
        text.append("| route | scopes (any one) | success | errors of this route | throttling (per s / burst) |\n");
        text.append("|---|---|---|---|---|\n");
        for (OpenApiDocument.Operation operation : operations) {
            List<String> own = new ArrayList<>(errors(operation));
            own.removeAll(common);
            text.append("| `").append(operation.routeKey()).append("` | ")
                    .append(String.join(", ", operation.scopes())).append(" | ")
                    .append(String.join(", ", operation.successStatuses())).append(" | ")
                    .append(own.isEmpty() ? "-" : String.join(", ", own)).append(" | ")
                    .append(throttling(routeSettings.get(operation.routeKey()))).append(" |\n");
        }
        text.append("\nEvery route may also answer ").append(String.join(", ", common)).append(".\n");
        return text.toString();
    }

    private static String throttling(Object settings) {
        if (!(settings instanceof Map<?, ?> limits)) {
            return "template default";
        }
        return limits.get(RouteThrottlingTest.RATE) + " / " + limits.get(RouteThrottlingTest.BURST);
    }

    /** "400 `invalid_request`" for each code of each error status, in status order. */
    private static Set<String> errors(OpenApiDocument.Operation operation) {
        Set<String> errors = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, Object>> response : operation.responses().entrySet()) {
            if (response.getKey().startsWith("2")) {
                continue;
            }
            operation.codes(response.getKey()).forEach(code -> errors.add(response.getKey() + " `" + code + "`"));
        }
        return errors;
    }

    static String readmeSection() {
        String readme = SamTemplate.read(readmePath());
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < start) {
            throw new AssertionError("README.md has no section between '" + START + " ... -->' and '" + END + "'");
        }
        int afterStartLine = readme.indexOf('\n', start) + 1;
        return readme.substring(afterStartLine, end);
    }

    static Path readmePath() {
        String configured = System.getProperty("readme.path");
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("System property readme.path is not set: run the tests through Maven (infra/sam/pom.xml sets it).");
        }
        return Path.of(configured);
    }

    @Test
    void theReadmesApiReference_isTheOneTheDocumentGives() {
        String expected = render(OpenApiDocument.load(), SamTemplate.load());

        assertThat(readmeSection().strip())
                .as("README.md's API reference differs from infra/openapi.yaml; paste this between its markers:%n%n%s", expected)
                .isEqualTo(expected.strip());
    }

    @Test
    void theRendering_followsTheDocument() {
        java.util.Map<String, Object> tree = OpenApiDocument.load().tree();
        SamTemplate.at(tree, "paths").remove("/v1/catalog");

        String rendered = render(OpenApiDocument.of(tree), SamTemplate.load());

        assertThat(rendered).doesNotContain("GET /v1/catalog").contains("`POST /v1/accounts/{accountId}/debits` | wallet:charge, wallet:admin | 201 |")
                .contains("402 `insufficient_tokens`").contains("| 300 / 600 |");
        assertThat(rendered.lines().filter(l -> l.startsWith("| `")).collect(Collectors.toList())).hasSize(OpenApiDocument.load().operations().size() - 1);
    }
}
