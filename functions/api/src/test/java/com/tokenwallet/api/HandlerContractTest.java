package com.tokenwallet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.api.testing.HandlerContract;
import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.AccountId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The check TestWallet.call applies to every handler response catches drift from infra/openapi.yaml, and accepts
 * the problem+json this module writes.
 */
class HandlerContractTest {
    private static final String BALANCE = "GET /v1/accounts/{accountId}/balance";
    private static final String CATALOG = "GET /v1/catalog";

    @Test
    void theProblemsThisModuleWrites_keepToTheDocument() {
        assertThat(HandlerContract.problems(BALANCE, ApiResponses.problem(new AccountNotFoundException(AccountId.of("alice"))))).isEmpty();
        assertThat(HandlerContract.problems(BALANCE, ApiResponses.problem(new StoreUnavailableException("down")))).isEmpty();
        assertThat(HandlerContract.problems(BALANCE, ApiResponses.problem(ApiProblem.forbidden("no")))).isEmpty();
    }

    @Test
    void aFieldOfTheWrongType_anUndocumentedCode_orAStatusTheRouteLacks_isCaught() {
        String balance = "{\"accountId\":\"alice\",\"plan\":\"free\",\"period\":\"2026-11\",\"periodEndsAt\":\"2026-12-01T00:00:00Z\","
                + "\"buckets\":{\"credits\":{\"allowance\":0,\"purchased\":10,\"held\":0,\"available\":%s,\"creditLimit\":0,\"debt\":0}},\"flags\":[]}";

        assertThat(HandlerContract.problems(BALANCE, ApiResponses.json(200, balance.formatted("10"), Map.of()))).isEmpty();
        assertThat(HandlerContract.problems(BALANCE, ApiResponses.json(200, balance.formatted("\"10\""), Map.of())))
                .anySatisfy(p -> assertThat(p).contains("available"));
        assertThat(HandlerContract.problems(BALANCE, ApiResponses.problem(409, "hold_expired", "Conflict", "x", Map.of()))).isNotEmpty();
        assertThat(HandlerContract.problems(CATALOG, ApiResponses.problem(new StoreUnavailableException("down"))))
                .as("the catalog reads no store: 503 is not among its answers").isNotEmpty();
        assertThatThrownBy(() -> HandlerContract.check(BALANCE, ApiResponses.json(200, balance.formatted("\"10\""), Map.of())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("breaks the API document");
    }

    @Test
    void aRouteTheDocumentDoesNotHave_isLeftToTheTestThatSentIt() {
        assertThat(HandlerContract.problems("GET /v1/nothing", ApiResponses.problem(ApiProblem.routeNotFound("GET /v1/nothing")))).isEmpty();
        assertThat(HandlerContract.problems(null, ApiResponses.problem(ApiProblem.routeNotFound("null")))).isEmpty();
    }
}
