package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.created;
import static com.tokenwallet.domain.contract.ContractSupport.stored;
import static com.tokenwallet.domain.contract.ContractSupport.wholeLedger;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Credit lots (issue 15): a bucket's stored lots are part of the account, written and read with it in the same
 * conditional write (so a debit that burns lots is still one write, one DynamoDB call), every field as written; a
 * lot used up is gone; an account written without lots reads with none (its purchased tokens are one unlotted lot).
 */
public interface LotsContract extends ContractSupport {

    private static Lot lot(Samples s, String id, long remaining, int priority, Instant expiresAt, BigDecimal costBasis, String reference) {
        return new Lot(id, Samples.BUCKET, LotSource.GRANT, remaining + 5, remaining, priority, expiresAt, costBasis, reference, s.now());
    }

    private static AccountWrite grantLots(Samples s, Account before, List<Lot> lots) {
        BucketBalance bucket = before.bucket(Samples.BUCKET);
        List<LedgerEntry> entries = new ArrayList<>();
        for (Lot lot : lots) {
            bucket = bucket.plusLot(lot);
            entries.add(new LedgerEntry(s.txId(), before.id(), EntryType.GRANT, Samples.BUCKET, lot.remaining(), 0, lot.remaining(),
                    null, lot.lotId(), "grant", null, s.now()));
        }
        return new AccountWrite(before, before.withBucket(Samples.BUCKET, bucket), entries, Optional.empty());
    }

    @Test
    default void everyFieldOfALot_readsBackAsWritten_byEveryRead() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "lotte", 10);
            assertThat(v1.bucket(Samples.BUCKET).lots()).as("an account written without lots reads with none").isEmpty();
            Instant now = f.samples().now();
            List<Lot> lots = List.of(
                    lot(f.samples(), "lot_a", 7, 10, now.plusSeconds(3_600), new BigDecimal("0.002499"), "promo \"spring\""),
                    lot(f.samples(), "lot_b", 3, 50, null, null, null),
                    lot(f.samples(), "lot_c", 1, 0, now.plusSeconds(60), new BigDecimal("12"), "goodwill"));

            Account v2 = applied(f.wallet(), grantLots(f.samples(), v1, lots));

            assertThat(v2.bucket(Samples.BUCKET).purchased()).isEqualTo(21);
            assertThat(stored(f.wallet(), "lotte")).isEqualTo(v2);
            assertThat(stored(f.wallet(), "lotte").bucket(Samples.BUCKET).lots()).containsExactlyInAnyOrderElementsOf(lots);
            assertThat(f.wallet().readForWrite(v1.id(), Optional.empty()).account()).contains(v2);
            try (StoreSet other = f.stores().anotherInstance()) {
                assertThat(other.wallet().findAccount(v1.id())).contains(v2);
            }
            // A write from the old version is refused with the current account, lots included.
            assertThat(f.wallet().write(f.samples().debit(v1, 1))).isEqualTo(new WriteResult.Stale(Optional.of(v2)));
        }
    }

    @Test
    default void aDebitThatUsesUpALot_dropsIt_andTheNextReadHasTheRest() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "lena", 0);
            Instant now = f.samples().now();
            Account v2 = applied(f.wallet(), grantLots(f.samples(), v1, List.of(
                    lot(f.samples(), "lot_first", 4, 1, null, null, null),
                    lot(f.samples(), "lot_second", 6, 2, now.plusSeconds(600), null, null))));

            Account v3 = applied(f.wallet(), f.samples().debit(v2, 5));

            assertThat(stored(f.wallet(), "lena")).isEqualTo(v3);
            assertThat(v3.bucket(Samples.BUCKET).lots()).extracting(Lot::lotId, Lot::remaining).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("lot_second", 5L));
            assertThat(v3.bucket(Samples.BUCKET).purchased()).isEqualTo(5);
        }
    }

    @Test
    default void theLotsADebitConsumed_areKeptWithItsEntry_andReadBackByTheRefundsReadAndTheLedger() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "luca", 2);
            Instant now = f.samples().now();
            Account v2 = applied(f.wallet(), grantLots(f.samples(), v1, List.of(
                    lot(f.samples(), "lot_used_up", 3, 1, now.plusSeconds(600), new BigDecimal("19.98"), "pi_\"1\""),
                    lot(f.samples(), "rollover:credits:2026-10", 4, 2, null, null, null))));
            Account.Debit debit = v2.debit(Samples.BUCKET, 6);
            assertThat(debit.consumed()).extracting(c -> c.part()).contains(com.tokenwallet.domain.account.LotView.Part.STORED);
            LedgerEntry entry = new LedgerEntry(f.samples().txId(), v2.id(), EntryType.DEBIT, Samples.BUCKET, -6,
                    -debit.split().fromAllowance(), -debit.split().fromPurchased(), "ai_chat", null, null, null, now)
                    .withConsumed(debit.consumed());

            AccountWrite write = new AccountWrite(v2, debit.after(), List.of(entry), Optional.empty());
            entry = write.entries().getFirst(); // as stored: with every bucket's parts after it
            applied(f.wallet(), write);

            LedgerEntry read = f.wallet().readRefund(v2.id(), entry.transactionId()).entry().orElseThrow();
            assertThat(read).isEqualTo(entry);
            assertThat(read.consumed()).isEqualTo(debit.consumed().stream().map(com.tokenwallet.domain.account.Consumed::recorded).toList());
            assertThat(wholeLedger(f.wallet(), "luca", 10)).contains(entry);
            // An entry that consumed nothing reads back with nothing.
            assertThat(wholeLedger(f.wallet(), "luca", 10)).filteredOn(e -> e.type() == EntryType.GRANT)
                    .allSatisfy(e -> assertThat(e.consumed()).isEmpty());
        }
    }

    @Test
    default void anAccountWithALotThatExpired_isFoundByTheExpirySweep_asOneWithAnExpiredHoldIs() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "lia", 0);
            Instant expires = f.samples().now().plusSeconds(120);
            Account v2 = applied(f.wallet(), grantLots(f.samples(), v1, List.of(lot(f.samples(), "lot_x", 3, 50, expires, null, null))));

            java.util.Set<com.tokenwallet.domain.account.AccountId> before = new java.util.HashSet<>();
            java.util.Set<com.tokenwallet.domain.account.AccountId> after = new java.util.HashSet<>();
            for (int shard = 0; shard < f.wallet().shards(); shard++) {
                before.addAll(f.wallet().accountsWithHoldsExpiredBy(expires.minusSeconds(1), shard, 10));
                after.addAll(f.wallet().accountsWithHoldsExpiredBy(expires, shard, 10));
            }

            assertThat(v2.nextExpiry()).contains(expires);
            assertThat(before).doesNotContain(v1.id());
            assertThat(after).contains(v1.id());
        }
    }

    @Test
    default void theMostLotsAnAccountMayStore_roundTrip() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "max", 0);
            List<Lot> lots = new ArrayList<>();
            for (int i = 0; i < Limits.MAX_STORED_LOTS; i++) {
                lots.add(lot(f.samples(), "lot_%03d".formatted(i), 1 + i, i % 101, f.samples().now().plusSeconds(60L * (i + 1)),
                        new BigDecimal("0.01"), "grant " + i));
            }
            // Two writes: one DynamoDB transaction holds at most 100 items (here, a ledger entry per lot).
            Account half = applied(f.wallet(), grantLots(f.samples(), v1, lots.subList(0, lots.size() / 2)));
            Account v2 = applied(f.wallet(), grantLots(f.samples(), half, lots.subList(lots.size() / 2, lots.size())));

            assertThat(stored(f.wallet(), "max")).isEqualTo(v2);
            assertThat(v2.storedLotCount()).isEqualTo(Limits.MAX_STORED_LOTS);
        }
    }
}
