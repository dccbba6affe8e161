package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * infra/openapi.yaml describes exactly the API template.yaml deploys: the same routes (method and path), each
 * accepting the same scopes as its AuthorizationScopes, the Idempotency-Key on every mutating POST under /v1, and
 * the answers API Gateway itself may give on any route. A route added to one file and not the other fails here.
 */
class OpenApiContractTest {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    /** POSTs under /v1 that change nothing, and so take no Idempotency-Key. */
    static final Set<String> READ_ONLY_POSTS = Set.of("POST /v1/accounts/{accountId}/quotes");
    /** What API Gateway (and the local runner) may answer on any route, before or around the function. */
    static final Set<String> GATEWAY_STATUSES = Set.of("413", "429", "500");
    /** What it may answer besides on a route behind the JWT authorizer (a route with {@code security: []} is not). */
    static final Set<String> AUTHORIZER_STATUSES = Set.of("401", "403");

    @FunctionalInterface
    interface ContractCheck {
        List<String> problems(SamTemplate template, OpenApiDocument document);

        default List<String> run(SamTemplate template, OpenApiDocument document) {
            try {
                return problems(template, document);
            } catch (AssertionError e) {
                return List.of(e.getMessage());
            }
        }
    }

    /** Route key to AuthorizationScopes, for every HttpApi event of the template. */
    static Map<String, List<String>> templateRoutes(SamTemplate template) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        template.functions().forEach(f -> f.httpApiEvents().forEach(e -> routes.put(e.routeKey(), e.scopes())));
        return routes;
    }

    static List<String> routeMismatches(SamTemplate template, OpenApiDocument document) {
        Set<String> deployed = templateRoutes(template).keySet();
        Set<String> documented = new HashSet<>();
        document.operations().forEach(o -> documented.add(o.routeKey()));
        List<String> problems = new ArrayList<>();
        new TreeSet<>(deployed).stream().filter(r -> !documented.contains(r))
                .forEach(r -> problems.add(r + " is deployed by template.yaml but missing from infra/openapi.yaml"));
        new TreeSet<>(documented).stream().filter(r -> !deployed.contains(r))
                .forEach(r -> problems.add(r + " is in infra/openapi.yaml but template.yaml deploys no such route"));
        return problems;
    }

    static List<String> scopeMismatches(SamTemplate template, OpenApiDocument document) {
        Map<String, List<String>> deployed = templateRoutes(template);
        List<String> problems = new ArrayList<>();
        for (OpenApiDocument.Operation operation : document.operations()) {
            List<String> templateScopes = deployed.get(operation.routeKey());
            if (templateScopes == null) {
                continue;
            }
            for (List<String> alternative : operation.securityAlternatives()) {
                if (alternative.size() != 1) {
                    problems.add(operation.routeKey() + ": the security alternative " + alternative + " demands all of its scopes at once;"
                            + " API Gateway accepts any one of AuthorizationScopes, so list one scope per alternative");
                }
            }
            if (!operation.scopes().equals(new HashSet<>(templateScopes))) {
                problems.add(operation.routeKey() + " accepts " + new TreeSet<>(operation.scopes()) + " in infra/openapi.yaml but "
                        + new TreeSet<>(templateScopes) + " in template.yaml (AuthorizationScopes)");
            }
        }
        return problems;
    }

    static List<String> idempotencyProblems(SamTemplate template, OpenApiDocument document) {
        List<String> problems = new ArrayList<>();
        for (OpenApiDocument.Operation operation : document.operations()) {
            String route = operation.routeKey();
            boolean mutatingPost = operation.method().equals("POST") && operation.path().startsWith("/v1/") && !READ_ONLY_POSTS.contains(route);
            boolean requires = operation.requiresHeader(IDEMPOTENCY_KEY);
            if (mutatingPost && !requires) {
                problems.add(route + " changes the wallet but does not require the " + IDEMPOTENCY_KEY + " header");
            }
            if (!mutatingPost && requires) {
                problems.add(route + " requires " + IDEMPOTENCY_KEY + ", which only the mutating POSTs under /v1 take");
            }
            if (mutatingPost && !operation.successesDeclareHeader(REPLAYED)) {
                problems.add(route + ": its success responses should declare the " + REPLAYED + " header");
            }
        }
        return problems;
    }

    static List<String> missingGatewayAnswers(SamTemplate template, OpenApiDocument document) {
        List<String> problems = new ArrayList<>();
        for (OpenApiDocument.Operation operation : document.operations()) {
            Set<String> missing = new TreeSet<>(GATEWAY_STATUSES);
            if (!operation.securityAlternatives().isEmpty()) {
                missing.addAll(AUTHORIZER_STATUSES);
            }
            missing.removeAll(operation.responses().keySet());
            if (!missing.isEmpty()) {
                problems.add(operation.routeKey() + " does not document " + missing + ", which any route may answer (authorizer, "
                        + "throttling, body limit, unexpected faults)");
            }
        }
        return problems;
    }

    @Test
    void theDocument_hasExactlyTheTemplatesRoutes() {
        assertThat(OpenApiDocument.load().operations()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(routeMismatches(SamTemplate.load(), OpenApiDocument.load())).isEmpty();
    }

    @Test
    void eachRoute_acceptsTheSameScopes_inBoth() {
        assertThat(scopeMismatches(SamTemplate.load(), OpenApiDocument.load())).isEmpty();
    }

    @Test
    void theMutatingPosts_requireAnIdempotencyKey_andSayWhenTheyReplay() {
        assertThat(idempotencyProblems(SamTemplate.load(), OpenApiDocument.load())).isEmpty();
    }

    @Test
    void everyRoute_documentsWhatTheGatewayMayAnswer() {
        assertThat(missingGatewayAnswers(SamTemplate.load(), OpenApiDocument.load())).isEmpty();
    }

    static Stream<Arguments> mismatchedCopies() {
        String[] checkEvents = {"Resources", "CheckFunction", "Properties", "Events"};
        String[] debitPost = {"paths", "/v1/accounts/{accountId}/debits", "post"};
        ContractCheck routes = OpenApiContractTest::routeMismatches;
        ContractCheck scopes = OpenApiContractTest::scopeMismatches;
        ContractCheck idempotency = OpenApiContractTest::idempotencyProblems;
        ContractCheck gateway = OpenApiContractTest::missingGatewayAnswers;
        return Stream.of(
                mismatched("a deployed route left out of the document", routes, t -> { }, d -> at(d, "paths").remove("/v1/catalog")),
                mismatched("a documented route the template does not deploy", routes,
                        t -> at(t, checkEvents).remove("Catalog"), d -> { }),
                mismatched("a documented method the template does not deploy", routes, t -> { },
                        d -> at(d, "paths", "/v1/catalog").put("post", at(d, "paths", "/v1/catalog", "get"))),
                mismatched("a scope the template does not accept", scopes, t -> { },
                        d -> at(d, debitPost).put("security", List.of(Map.of("walletJwt", List.of("wallet:read")),
                                Map.of("walletJwt", List.of("wallet:charge")), Map.of("walletJwt", List.of("wallet:admin"))))),
                mismatched("a scope the document leaves out", scopes,
                        t -> at(t, checkEvents, "Balance", "Properties", "Auth").put("AuthorizationScopes", List.of("wallet:admin")), d -> { }),
                mismatched("scopes demanded together", scopes, t -> { },
                        d -> at(d, debitPost).put("security", List.of(Map.of("walletJwt", List.of("wallet:charge", "wallet:admin"))))),
                mismatched("a debit without its Idempotency-Key", idempotency, t -> { }, d -> at(d, debitPost).remove("parameters")),
                mismatched("a debit that does not say when it replays", idempotency, t -> { },
                        d -> at(d, debitPost, "responses", "201").remove("headers")),
                mismatched("a route without its 429", gateway, t -> { }, d -> at(d, debitPost, "responses").remove("429")),
                mismatched("a secured route without its 401", gateway, t -> { }, d -> at(d, debitPost, "responses").remove("401")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> tree, String[] path, String... more) {
        return SamTemplate.at(tree, Stream.concat(Stream.of(path), Stream.of(more)).toArray(String[]::new));
    }

    private static Map<String, Object> at(Map<String, Object> tree, String... path) {
        return SamTemplate.at(tree, path);
    }

    private static Arguments mismatched(String mistake, ContractCheck check, Consumer<Map<String, Object>> changeTemplate,
                                        Consumer<Map<String, Object>> changeDocument) {
        return Arguments.of(mistake, check, changeTemplate, changeDocument);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("mismatchedCopies")
    void theChecks_catchAMismatchedCopy(String mistake, ContractCheck check, Consumer<Map<String, Object>> changeTemplate,
                                        Consumer<Map<String, Object>> changeDocument) {
        Map<String, Object> template = SamTemplate.load().tree();
        Map<String, Object> document = OpenApiDocument.load().tree();
        changeTemplate.accept(template);
        changeDocument.accept(document);

        assertThat(check.run(SamTemplate.of(template), OpenApiDocument.of(document))).as("a copy with %s", mistake).isNotEmpty();
    }
}
