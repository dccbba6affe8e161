package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.Results.DebitReceipt;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The credit limit (issue 15) in the wallet's use cases: debits, holds and captures go below zero down to
 * {@code -creditLimit} and no further (402 with the shortfall); refunds and the next period's allowance repay the debt
 * first; the limit cannot go below the debt nor what holds reserve on credit. After every test the ledger sums to the
 * balance (= lots - debt), the balance is at least -creditLimit, and held is the pending holds.
 */
class CreditLimitTest {
    private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");
    private static final AccountId ALICE = AccountId.of("alice");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    /** New accounts on solo: mockup 3 allowance, credits 10 purchased (the signup grant). */
    private final WalletService wallet = new WalletService(store, TestCatalogs.soloByDefault(), clock);
    private final List<DebitReceipt> debits = new ArrayList<>();
    private int keys;

    @AfterEach
    void invariantsHold() {
        assertThat(store.ledgerDisagreements(ALICE)).as("ledger = balance = lots - debt, balance >= -creditLimit").isEmpty();
        assertThat(store.heldDisagreements(ALICE)).as("held is the pending holds").isEmpty();
    }

    private Idempotency key() {
        String key = "k" + (++keys);
        return new Idempotency(new IdempotencyKey(key), key);
    }

    private void open() {
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
    }

    private void limit(String bucket, long limit) {
        wallet.setCreditLimit(new AdminCommands.CreditLimit(ALICE, bucket, limit, "trial", "ops", Optional.empty()),
                r -> new StoredResponse(200, "{}"));
    }

    private DebitReceipt debit(String bucket, long amount) {
        wallet.debit(new DebitCommand(ALICE, new ChargeRequest.ByAmount(bucket, amount, "test"), Metadata.NONE, key()), r -> {
            debits.add(r);
            return new StoredResponse(201, "{}");
        });
        return debits.getLast();
    }

    private String hold(String bucket, long amount) {
        wallet.hold(new HoldCommands.Hold(ALICE, new ChargeRequest.ByAmount(bucket, amount, "hold"), 600, Metadata.NONE, key()),
                r -> new StoredResponse(201, "{}"));
        return store.account(ALICE).holds().keySet().iterator().next();
    }

    private BucketBalance bucket(String name) {
        return store.account(ALICE).bucket(name);
    }

    @Test
    void aDebit_goesBelowZeroDownToTheLimit_takingTheRestOnCredit_thenA402SaysTheShortfall() {
        open();
        limit("credits", 20);

        DebitReceipt receipt = debit("credits", 25);

        assertThat(receipt.consumed()).extracting(Consumed::lotId, Consumed::source, Consumed::amount).containsExactly(
                org.assertj.core.groups.Tuple.tuple("purchased:credits", LotSource.PURCHASE, 10L),
                org.assertj.core.groups.Tuple.tuple("credit:credits", LotSource.CREDIT, 15L));
        assertThat(bucket("credits").debt()).isEqualTo(15);
        assertThat(bucket("credits").total()).isEqualTo(-15);
        assertThat(bucket("credits").available()).isEqualTo(5);
        assertThatThrownBy(() -> debit("credits", 6)).isInstanceOfSatisfying(InsufficientTokensException.class, e -> {
            assertThat(e.available()).isEqualTo(5);
            assertThat(e.creditLimit()).isEqualTo(20);
            assertThat(e.shortfall()).isEqualTo(1);
        });
        debit("credits", 5);
        assertThat(bucket("credits").total()).isEqualTo(-20);
        assertThat(bucket("credits").available()).isZero();
    }

    @Test
    void withoutALimit_nothingChanges_a402AtZero() {
        open();
        assertThatThrownBy(() -> debit("credits", 11)).isInstanceOfSatisfying(InsufficientTokensException.class, e -> {
            assertThat(e.creditLimit()).isZero();
            assertThat(e.shortfall()).isEqualTo(1);
        });
        assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
    }

    @Test
    void aHold_reservesOnCredit_anditsCapture_takesTheDebt_theRestReleased() {
        open();
        limit("credits", 20);
        String holdId = hold("credits", 28);
        assertThat(bucket("credits").available()).isEqualTo(2);
        assertThatThrownBy(() -> limit("credits", 17)).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.code()).isEqualTo("credit_limit_below_debt"));

        wallet.capture(new HoldCommands.Capture(ALICE, holdId, OptionalLong.of(25), key()), r -> new StoredResponse(200, "{}"));

        assertThat(bucket("credits").debt()).isEqualTo(15);
        assertThat(bucket("credits").held()).isZero();
        assertThat(bucket("credits").available()).isEqualTo(5);
    }

    @Test
    void aRefundOfAChargeOnCredit_repaysTheDebtFirst() {
        open();
        limit("credits", 20);
        DebitReceipt charge = debit("credits", 25);

        wallet.refund(new HoldCommands.Refund(ALICE, charge.entry().transactionId(), OptionalLong.of(12), "failed", key()),
                r -> new StoredResponse(201, "{}"));
        assertThat(bucket("credits").debt()).isEqualTo(3);
        wallet.refund(new HoldCommands.Refund(ALICE, charge.entry().transactionId(), OptionalLong.empty(), "failed", key()),
                r -> new StoredResponse(201, "{}"));
        assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0, List.of(), 20));
    }

    @Test
    void theNextPeriodsAllowance_repaysTheDebtFirst_ledgerVisible() {
        open();
        limit("mockup", 5);
        debit("mockup", 7);
        assertThat(bucket("mockup").debt()).isEqualTo(4);

        clock.set(Instant.parse("2026-12-01T00:00:01Z"));
        debit("credits", 1); // a write that reaches the account moves it to December

        BucketBalance mockup = bucket("mockup");
        assertThat(mockup.allowance()).isZero();
        assertThat(mockup.debt()).isEqualTo(1);
        LedgerEntry reset = store.entries(ALICE).stream().filter(e -> e.type() == EntryType.PLAN_RESET && e.bucket().equals("mockup"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(reset.allowanceDelta()).isZero();
        assertThat(reset.purchasedDelta()).as("the allowance's 3 tokens repaid debt").isEqualTo(3);
        assertThat(reset.amount()).isEqualTo(3);
    }

    @Test
    void theLimit_cannotGoBelowTheDebt_andEachChangeIsAnEntryOfAmountZero() {
        open();
        limit("credits", 20);
        debit("credits", 18);
        assertThatThrownBy(() -> limit("credits", 7)).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.code()).isEqualTo("credit_limit_below_debt"));
        limit("credits", 8);

        assertThat(bucket("credits").available()).isZero();
        assertThat(store.entries(ALICE).stream().filter(e -> e.type() == EntryType.CREDIT_LIMIT))
                .extracting(LedgerEntry::amount, LedgerEntry::metadataJson).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, "{\"admin\":\"ops\",\"creditLimit\":20,\"previousCreditLimit\":0}"),
                        org.assertj.core.groups.Tuple.tuple(0L, "{\"admin\":\"ops\",\"creditLimit\":8,\"previousCreditLimit\":20}"));
    }
}
