package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC section 3: who may call which route. Every route of the check and debit functions (holds and capture
 * included; the refund function's release and refunds are in the refund module's matrix, since that module
 * depends on this one), called with every kind of caller, on an account that exists, with a body and key that
 * succeed when the caller is allowed (an allowed capture gets a fresh hold of its own):
 *
 * <ul>
 *   <li>no authorizer context: 401 {@code unauthenticated};</li>
 *   <li>a token without any wallet scope: 403 {@code forbidden};</li>
 *   <li>{@code wallet:read} as the owner ({@code sub == accountId}): the reads, quotes and {@code PUT account};
 *       never the debits, holds or captures (403);</li>
 *   <li>{@code wallet:read} on someone else's account: 403 (the catalog has no account: allowed);</li>
 *   <li>{@code wallet:charge} and {@code wallet:admin} as another sub: everything.</li>
 * </ul>
 *
 * A refused call changes no item of the table; so does an allowed call of a read route. Refused captures aim at a
 * standing pending hold, which is still pending at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationMatrixTest {

    private static final String OWNER = "alice";

    private TestWallet wallet;
    private DebitHandler debit;
    private CheckHandler check;
    /** The pending hold refused captures aim at. */
    private String standingHold;

    /** Charging routes: only wallet:charge and wallet:admin. */
    private static final Set<String> CHARGING = Set.of(DebitHandler.DEBITS, DebitHandler.HOLDS, DebitHandler.CAPTURE);

    enum CallerKind {
        /** No requestContext.authorizer at all: the route was reached without a token. */
        NO_AUTHORIZER(null),
        /** The authorizer ran but the token has no sub: no one to authorize. */
        AUTHORIZER_WITHOUT_SUB(null, "wallet:admin"),
        /** A valid token of the owner that carries no wallet scope. */
        NO_WALLET_SCOPE(OWNER, "openid", "profile"),
        /** A look-alike scope is not the scope. */
        LOOKALIKE_SCOPE("mallory", "wallet:Admin", "wallet:charge:all", "wallet"),
        READ_OWN(OWNER, "wallet:read"),
        /** wallet:read whose sub differs from the account only by case: someone else. */
        READ_OWN_OTHER_CASE("ALICE", "wallet:read"),
        READ_OTHER("mallory", "wallet:read"),
        CHARGE_OTHER("backend", "wallet:charge"),
        ADMIN_OTHER("root", "wallet:admin");

        final String subject;
        final String[] scopes;

        CallerKind(String subject, String... scopes) {
            this.subject = subject;
            this.scopes = scopes;
        }

        ApiEvents apply(ApiEvents event) {
            return switch (this) {
                case NO_AUTHORIZER -> event;
                default -> event.caller(subject, scopes);
            };
        }
    }

    @BeforeAll
    void startWallet() {
        wallet = new TestWallet();
        debit = wallet.handler(DebitHandler::new);
        check = wallet.handler(CheckHandler::new);
        var opened = TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(OWNER)
                .caller("backend", "wallet:charge").build());
        assertThat(opened.getStatusCode()).as(opened.getBody()).isEqualTo(201);
        standingHold = hold("standing");
    }

    /** A pending hold of one credit on the owner's account, placed by the backend; returns its id. */
    private String hold(String key) {
        var held = TestWallet.call(debit, ApiEvents.route(DebitHandler.HOLDS).account(OWNER).caller("backend", "wallet:charge")
                .idempotencyKey(key + "-" + UUID.randomUUID()).json("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"authz\",\"ttlSeconds\":3600}").build());
        assertThat(held.getStatusCode()).as(held.getBody()).isEqualTo(201);
        return (String) TestWallet.body(held).get("holdId");
    }

    @AfterAll
    void stopWallet() {
        if (wallet != null) {
            wallet.close();
        }
    }

    @Test
    @Order(0)
    void theMatrixCoversEveryRouteOfBothFunctions() {
        Set<String> covered = new TreeSet<>();
        matrix().forEach(args -> covered.add((String) args.get()[0]));
        Set<String> all = new TreeSet<>(CheckHandler.ROUTES);
        all.addAll(DebitHandler.ROUTES);
        assertThat(covered).isEqualTo(all);
    }

    Stream<Arguments> matrix() {
        List<String> routes = new ArrayList<>(new TreeSet<>(CheckHandler.ROUTES));
        routes.addAll(new TreeSet<>(DebitHandler.ROUTES));
        List<Arguments> out = new ArrayList<>();
        for (String route : routes) {
            for (CallerKind kind : CallerKind.values()) {
                out.add(Arguments.of(route, kind, expectedStatus(route, kind)));
            }
        }
        return out.stream();
    }

    /** SPEC section 3 and 3.1/3.2, as a table. */
    private static int expectedStatus(String route, CallerKind kind) {
        int allowed = switch (route) {
            case DebitHandler.DEBITS, DebitHandler.HOLDS -> 201;
            case DebitHandler.OPEN_ACCOUNT -> 200; // the account exists: returned, no second grant
            default -> 200;
        };
        return switch (kind) {
            case NO_AUTHORIZER, AUTHORIZER_WITHOUT_SUB -> 401;
            case NO_WALLET_SCOPE, LOOKALIKE_SCOPE -> 403;
            case CHARGE_OTHER, ADMIN_OTHER -> allowed;
            case READ_OWN -> CHARGING.contains(route) ? 403 : allowed;
            case READ_OWN_OTHER_CASE, READ_OTHER -> route.equals(CheckHandler.CATALOG) ? allowed : 403;
        };
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    @Order(1)
    void eachCallerGetsWhatSpecSectionThreeSays(String route, CallerKind kind, int expected) {
        ApiHandler handler = DebitHandler.ROUTES.contains(route) ? debit : check;
        // An allowed capture takes a fresh hold; a refused one aims at the standing hold, which must stay pending.
        String holdId = route.equals(DebitHandler.CAPTURE) ? (expected < 400 ? hold("fresh") : standingHold) : null;
        APIGatewayV2HTTPEvent event = kind.apply(validRequest(route, holdId)).build();
        List<Map<String, Object>> before = wallet.items();

        APIGatewayV2HTTPResponse response = TestWallet.call(handler, event);

        assertThat(response.getStatusCode()).as("%s as %s: %s", route, kind, response.getBody()).isEqualTo(expected);
        List<Map<String, Object>> after = wallet.items();
        if (expected >= 400) {
            String code = expected == 401 ? "unauthenticated" : "forbidden";
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            Map<String, Object> problem = TestWallet.body(response);
            assertThat(problem).containsEntry("code", code)
                    .containsEntry("status", expected)
                    .containsEntry("type", ApiResponses.PROBLEM_TYPE_BASE + code)
                    .containsKeys("title", "detail");
            assertThat(after).as("a refused call changes nothing").containsExactlyInAnyOrderElementsOf(before);
        } else {
            if (route.equals(CheckHandler.EXPORT)) {
                assertThat(response.getHeaders()).containsEntry("Content-Type", "text/csv");
                assertThat(response.getBody()).startsWith("transactionId,createdAt,type,").contains(",signup_grant,credits,10,");
                assertThat(after).as("an export changes nothing").containsExactlyInAnyOrderElementsOf(before);
                return;
            }
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
            Map<String, Object> body = TestWallet.body(response);
            switch (route) {
                case DebitHandler.DEBITS -> {
                    assertThat(body).containsEntry("accountId", OWNER).containsEntry("amount", 1).containsEntry("bucket", "credits");
                    assertThat(after).as("a debit writes").isNotEqualTo(before);
                }
                case DebitHandler.HOLDS -> {
                    assertThat(body).containsEntry("amount", 1).containsEntry("bucket", "credits").containsEntry("status", "pending");
                    assertThat(after).as("a hold writes").isNotEqualTo(before);
                }
                case DebitHandler.CAPTURE -> {
                    assertThat(body).containsEntry("holdId", holdId).containsEntry("captured", 1).containsEntry("status", "captured");
                    assertThat(after).as("a capture writes").isNotEqualTo(before);
                }
                case CheckHandler.CATALOG -> assertThat(body).containsKey("operations");
                case CheckHandler.TRANSACTIONS, CheckHandler.LOTS -> assertThat(body).containsKey("items");
                case CheckHandler.QUOTES -> assertThat(body).containsEntry("operation", "ai_chat").containsEntry("cost", 1);
                default -> assertThat(body).containsEntry("accountId", OWNER);
            }
            if (!CHARGING.contains(route)) {
                assertThat(after).as("reads and re-opening an account change nothing").containsExactlyInAnyOrderElementsOf(before);
            }
        }
    }

    @Test
    @Order(2)
    void afterTheMatrix_theStandingHoldIsStillPending_andOnlyAllowedCallsMovedTokens() {
        var balance = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account(OWNER).caller("backend", "wallet:charge").build());
        // 10 - 2 debits - 2 captures; held: the standing hold and the two holds of the allowed hold calls.
        assertThat(TestWallet.body(balance)).extracting("buckets").extracting("credits")
                .isEqualTo(Map.of("allowance", 0, "purchased", 6, "held", 3, "available", 3, "creditLimit", 0, "debt", 0));
        assertThat(wallet.items("holds", OWNER).stream().filter(i -> standingHold.equals(i.get("hold_id"))))
                .singleElement().satisfies(i -> assertThat(i.get("status")).isEqualTo("pending"));
    }

    /** A request that succeeds for an allowed caller: valid account, body and a fresh Idempotency-Key. */
    private static ApiEvents validRequest(String route, String holdId) {
        ApiEvents event = ApiEvents.route(route);
        if (!route.equals(CheckHandler.CATALOG)) {
            event.account(OWNER);
        }
        return switch (route) {
            case DebitHandler.DEBITS -> event.idempotencyKey("authz-" + UUID.randomUUID())
                    .json("{\"operation\":\"ai_chat\",\"metadata\":{\"source\":\"authz\"}}");
            case DebitHandler.HOLDS -> event.idempotencyKey("authz-" + UUID.randomUUID())
                    .json("{\"operation\":\"ai_chat\",\"ttlSeconds\":3600,\"metadata\":{\"source\":\"authz\"}}");
            case DebitHandler.CAPTURE -> event.pathParameter("holdId", holdId).idempotencyKey("authz-" + UUID.randomUUID())
                    .json("{\"amount\":1}");
            case CheckHandler.QUOTES -> event.json("{\"operation\":\"ai_chat\"}");
            // The wallet's clock is the machine's: a window around now holds the signup grant.
            case CheckHandler.EXPORT -> event.query("from", java.time.Instant.now().minus(java.time.Duration.ofDays(1)).toString())
                    .query("to", java.time.Instant.now().plus(java.time.Duration.ofDays(1)).toString()).query("format", "csv");
            case DebitHandler.OPEN_ACCOUNT -> event.json("{\"email\":\"alice@example.com\"}");
            default -> event;
        };
    }
}
