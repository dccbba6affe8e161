package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static com.tokenwallet.sam.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what (SPEC §3): every route sits behind API Gateway's JWT authorizer and names the scopes that may
 * call it; a token with only {@code wallet:read} (an end user) can never charge an account.
 */
class ApiSecurityTest {
    static final String AUTHORIZER = "WalletJwt";
    static final Set<String> WALLET_SCOPES = Set.of("wallet:read", "wallet:charge", "wallet:admin");
    static final String DEBITS = "POST /v1/accounts/{accountId}/debits";
    /**
     * The one route without a JWT: Stripe's webhook deliveries carry no token of ours; the function verifies the
     * Stripe-Signature on the raw body instead (StripeWebhookHandler). It must say {@code Authorizer: NONE}
     * explicitly and name no scopes; any other public route is a mistake.
     */
    static final Set<String> SIGNED_PUBLIC_ROUTES = Set.of("POST /webhooks/stripe");
    /** SPEC §3.2, the routes that take tokens away: wallet:charge (or wallet:admin) only. */
    static final Pattern CHARGING_ROUTE = Pattern.compile(
            "POST /v1/accounts/\\{accountId}/(debits|holds|holds/\\{holdId}/(capture|release)|refunds)");
    /** SPEC §3.4: the admin routes are wallet:admin only. */
    static final Pattern ADMIN_ROUTE = Pattern.compile("[A-Z]+ /admin(/.*)?");

    /** Routes not behind the wallet's JWT authorizer, or behind an authorizer that does not check JWTs. */
    static List<String> routesOutsideTheJwtAuthorizer(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.HttpApiEvent event : function.httpApiEvents()) {
                if (SIGNED_PUBLIC_ROUTES.contains(event.routeKey())) {
                    if (!"NONE".equals(event.authorizer()) || !event.scopes().isEmpty()) {
                        problems.add(event + " (" + event.routeKey() + ") is verified by its signature: it should say"
                                + " Authorizer: NONE and name no scopes, not " + event.authorizer() + " " + event.scopes());
                    }
                    continue;
                }
                if (!AUTHORIZER.equals(event.authorizer())) {
                    problems.add(event + " (" + event.routeKey() + "): Auth.Authorizer is " + event.authorizer()
                            + ", not " + AUTHORIZER);
                }
                Optional<String> api = ref(event.apiId());
                if (api.isEmpty()) {
                    problems.add(event + " (" + event.routeKey() + "): ApiId is " + event.apiId() + "; without !Ref to the"
                            + " wallet's HttpApi, SAM puts the route on an implicit API that has no authorizer");
                    continue;
                }
                problems.addAll(jwtAuthorizerProblems(template, api.get()));
            }
        }
        return problems.stream().distinct().toList();
    }

    /** The API must define WalletJwt as a JWT authorizer (issuer, audience, bearer header) and make it the default. */
    private static List<String> jwtAuthorizerProblems(SamTemplate template, String apiId) {
        Map<String, Object> api = template.resource(apiId);
        if (!SamTemplate.HTTP_API.equals(api.get("Type"))) {
            return List.of(apiId + " is " + api.get("Type") + ", not an " + SamTemplate.HTTP_API);
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> auth = optionalMap(optionalMap(api.get("Properties"), apiId).get("Auth"), apiId + ".Auth");
        if (!AUTHORIZER.equals(auth.get("DefaultAuthorizer"))) {
            problems.add(apiId + ".Auth.DefaultAuthorizer is " + auth.get("DefaultAuthorizer") + ", not " + AUTHORIZER
                    + ": a route that forgets its Auth would be public");
        }
        Map<String, Object> authorizers = optionalMap(auth.get("Authorizers"), apiId + ".Auth.Authorizers");
        Map<String, Object> jwt = optionalMap(authorizers.get(AUTHORIZER), apiId + ".Auth.Authorizers." + AUTHORIZER);
        Map<String, Object> configuration = optionalMap(jwt.get("JwtConfiguration"), AUTHORIZER + ".JwtConfiguration");
        if (configuration.get("issuer") == null || configuration.get("audience") == null) {
            problems.add(apiId + ": " + AUTHORIZER + " is not a JWT authorizer with an issuer and an audience: " + jwt);
        }
        if (!"$request.header.Authorization".equals(jwt.get("IdentitySource"))) {
            problems.add(apiId + ": " + AUTHORIZER + " should read the token from $request.header.Authorization, not "
                    + jwt.get("IdentitySource"));
        }
        return problems;
    }

    /** Routes that name no scope (any valid token would do) or a scope the wallet does not define. */
    static List<String> routesWithoutWalletScopes(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.HttpApiEvent event : function.httpApiEvents()) {
                if (SIGNED_PUBLIC_ROUTES.contains(event.routeKey())) {
                    continue; // checked by routesOutsideTheJwtAuthorizer
                }
                List<String> scopes = event.scopes();
                if (scopes.isEmpty()) {
                    problems.add(event + " (" + event.routeKey() + ") has no AuthorizationScopes: any token from the"
                            + " issuer could call it");
                }
                scopes.stream().filter(s -> !WALLET_SCOPES.contains(s)).forEach(s -> problems.add(
                        event + " (" + event.routeKey() + ") accepts scope " + s + ", which is none of " + WALLET_SCOPES));
            }
        }
        return problems;
    }

    /** Charging routes open to wallet:read, admin routes open to anything but wallet:admin. */
    static List<String> privilegedRoutesOpenToLesserScopes(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.HttpApiEvent event : function.httpApiEvents()) {
                String route = event.routeKey();
                if (CHARGING_ROUTE.matcher(route).matches() && event.scopes().contains("wallet:read")) {
                    problems.add(event + " (" + route + ") accepts wallet:read: an end user's token could charge accounts");
                }
                if (ADMIN_ROUTE.matcher(route).matches() && !event.scopes().equals(List.of("wallet:admin"))) {
                    problems.add(event + " (" + route + ") accepts " + event.scopes() + ", not only wallet:admin");
                }
            }
        }
        return problems;
    }

    @Test
    void everyRoute_isBehindTheJwtAuthorizer() {
        assertThat(routesOutsideTheJwtAuthorizer(SamTemplate.load())).isEmpty();
    }

    @Test
    void theJwtAuthorizer_trustsTheDeployersIssuerAndAudience() {
        SamTemplate template = SamTemplate.load();
        Map<String, Object> jwt = at(template.tree(), "Resources", "WalletHttpApi", "Properties", "Auth", "Authorizers",
                AUTHORIZER, "JwtConfiguration");

        assertThat(ref(jwt.get("issuer"))).contains("JwtIssuer");
        assertThat(jwt.get("audience")).isEqualTo(List.of(Map.of("Ref", "JwtAudience")));
        assertThat(template.parameters()).containsKeys("JwtIssuer", "JwtAudience");
    }

    @Test
    void everyRoute_requiresWalletScopes() {
        assertThat(routesWithoutWalletScopes(SamTemplate.load())).isEmpty();
    }

    @Test
    void theDebitRoute_refusesTheReadScope() {
        SamTemplate template = SamTemplate.load();
        List<SamTemplate.HttpApiEvent> debits = template.functions().stream()
                .flatMap(f -> f.httpApiEvents().stream()).filter(e -> e.routeKey().equals(DEBITS)).toList();

        assertThat(debits).as("the template should deploy %s", DEBITS).hasSize(1);
        assertThat(debits.getFirst().scopes()).isNotEmpty().doesNotContain("wallet:read");
        assertThat(privilegedRoutesOpenToLesserScopes(template)).isEmpty();
    }

    static Stream<Arguments> insecureCopies() {
        String[] debits = {"Resources", "DebitFunction", "Properties", "Events", "Debits", "Properties"};
        String[] balance = {"Resources", "CheckFunction", "Properties", "Events", "Balance", "Properties"};
        String[] apiAuth = {"Resources", "WalletHttpApi", "Properties", "Auth"};
        TemplateCheck authorizer = ApiSecurityTest::routesOutsideTheJwtAuthorizer;
        TemplateCheck scopes = ApiSecurityTest::routesWithoutWalletScopes;
        TemplateCheck privileged = ApiSecurityTest::privilegedRoutesOpenToLesserScopes;
        return Stream.of(
                insecure("a route without Auth", authorizer, t -> at(t, debits).remove("Auth")),
                insecure("a route with Authorizer NONE", authorizer,
                        t -> at(t, balance).put("Auth", Map.of("Authorizer", "NONE"))),
                insecure("the Stripe webhook behind a scope", authorizer,
                        t -> at(t, "Resources", "StripeWebhookFunction", "Properties", "Events", "StripeWebhook", "Properties")
                                .put("Auth", Map.of("Authorizer", "NONE", "AuthorizationScopes", List.of("wallet:read")))),
                insecure("a route without ApiId (the implicit API)", authorizer, t -> at(t, balance).remove("ApiId")),
                insecure("no DefaultAuthorizer on the API", authorizer, t -> at(t, apiAuth).remove("DefaultAuthorizer")),
                insecure("the token read from another header", authorizer,
                        t -> at(t, apiAuth).put("Authorizers", Map.of(AUTHORIZER, Map.of("IdentitySource", "$request.header.X-Token",
                                "JwtConfiguration", Map.of("issuer", "https://issuer", "audience", List.of("aud")))))),
                insecure("a route with no scopes", scopes,
                        t -> at(t, balance).put("Auth", Map.of("Authorizer", AUTHORIZER, "AuthorizationScopes", List.of()))),
                insecure("a route with an unknown scope", scopes,
                        t -> at(t, balance).put("Auth", Map.of("Authorizer", AUTHORIZER, "AuthorizationScopes", List.of("wallet:write")))),
                insecure("the debit route open to wallet:read", privileged,
                        t -> at(t, debits).put("Auth", Map.of("Authorizer", AUTHORIZER,
                                "AuthorizationScopes", List.of("wallet:read", "wallet:charge")))),
                insecure("an admin route open to wallet:charge", privileged, t -> at(t, balance).put("Path", "/admin/health")));
    }

    private static Arguments insecure(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, check, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("insecureCopies")
    void theChecks_catchAnInsecureCopy(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);

        assertThat(check.run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
