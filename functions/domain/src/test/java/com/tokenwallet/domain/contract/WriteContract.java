package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.created;
import static com.tokenwallet.domain.contract.ContractSupport.stored;
import static com.tokenwallet.domain.contract.ContractSupport.wholeLedger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.account.Subscription;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Conditional writes: an account write, its entries, its side records and its key's record commit all or
 * nothing, conditioned on the account's version; the refusals, and their order when several conditions fail,
 * are the DynamoDB adapter's.
 */
public interface WriteContract extends ContractSupport {

    @Test
    default void create_writesTheAccountWithItsOpeningEntries_andASecondCreateFindsTheFirst() {
        try (Fresh f = fresh()) {
            Account first = created(f.wallet(), f.samples(), "ada", 10);
            Account other = f.samples().account("ada", 99);

            assertThat(f.wallet().create(other, List.of(f.samples().opening(other))))
                    .isEqualTo(new WalletStore.CreateResult.AlreadyExists(first));
            assertThat(stored(f.wallet(), "ada")).isEqualTo(first);
            assertThat(wholeLedger(f.wallet(), "ada", 10)).extracting(LedgerEntry::amount).containsExactly(10L);
            assertThat(f.wallet().findAccount(AccountId.of("nobody"))).isEmpty();
        }
    }

    @Test
    default void everyFieldOfAnAccount_andOfAnEntry_readsBackAsWritten() {
        try (Fresh f = fresh()) {
            Instant now = f.samples().now();
            Account rich = new Account(AccountId.of("rich.one@x:y_z-1"), "Rich.One@Example.COM", "solo",
                    new Period("sub_1:2026-11-03", now.minusSeconds(86_400), now.plusSeconds(30L * 86_400)),
                    Map.of("credits", new BucketBalance(3, 7, 4), "mockup", new BucketBalance(2, 0, 0)),
                    Map.of("hold_b", new PendingHold("hold_b", "credits", 3, now.plusSeconds(600)),
                            "hold_a", new PendingHold("hold_a", "credits", 1, now.plusSeconds(60))),
                    new Billing("cus_123", new Subscription("sub_1", "active", "solo", now.minusSeconds(86_400), 1_700_000_000L),
                            Set.of("disputed", "vip")), now, 1);
            LedgerEntry entry = new LedgerEntry(f.samples().txId(), rich.id(), EntryType.ADJUSTMENT, "credits", -2, -1, -1,
                    "video_generation", "hold_a", "a \"quoted\" description, ünïcode", "{\"k\":\"v\"}", now, 4);
            assertThat(f.wallet().create(rich, List.of(entry))).isEqualTo(new WalletStore.CreateResult.Created(rich));

            assertThat(stored(f.wallet(), rich.id().value())).isEqualTo(rich);
            assertThat(wholeLedger(f.wallet(), rich.id().value(), 5)).containsExactly(entry);
            assertThat(f.wallet().readRefund(rich.id(), entry.transactionId()).entry()).contains(entry);
            try (StoreSet other = f.stores().anotherInstance()) {
                assertThat(other.wallet().findAccount(rich.id())).contains(rich);
            }
        }
    }

    @Test
    default void write_appliesTheAccountItsEntriesAndTheKeysRecord_together() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "bob", 10);
            AccountWrite debit = f.samples().debit(v1, 3, Optional.of("k-1"));

            Account v2 = applied(f.wallet(), debit);

            assertThat(v2.version()).isEqualTo(2);
            assertThat(stored(f.wallet(), "bob")).isEqualTo(v2);
            List<LedgerEntry> ledger = wholeLedger(f.wallet(), "bob", 10);
            assertThat(ledger).hasSize(2);
            assertThat(ledger.getFirst()).as("newest first").isEqualTo(debit.entries().getFirst());
            WalletStore.Snapshot snapshot = f.wallet().readForWrite(v1.id(), Optional.of(new IdempotencyKey("k-1")));
            assertThat(snapshot.account()).contains(v2);
            assertThat(snapshot.record()).contains(debit.record().get());
            assertThat(f.wallet().readForWrite(v1.id(), Optional.empty())).isEqualTo(new WalletStore.Snapshot(Optional.of(v2), Optional.empty()));
            assertThat(f.wallet().readForWrite(v1.id(), Optional.of(new IdempotencyKey("unused"))).record()).isEmpty();
        }
    }

    @Test
    default void aWriteFromAStaleVersion_isRefusedWithTheCurrentAccount_andWritesNothingOfItself() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "carl", 10);
            Account v2 = applied(f.wallet(), f.samples().debit(v1, 1));
            AccountWrite late = f.samples().debit(v1, 5, Optional.of("late"));

            assertThat(f.wallet().write(late)).isEqualTo(new WriteResult.Stale(Optional.of(v2)));

            assertThat(stored(f.wallet(), "carl")).isEqualTo(v2);
            assertThat(wholeLedger(f.wallet(), "carl", 10)).hasSize(2).doesNotContain(late.entries().getFirst());
            assertThat(f.wallet().readForWrite(v1.id(), Optional.of(new IdempotencyKey("late"))).record()).isEmpty();
        }
    }

    @Test
    default void aWriteToAnAccountThatDoesNotExist_isStaleWithNoAccount() {
        try (Fresh f = fresh()) {
            Account ghost = f.samples().account("ghost", 10);
            assertThat(f.wallet().write(f.samples().debit(ghost, 1, Optional.of("g")))).isEqualTo(new WriteResult.Stale(Optional.empty()));
            assertThat(f.wallet().findAccount(ghost.id())).isEmpty();
            assertThat(f.wallet().readForWrite(ghost.id(), Optional.of(new IdempotencyKey("g"))).record()).isEmpty();
        }
    }

    @Test
    default void aReplayedKey_isRefusedWithTheFirstRecord_beforeAnyOtherCondition_andWritesNothing() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "dora", 10);
            AccountWrite first = f.samples().debit(v1, 2, Optional.of("once"));
            Account v2 = applied(f.wallet(), first);

            AccountWrite replayFresh = f.samples().debit(v2, 2, Optional.of("once"));
            AccountWrite replayStale = f.samples().debit(v1, 2, Optional.of("once"));

            assertThat(f.wallet().write(replayFresh)).isEqualTo(new WriteResult.KeyUsed(first.record().get()));
            assertThat(f.wallet().write(replayStale)).as("KeyUsed comes before Stale").isEqualTo(new WriteResult.KeyUsed(first.record().get()));
            assertThat(stored(f.wallet(), "dora")).isEqualTo(v2);
            assertThat(wholeLedger(f.wallet(), "dora", 10)).hasSize(2);
        }
    }

    @Test
    default void keysBelongToTheirAccount() {
        try (Fresh f = fresh()) {
            Account a = created(f.wallet(), f.samples(), "eve", 10);
            Account b = created(f.wallet(), f.samples(), "fay", 10);
            applied(f.wallet(), f.samples().debit(a, 1, Optional.of("shared-key")));
            applied(f.wallet(), f.samples().debit(b, 1, Optional.of("shared-key")));
            assertThat(stored(f.wallet(), "fay").bucket("credits").purchased()).isEqualTo(9);
        }
    }

    @Test
    default void anExpiredRecord_holdsItsKeyNoLonger_andIsReplacedByTheNextWrite() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "gus", 10);
            Account v2 = applied(f.wallet(), f.samples().debit(v1, 1, Optional.of("old")));
            f.clock().advance(Samples.KEY_RETENTION.plusSeconds(2));

            assertThat(f.wallet().readForWrite(v1.id(), Optional.of(new IdempotencyKey("old"))).record()).as("expired").isEmpty();
            AccountWrite again = f.samples().debit(v2, 1, Optional.of("old"));
            applied(f.wallet(), again);
            assertThat(f.wallet().readForWrite(v1.id(), Optional.of(new IdempotencyKey("old"))).record()).contains(again.record().get());
        }
    }

    @Test
    default void holds_areRecordedPending_andResolvedOnlyWhilePending() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "hal", 10);
            String holdId = f.samples().holdId();
            Instant expires = f.samples().now().plusSeconds(600);
            Account v2 = applied(f.wallet(), f.samples().hold(v1, holdId, 4, expires));

            assertThat(stored(f.wallet(), "hal").holds()).containsOnlyKeys(holdId);
            assertThat(f.wallet().findHold(v1.id(), holdId))
                    .contains(HoldRecord.pending(holdId, v1.id(), "credits", 4, "video", f.samples().now(), expires));
            assertThat(f.wallet().findHold(v1.id(), "hold_unknown")).isEmpty();

            AccountWrite release = f.samples().release(v2, holdId);
            Account v3 = applied(f.wallet(), release);
            HoldRecord released = f.wallet().findHold(v1.id(), holdId).orElseThrow();
            assertThat(released.status()).isEqualTo(HoldStatus.RELEASED);
            assertThat(released.captureTransactionId()).isEqualTo(release.entries().getFirst().transactionId());
            assertThat(released.resolvedAt()).isEqualTo(f.samples().now());

            // Resolving it again on the current version: the hold's condition fails, and that is a store error.
            SideWrite again = new SideWrite.ResolveHold(holdId, HoldStatus.CAPTURED, 4, f.samples().txId(), f.samples().now());
            AccountWrite second = new AccountWrite(v3, v3, List.of(), Optional.of(f.samples().record("cap", "capture")), List.of(again));
            assertThatThrownBy(() -> f.wallet().write(second)).isInstanceOf(StoreUnavailableException.class);
            // ... unless the account changed too: then it is Stale, and the rule runs again on the fresh state.
            assertThat(f.wallet().write(new AccountWrite(v2, v2, List.of(), Optional.empty(), List.of(again))))
                    .isEqualTo(new WriteResult.Stale(Optional.of(v3)));
            assertThat(f.wallet().findHold(v1.id(), holdId)).contains(released);
            assertThat(stored(f.wallet(), "hal")).isEqualTo(v3);
            assertThat(f.wallet().readForWrite(v1.id(), Optional.of(new IdempotencyKey("cap"))).record()).isEmpty();

            // A hold record that exists already, or one that does not exist to resolve: store errors, nothing written.
            HoldRecord duplicate = HoldRecord.pending(holdId, v1.id(), "credits", 1, null, f.samples().now(), expires);
            assertThatThrownBy(() -> f.wallet().write(new AccountWrite(v3, v3, List.of(), Optional.empty(), List.of(new SideWrite.NewHold(duplicate)))))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> f.wallet().write(new AccountWrite(v3, v3, List.of(), Optional.empty(),
                    List.of(new SideWrite.ResolveHold("hold_missing", HoldStatus.RELEASED, 0, f.samples().txId(), f.samples().now())))))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(stored(f.wallet(), "hal")).isEqualTo(v3);
        }
    }

    @Test
    default void aRefundTally_isWrittenOnlyFromTheVersionItWasComputedFrom() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "ida", 10);
            AccountWrite debit = f.samples().debit(v1, 6);
            Account v2 = applied(f.wallet(), debit);
            String charged = debit.entries().getFirst().transactionId();
            assertThat(f.wallet().readRefund(v1.id(), charged)).isEqualTo(new WalletStore.RefundContext(Optional.of(debit.entries().getFirst()),
                    RefundTally.none(charged)));
            assertThat(f.wallet().readRefund(v1.id(), "tx_unknown").entry()).isEmpty();

            RefundTally one = new RefundTally(charged, 0, 2, 1);
            Account v3 = applied(f.wallet(), refund(f.samples(), v2, charged, 2, RefundTally.none(charged), one));
            assertThat(f.wallet().readRefund(v1.id(), charged).tally()).isEqualTo(one);

            // Another refund computed from the tally before: refused, whatever else it writes.
            AccountWrite stale = refund(f.samples(), v3, charged, 3, RefundTally.none(charged), new RefundTally(charged, 0, 3, 1));
            assertThat(f.wallet().write(stale)).isEqualTo(new WriteResult.TallyStale());
            assertThat(stored(f.wallet(), "ida")).isEqualTo(v3);
            // Both stale: the account's answer wins (its fresh state is what the rule needs first).
            AccountWrite bothStale = refund(f.samples(), v2, charged, 3, RefundTally.none(charged), new RefundTally(charged, 0, 3, 1));
            assertThat(f.wallet().write(bothStale)).isEqualTo(new WriteResult.Stale(Optional.of(v3)));

            RefundTally two = new RefundTally(charged, 0, 5, 2);
            applied(f.wallet(), refund(f.samples(), v3, charged, 3, one, two));
            assertThat(f.wallet().readRefund(v1.id(), charged).tally()).isEqualTo(two);
            assertThat(stored(f.wallet(), "ida").bucket("credits").purchased()).isEqualTo(9);
        }
    }

    private static AccountWrite refund(Samples samples, Account before, String charged, long tokens, RefundTally from, RefundTally to) {
        Account after = before.withBucket("credits", before.bucket("credits").plusPurchased(tokens));
        LedgerEntry entry = new LedgerEntry(samples.txId(), before.id(), EntryType.REFUND, "credits", tokens, 0, tokens, null, charged,
                null, null, samples.now());
        return new AccountWrite(before, after, List.of(entry), Optional.of(samples.record("refund-" + entry.transactionId(), "refund")),
                List.of(new SideWrite.Tally(from, to)));
    }

    @Test
    default void aStripeEvent_isAppliedOnce_evenWhenTheAccountIsStaleToo() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "jan", 0);
            SideWrite event = new SideWrite.EventApplied("evt_1", "invoice.paid", f.samples().now());
            assertThat(f.wallet().readForEvent(v1.id(), "evt_1", Optional.empty()))
                    .isEqualTo(new WalletStore.EventSnapshot(Optional.of(v1), false, Optional.empty()));

            Account v2 = applied(f.wallet(), f.samples().grant(v1, 5, List.of(event)));

            assertThat(f.wallet().readForEvent(v1.id(), "evt_1", Optional.empty()))
                    .isEqualTo(new WalletStore.EventSnapshot(Optional.of(v2), true, Optional.empty()));
            assertThat(f.wallet().write(f.samples().grant(v2, 5, List.of(event)))).isEqualTo(new WriteResult.EventAlreadyApplied());
            assertThat(f.wallet().write(f.samples().grant(v1, 5, List.of(event)))).isEqualTo(new WriteResult.EventAlreadyApplied());
            assertThat(stored(f.wallet(), "jan")).isEqualTo(v2);
            assertThat(f.wallet().readForEvent(v1.id(), "evt_2", Optional.empty()).eventApplied()).isFalse();
            assertThat(f.wallet().readForEvent(AccountId.of("nobody"), "evt_1", Optional.empty()))
                    .isEqualTo(new WalletStore.EventSnapshot(Optional.empty(), false, Optional.empty()));
        }
    }

    @Test
    default void aPurchaseRecord_isCreatedOnce_andChangedOnlyFromTheVersionRead() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "kim", 0);
            PurchaseRecord p1 = Samples.purchase("pi_1", 100, 0, 1);
            Account v2 = applied(f.wallet(), f.samples().grant(v1, 100, List.of(new SideWrite.Purchase(Optional.empty(), p1))));

            assertThat(f.wallet().readForEvent(v1.id(), "evt_x", Optional.of("pi_1")).purchase()).contains(p1);
            assertThat(f.wallet().readForEvent(v1.id(), "evt_x", Optional.of("pi_other")).purchase()).isEmpty();
            assertThat(f.wallet().write(f.samples().grant(v2, 100, List.of(new SideWrite.Purchase(Optional.empty(), p1)))))
                    .as("a second credit of the same payment").isEqualTo(new WriteResult.PurchaseStale());

            PurchaseRecord p2 = Samples.purchase("pi_1", 100, 40, 2);
            Account v3 = applied(f.wallet(), clawback(f.samples(), v2, 40, p1, p2));
            assertThat(f.wallet().readForEvent(v1.id(), "evt_x", Optional.of("pi_1")).purchase()).contains(p2);
            assertThat(f.wallet().write(clawback(f.samples(), v3, 40, p1, Samples.purchase("pi_1", 100, 80, 2))))
                    .as("changed from the version before").isEqualTo(new WriteResult.PurchaseStale());
            assertThat(f.wallet().write(clawback(f.samples(), v2, 40, p1, Samples.purchase("pi_1", 100, 80, 2))))
                    .as("the account's answer wins").isEqualTo(new WriteResult.Stale(Optional.of(v3)));
            assertThat(f.wallet().readForEvent(v1.id(), "evt_x", Optional.of("pi_1")).purchase()).contains(p2);
            assertThat(stored(f.wallet(), "kim").bucket("credits").purchased()).isEqualTo(60);
        }
    }

    private static AccountWrite clawback(Samples samples, Account before, long tokens, PurchaseRecord from, PurchaseRecord to) {
        Account after = before.withBucket("credits", new BucketBalance(0, before.bucket("credits").purchased() - tokens, 0));
        LedgerEntry entry = new LedgerEntry(samples.txId(), before.id(), EntryType.CLAWBACK, "credits", -tokens, 0, -tokens, null,
                to.paymentId(), null, null, samples.now());
        return new AccountWrite(before, after, List.of(entry), Optional.empty(), List.of(new SideWrite.Purchase(Optional.of(from), to)));
    }

    @Test
    default void aWriteWithAnEntryThatExists_failsWhole_leavingNothingOfIt() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "lou", 10);
            AccountWrite first = f.samples().debit(v1, 1);
            Account v2 = applied(f.wallet(), first);
            String holdId = f.samples().holdId();
            AccountWrite hold = f.samples().hold(v2, holdId, 2, f.samples().now().plusSeconds(60));
            AccountWrite clashing = new AccountWrite(v2, hold.after(), List.of(hold.entries().getFirst(), first.entries().getFirst()),
                    Optional.of(f.samples().record("clash", "clash")), hold.sides());

            assertThatThrownBy(() -> f.wallet().write(clashing)).isInstanceOf(StoreUnavailableException.class);

            assertThat(stored(f.wallet(), "lou")).isEqualTo(v2);
            assertThat(wholeLedger(f.wallet(), "lou", 10)).hasSize(2);
            assertThat(f.wallet().findHold(v1.id(), holdId)).isEmpty();
            assertThat(f.wallet().readForWrite(v1.id(), Optional.of(new IdempotencyKey("clash"))).record()).isEmpty();
        }
    }

    @Test
    default void anotherInstance_seesEveryCommittedWriteAtOnce() {
        try (Fresh f = fresh(); StoreSet other = f.stores().anotherInstance()) {
            Account v1 = created(f.wallet(), f.samples(), "max", 10);
            assertThat(other.wallet().findAccount(v1.id())).contains(v1);
            AccountWrite debit = f.samples().debit(v1, 4, Optional.of("m-1"));
            Account v2 = applied(other.wallet(), debit);
            assertThat(f.wallet().findAccount(v1.id())).contains(v2);
            IdempotencyRecord record = debit.record().get();
            assertThat(f.wallet().write(f.samples().debit(v2, 4, Optional.of("m-1")))).isEqualTo(new WriteResult.KeyUsed(record));
            assertThat(other.wallet().write(f.samples().debit(v1, 1))).isEqualTo(new WriteResult.Stale(Optional.of(v2)));
        }
    }
}
