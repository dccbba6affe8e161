package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.wholeLedger;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.ledger.BalanceAfter;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.port.WalletStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Balances as of an instant (issue 15): every entry keeps the parts of every bucket after it ({@code balancesAfter}), written
 * with it in the same write and read back by every read of the ledger; an entry written without them (before issue
 * 15) reads back without them. {@code ledgerAsOf} is the ledger's key range up to an instant (to its millisecond,
 * inclusive), newest first, paged like {@code ledger}.
 */
public interface AsOfContract extends ContractSupport {

    @Test
    default void theBucketsPartsAfterEachEntry_areWrittenWithIt_andReadBackByEveryRead() {
        try (Fresh f = fresh()) {
            Samples s = f.samples();
            Account opened = s.account("ana", 40);
            LedgerEntry opening = s.opening(opened).withBalancesAfter(java.util.Map.of(Samples.BUCKET, new BalanceAfter(0, 40, 0),
                    "mockup", new BalanceAfter(3, 0, 0)));
            assertThat(f.wallet().create(opened, List.of(opening))).isInstanceOf(WalletStore.CreateResult.Created.class);
            Account v2 = applied(f.wallet(), s.debit(opened, 15));
            String holdId = s.holdId();
            Account v3 = applied(f.wallet(), s.hold(v2, holdId, 10, s.now().plusSeconds(600)));

            List<LedgerEntry> newestFirst = wholeLedger(f.wallet(), "ana", 10);
            assertThat(newestFirst.getLast()).isEqualTo(opening);
            assertThat(newestFirst).extracting(LedgerEntry::balanceAfter).containsExactly(
                    new BalanceAfter(0, 25, 10), new BalanceAfter(0, 25, 0), new BalanceAfter(0, 40, 0));
            assertThat(v3.bucket(Samples.BUCKET).held()).isEqualTo(10);

            LedgerPage window = f.wallet().ledgerWindow(AccountId.of("ana"), new LedgerWindow(s.now().minusSeconds(1), s.now().plusSeconds(1)),
                    10, Optional.empty());
            assertThat(window.entries()).extracting(LedgerEntry::balanceAfter).containsExactly(
                    new BalanceAfter(0, 40, 0), new BalanceAfter(0, 25, 0), new BalanceAfter(0, 25, 10));
            LedgerEntry debit = newestFirst.get(1);
            assertThat(f.wallet().readRefund(AccountId.of("ana"), debit.transactionId()).entry()).contains(debit);
        }
    }

    @Test
    default void anEntryWrittenWithoutParts_readsBackWithout() {
        try (Fresh f = fresh()) {
            Samples s = f.samples();
            Account opened = s.account("old", 7);
            LedgerEntry legacy = s.opening(opened);
            assertThat(legacy.balanceAfter()).isNull();
            f.wallet().create(opened, List.of(legacy));

            assertThat(wholeLedger(f.wallet(), "old", 10)).containsExactly(legacy);
        }
    }

    @Test
    default void ledgerAsOf_isTheKeyRangeUpToTheInstant_newestFirst_pagedByItsLimit() {
        try (Fresh f = fresh()) {
            Samples s = f.samples();
            Account v = ContractSupport.created(f.wallet(), s, "tim", 100);
            List<Instant> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                f.clock().advance(Duration.ofSeconds(10));
                times.add(s.now());
                v = applied(f.wallet(), s.debit(v, 1));
            }
            f.clock().advance(Duration.ofSeconds(10));
            List<LedgerEntry> all = wholeLedger(f.wallet(), "tim", 100);
            AccountId id = AccountId.of("tim");

            // At the third debit's millisecond: it and what came before, newest first.
            LedgerPage upToThird = f.wallet().ledgerAsOf(id, times.get(2), 10, Optional.empty());
            assertThat(upToThird.entries()).containsExactlyElementsOf(all.subList(2, all.size()));
            assertThat(upToThird.continueAfter()).isEmpty();
            // A millisecond before it: not the third.
            assertThat(f.wallet().ledgerAsOf(id, times.get(2).minusMillis(1), 10, Optional.empty()).entries())
                    .containsExactlyElementsOf(all.subList(3, all.size()));
            assertThat(upToThird.entries().getFirst().balanceAfter()).isEqualTo(new BalanceAfter(0, 97, 0));

            // Paged: a limit of 2, then on from the cursor, until the ledger's start.
            List<LedgerEntry> paged = new ArrayList<>();
            Optional<String> after = Optional.empty();
            for (int page = 0; page < 10; page++) {
                LedgerPage p = f.wallet().ledgerAsOf(id, s.now(), 2, after);
                assertThat(p.entries().size()).isLessThanOrEqualTo(2);
                paged.addAll(p.entries());
                if (p.continueAfter().isEmpty()) {
                    break;
                }
                after = p.continueAfter();
            }
            assertThat(paged).containsExactlyElementsOf(all);

            // Before the account's first entry: nothing.
            LedgerPage before = f.wallet().ledgerAsOf(id, Instant.parse(START).minusSeconds(1), 10, Optional.empty());
            assertThat(before.entries()).isEmpty();
            assertThat(before.continueAfter()).isEmpty();
            // Another account's entries are never in the range.
            assertThat(f.wallet().ledgerAsOf(AccountId.of("nobody"), s.now(), 10, Optional.empty()).entries()).isEmpty();
        }
    }
}
