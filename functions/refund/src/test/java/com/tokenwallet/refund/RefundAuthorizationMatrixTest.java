package com.tokenwallet.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
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
 * SPEC section 3 for the refund function's routes (release and refunds; the debit module's matrix covers holds and
 * capture; it cannot call this function, which depends on it): every route with every kind of caller. Only
 * {@code wallet:charge} and {@code wallet:admin} may release or refund; {@code wallet:read}, even the owner's, gets
 * 403. A refused call changes no item; an allowed one gets a fresh hold to release or a fresh debit to refund.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefundAuthorizationMatrixTest {

    private static final String OWNER = "alice";

    private TestWallet wallet;
    private DebitHandler debit;
    private RefundHandler refund;
    private CheckHandler check;
    /** What refused calls aim at: a pending hold and a debit that must stay as they are. */
    private String standingHold;
    private String standingDebit;

    enum CallerKind {
        NO_AUTHORIZER(null),
        AUTHORIZER_WITHOUT_SUB(null, "wallet:admin"),
        NO_WALLET_SCOPE(OWNER, "openid", "profile"),
        LOOKALIKE_SCOPE("mallory", "wallet:Admin", "wallet:charge:all", "wallet"),
        READ_OWN(OWNER, "wallet:read"),
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
            return this == NO_AUTHORIZER ? event : event.caller(subject, scopes);
        }
    }

    @BeforeAll
    void startWallet() {
        wallet = new TestWallet();
        debit = wallet.handler(DebitHandler::new);
        refund = wallet.handler(RefundHandler::new);
        check = wallet.handler(CheckHandler::new);
        Api.open(debit, OWNER);
        standingHold = Api.held(debit, OWNER, "standing-hold", 1, 3600);
        standingDebit = Api.debited(debit, OWNER, "standing-debit", 1);
    }

    @AfterAll
    void stopWallet() {
        if (wallet != null) {
            wallet.close();
        }
    }

    @Test
    @Order(0)
    void theMatrixCoversEveryRouteOfTheRefundFunction() {
        Set<String> covered = new TreeSet<>();
        matrix().forEach(args -> covered.add((String) args.get()[0]));
        assertThat(covered).isEqualTo(new TreeSet<>(RefundHandler.ROUTES));
    }

    Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (String route : new TreeSet<>(RefundHandler.ROUTES)) {
            for (CallerKind kind : CallerKind.values()) {
                out.add(Arguments.of(route, kind, expectedStatus(route, kind)));
            }
        }
        return out.stream();
    }

    private static int expectedStatus(String route, CallerKind kind) {
        int allowed = route.equals(RefundHandler.REFUNDS) ? 201 : 200;
        return switch (kind) {
            case NO_AUTHORIZER, AUTHORIZER_WITHOUT_SUB -> 401;
            case NO_WALLET_SCOPE, LOOKALIKE_SCOPE, READ_OWN, READ_OWN_OTHER_CASE, READ_OTHER -> 403;
            case CHARGE_OTHER, ADMIN_OTHER -> allowed;
        };
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    @Order(1)
    void eachCallerGetsWhatSpecSectionThreeSays(String route, CallerKind kind, int expected) {
        boolean allowed = expected < 400;
        ApiEvents request = ApiEvents.route(route).account(OWNER).idempotencyKey("authz-" + UUID.randomUUID());
        String target;
        if (route.equals(RefundHandler.RELEASE)) {
            target = allowed ? Api.held(debit, OWNER, "fresh-" + UUID.randomUUID(), 1, 3600) : standingHold;
            request.pathParameter("holdId", target);
        } else {
            target = allowed ? Api.debited(debit, OWNER, "fresh-" + UUID.randomUUID(), 1) : standingDebit;
            request.json(Api.refundBody(target, null));
        }
        APIGatewayV2HTTPEvent event = kind.apply(request).build();
        List<Map<String, Object>> before = wallet.items();

        APIGatewayV2HTTPResponse response = TestWallet.call(refund, event);

        assertThat(response.getStatusCode()).as("%s as %s: %s", route, kind, response.getBody()).isEqualTo(expected);
        if (!allowed) {
            String code = expected == 401 ? "unauthenticated" : "forbidden";
            assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            assertThat(TestWallet.body(response)).containsEntry("code", code).containsEntry("status", expected)
                    .containsEntry("type", ApiResponses.PROBLEM_TYPE_BASE + code).containsKeys("title", "detail");
            assertThat(wallet.items()).as("a refused call changes nothing").containsExactlyInAnyOrderElementsOf(before);
        } else {
            Map<String, Object> body = TestWallet.body(response);
            if (route.equals(RefundHandler.RELEASE)) {
                assertThat(body).containsEntry("holdId", target).containsEntry("status", "released").containsEntry("released", 1);
            } else {
                assertThat(body).containsEntry("transactionId", target).containsEntry("amount", 1).containsEntry("refundedTotal", 1);
            }
            assertThat(wallet.items()).as("an allowed call writes").isNotEqualTo(before);
        }
    }

    @Test
    @Order(2)
    void afterTheMatrix_theStandingHoldIsPendingAndTheStandingDebitUnrefunded() {
        assertThat(Invariants.holdItem(wallet.database, OWNER, standingHold).get("status")).isEqualTo("pending");
        assertThat(Invariants.rows(wallet.database, "refund_tallies", OWNER).stream().filter(i -> standingDebit.equals(i.get("transaction_id")))).isEmpty();
        assertThat(Api.bucket(Api.balance(check, OWNER), "credits")).containsEntry("held", 1).containsEntry("available", 8);
        Invariants.assertHold(check, wallet.database, OWNER, java.time.Clock.systemUTC());
    }
}
