package com.tokenwallet.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestClock;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /v1/accounts/{id}/balance?asOf=} (issue 15): the balance body as the ledger had it at the instant, on the
 * balance route's own route key and scopes; every answer here is held to infra/openapi.yaml by {@link TestWallet#call}.
 */
class BalanceAsOfTest {
    private static final String PAT = "pat";
    private static final Instant OPENED = Instant.parse("2026-11-01T08:00:00Z");
    private final TestClock clock = new TestClock(OPENED);
    private final TestWallet wallet = new TestWallet(clock);
    private final CheckHandler check = wallet.handler(CheckHandler::new);
    private WalletService service;

    @BeforeEach
    void open() {
        service = wallet.context.getBean(WalletService.class);
        service.open(new CreateAccountCommand(AccountId.of(PAT), Optional.empty()));
    }

    @AfterEach
    void close() {
        wallet.close();
    }

    private void debit(long tokens, String key) {
        service.debit(new DebitCommand(AccountId.of(PAT), new ChargeRequest.ByAmount("credits", tokens, "t"), Metadata.NONE,
                new Idempotency(new IdempotencyKey(key), key)), r -> new StoredResponse(201, "{}"));
    }

    private APIGatewayV2HTTPResponse balance(String caller, String scope, String asOf) {
        ApiEvents event = ApiEvents.route(CheckHandler.BALANCE).account(PAT).caller(caller, scope);
        if (asOf != null) {
            event.query("asOf", asOf);
        }
        return TestWallet.call(check, event.build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> credits(APIGatewayV2HTTPResponse response) {
        return (Map<String, Object>) ((Map<String, Object>) TestWallet.body(response).get("buckets")).get("credits");
    }

    @Test
    void asOf_answersTheDebtThen_butTheCreditLimitNow() {
        clock.advance(Duration.ofHours(1));
        service.setCreditLimit(new com.tokenwallet.domain.admin.AdminCommands.CreditLimit(com.tokenwallet.domain.account.AccountId.of(PAT),
                "credits", 20, "trial", "ops", java.util.Optional.empty()), r -> new StoredResponse(200, "{}"));
        clock.advance(Duration.ofMinutes(1));
        debit(15, "k1");
        Instant inDebt = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        service.setCreditLimit(new com.tokenwallet.domain.admin.AdminCommands.CreditLimit(com.tokenwallet.domain.account.AccountId.of(PAT),
                "credits", 8, "lowered", "ops", java.util.Optional.empty()), r -> new StoredResponse(200, "{}"));

        assertThat(credits(balance(PAT, "wallet:read", inDebt.toString()))).isEqualTo(Map.of("allowance", 0, "purchased", 0, "held", 0,
                "available", 3, "creditLimit", 8, "debt", 5));
        assertThat(credits(balance(PAT, "wallet:read", null))).isEqualTo(credits(balance(PAT, "wallet:read", inDebt.toString())));
    }

    @Test
    void asOf_answersTheBalanceBody_asTheLedgerHadItThen_onTheBalanceRoute() {
        clock.advance(Duration.ofHours(1));
        Instant beforeDebit = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        debit(4, "k1");
        clock.advance(Duration.ofDays(1));

        APIGatewayV2HTTPResponse then = balance(PAT, "wallet:read", beforeDebit.toString());
        APIGatewayV2HTTPResponse now = balance(PAT, "wallet:read", clock.instant().toString());
        APIGatewayV2HTTPResponse live = balance(PAT, "wallet:read", null);

        assertThat(then.getStatusCode()).isEqualTo(200);
        assertThat(credits(then)).isEqualTo(Map.of("allowance", 0, "purchased", 10, "held", 0, "available", 10,
                "creditLimit", 0, "debt", 0));
        assertThat(TestWallet.body(then)).containsEntry("asOf", beforeDebit.toString()).containsEntry("accountId", PAT)
                .containsKeys("plan", "period", "periodEndsAt", "flags");
        assertThat(credits(now)).isEqualTo(Map.of("allowance", 0, "purchased", 6, "held", 0, "available", 6,
                "creditLimit", 0, "debt", 0));
        assertThat(TestWallet.body(live)).doesNotContainKey("asOf");
        assertThat(credits(live)).isEqualTo(credits(now));
        // A date is its midnight UTC; an offset is honoured.
        assertThat(credits(balance(PAT, "wallet:read", "2026-11-02"))).containsEntry("purchased", 6);
        assertThat(credits(balance(PAT, "wallet:read", "2026-11-01T10:00:30+01:00"))).containsEntry("purchased", 10);
    }

    @Test
    void theLedgersEntries_showTheBucketsPartsAfterEach() {
        clock.advance(Duration.ofMinutes(1));
        debit(3, "k1");

        APIGatewayV2HTTPResponse page = TestWallet.call(check, ApiEvents.route(CheckHandler.TRANSACTIONS).account(PAT)
                .caller(PAT, "wallet:read").build());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) TestWallet.body(page).get("items");
        assertThat(items.getFirst()).containsEntry("type", "debit").containsEntry("allowanceAfter", 0)
                .containsEntry("purchasedAfter", 7).containsEntry("heldAfter", 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2026-11-01T08:00", "2026-13-01T00:00:00Z", "1763000000", "2026-11-01T08:00:00Z%00"})
    void aMalformedInstant_answers400_onAsOf(String asOf) {
        APIGatewayV2HTTPResponse response = balance(PAT, "wallet:read", asOf);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(TestWallet.body(response)).containsEntry("code", "invalid_request").containsEntry("field", "asOf");
    }

    @Test
    void aFutureInstant_answers400_onAsOf_andBeforeTheAccount_404() {
        APIGatewayV2HTTPResponse future = balance(PAT, "wallet:charge", clock.instant().plusSeconds(1).toString());
        APIGatewayV2HTTPResponse before = balance(PAT, "wallet:charge", OPENED.minusMillis(1).toString());
        APIGatewayV2HTTPResponse nobody = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account("nobody")
                .caller("svc", "wallet:charge").query("asOf", OPENED.toString()).build());

        assertThat(future.getStatusCode()).isEqualTo(400);
        assertThat(TestWallet.body(future)).containsEntry("code", "invalid_request").containsEntry("field", "asOf");
        assertThat(before.getStatusCode()).isEqualTo(404);
        assertThat(TestWallet.body(before)).containsEntry("code", "account_not_found");
        assertThat(nobody.getStatusCode()).isEqualTo(404);
    }

    @Test
    void scopes_areTheBalanceRoutes() {
        String at = clock.instant().toString();
        assertThat(balance(PAT, "wallet:read", at).getStatusCode()).isEqualTo(200);
        assertThat(balance("someone-else", "wallet:read", at).getStatusCode()).isEqualTo(403);
        assertThat(balance("svc", "wallet:charge", at).getStatusCode()).isEqualTo(200);
        assertThat(balance("ops", "wallet:admin", at).getStatusCode()).isEqualTo(200);
    }

    @Test
    void moreThan1000EntriesWithoutParts_answer409_asOfTooDeep() {
        Account account = wallet.store.findAccount(AccountId.of(PAT)).orElseThrow();
        TransactionIds ids = new TransactionIds(clock);
        clock.advance(Duration.ofMinutes(1));
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            entries.add(new LedgerEntry(ids.next(), account.id(), EntryType.GRANT, "credits", 0, 0, 0, null, null, "old", null, clock.instant()));
        }
        assertThat(wallet.store.write(new WalletStore.AccountWrite(account, account, entries, Optional.empty())))
                .isInstanceOf(WalletStore.WriteResult.Applied.class);
        // As written by a version before balances were recorded.
        wallet.execute("UPDATE ledger SET balances_after = NULL");

        APIGatewayV2HTTPResponse response = balance(PAT, "wallet:read", clock.instant().toString());

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(TestWallet.body(response)).containsEntry("code", "as_of_too_deep");
    }
}
