package com.tokenwallet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC 3.4: the admin routes are {@code wallet:admin} only. Every route with every kind of caller, on an account
 * that exists, with a request that succeeds for an admin: no token 401; no wallet scope, a look-alike scope,
 * {@code wallet:read} even on the caller's own account, and {@code wallet:charge} 403, changing nothing; the admin
 * gets the route's success.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAuthorizationMatrixTest {
    private static final String OWNER = "alice";
    private AdminApi api;

    enum CallerKind {
        NO_AUTHORIZER(null),
        AUTHORIZER_WITHOUT_SUB(null, "wallet:admin"),
        NO_WALLET_SCOPE(OWNER, "openid", "profile"),
        LOOKALIKE_SCOPE("mallory", "wallet:Admin", "wallet:admin:all", "admin", "wallet"),
        READ_OWN(OWNER, "wallet:read"),
        CHARGE("backend", "wallet:charge"),
        READ_AND_CHARGE("backend", "wallet:read", "wallet:charge"),
        ADMIN("root", "wallet:admin");

        final String subject;
        final String[] scopes;

        CallerKind(String subject, String... scopes) {
            this.subject = subject;
            this.scopes = scopes;
        }
    }

    @BeforeAll
    void start() {
        api = new AdminApi(null);
        api.open(OWNER, "alice@example.com");
        api.owe(OWNER, "pi_matrix");
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void theMatrixCoversEveryAdminRoute() {
        Set<String> covered = new TreeSet<>();
        matrix().forEach(a -> covered.add((String) a.get()[0]));
        assertThat(covered).isEqualTo(new TreeSet<>(AdminHandler.ROUTES));
    }

    Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (String route : new TreeSet<>(AdminHandler.ROUTES)) {
            for (CallerKind kind : CallerKind.values()) {
                int expected = switch (kind) {
                    case NO_AUTHORIZER, AUTHORIZER_WITHOUT_SUB -> 401;
                    case ADMIN -> route.equals(AdminHandler.GRANTS) || route.equals(AdminHandler.ADJUSTMENTS) ? 201 : 200;
                    default -> 403;
                };
                out.add(Arguments.of(route, kind, expected));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    void onlyTheAdminScopeReachesTheAdminRoutes(String route, CallerKind kind, int expected) {
        ApiEvents event = validRequest(route);
        if (kind != CallerKind.NO_AUTHORIZER) {
            event.caller(kind.subject, kind.scopes);
        }
        List<Map<String, Object>> before = api.wallet.items();

        APIGatewayV2HTTPResponse response = api.call(event);

        assertThat(response.getStatusCode()).as("%s as %s: %s", route, kind, response.getBody()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            assertThat(TestWallet.body(response)).containsEntry("code", expected == 401 ? "unauthenticated" : "forbidden");
            assertThat(api.wallet.items()).as("a refused call changes nothing").containsExactlyInAnyOrderElementsOf(before);
        } else {
            Map<String, Object> body = TestWallet.body(response);
            switch (route) {
                case AdminHandler.ACCOUNT -> assertThat(body).containsEntry("accountId", OWNER).containsKey("latestTransactions");
                case AdminHandler.LOOKUP -> assertThat(AdminApi.list(body, "items")).singleElement()
                        .satisfies(a -> assertThat(a).containsEntry("accountId", OWNER));
                case AdminHandler.GRANTS -> assertThat(body).containsEntry("type", "grant").containsEntry("amount", 1);
                case AdminHandler.ADJUSTMENTS -> assertThat(body).containsEntry("type", "adjustment").containsEntry("part", "purchased");
                case AdminHandler.PLAN -> assertThat(body).containsEntry("plan", "solo");
                case AdminHandler.OWED_PAYMENTS -> assertThat(AdminApi.list(body, "items")).singleElement()
                        .satisfies(o -> assertThat(o).containsEntry("paymentId", "pi_matrix"));
                case AdminHandler.SETTLE_OWED_PAYMENT -> assertThat(body).containsEntry("status", "refunded");
                case AdminHandler.CREDIT_LIMIT -> assertThat(body).containsEntry("type", "credit_limit").containsEntry("creditLimit", 5);
                case AdminHandler.USAGE -> assertThat(body).containsEntry("accountId", OWNER).containsEntry("granularity", "day")
                        .containsKey("intervals");
                default -> assertThat(body).containsKeys("examined", "ledgerMismatches", "complete");
            }
        }
    }

    private static ApiEvents validRequest(String route) {
        ApiEvents event = ApiEvents.route(route);
        return switch (route) {
            case AdminHandler.ACCOUNT -> event.account(OWNER);
            case AdminHandler.LOOKUP -> event.query("email", "Alice@Example.com");
            case AdminHandler.GRANTS -> event.account(OWNER).json("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"matrix\"}");
            case AdminHandler.ADJUSTMENTS -> event.account(OWNER).json("{\"bucket\":\"credits\",\"amount\":1,\"reason\":\"matrix\"}");
            case AdminHandler.PLAN -> event.account(OWNER).json("{\"plan\":\"solo\",\"resetAllowance\":false}");
            case AdminHandler.OWED_PAYMENTS -> event.account(OWNER);
            case AdminHandler.USAGE -> event.account(OWNER).query("from", java.time.Instant.now().minus(java.time.Duration.ofDays(1)).toString())
                    .query("to", java.time.Instant.now().plus(java.time.Duration.ofDays(1)).toString());
            case AdminHandler.SETTLE_OWED_PAYMENT -> event.account(OWNER).pathParameter("paymentId", "pi_matrix")
                    .json("{\"outcome\":\"refunded\",\"reason\":\"matrix\"}");
            case AdminHandler.CREDIT_LIMIT -> event.account(OWNER).pathParameter("bucket", "credits")
                    .json("{\"creditLimit\":5,\"reason\":\"matrix\"}");
            default -> event.query("limit", "10");
        };
    }
}
