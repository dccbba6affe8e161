package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.created;
import static com.tokenwallet.domain.contract.ContractSupport.wholeLedger;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.port.AccountDirectory;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reads through the indexes (Stripe customer, payment, e-mail address, expired holds by shard) and the ledger's pages. */
public interface IndexContract extends ContractSupport {

    @Test
    default void theLedger_readsNewestFirst_inPagesOfAtMostTheLimit_everyEntryExactlyOnce() {
        try (Fresh f = fresh()) {
            Account account = created(f.wallet(), f.samples(), "pat", 100);
            List<LedgerEntry> written = new ArrayList<>(List.of());
            for (int i = 0; i < 24; i++) {
                AccountWrite debit = f.samples().debit(account, 1);
                account = applied(f.wallet(), debit);
                written.add(debit.entries().getFirst());
            }
            Account other = created(f.wallet(), f.samples(), "pat2", 5);

            for (int pageSize : List.of(1, 7, 25, 100)) {
                List<LedgerEntry> read = wholeLedger(f.wallet(), "pat", pageSize);
                assertThat(read).as("pages of %d", pageSize).hasSize(25).doesNotHaveDuplicates();
                assertThat(read.subList(0, 24)).containsExactlyElementsOf(written.reversed());
                assertThat(read).extracting(LedgerEntry::accountId).containsOnly(account.id());
            }
            LedgerPage first = f.wallet().ledger(account.id(), 7, Optional.empty());
            assertThat(first.entries()).hasSize(7);
            assertThat(first.continueAfter()).contains(first.entries().getLast().transactionId());
            assertThat(f.wallet().ledger(AccountId.of("nobody"), 10, Optional.empty()).entries()).isEmpty();
            assertThat(wholeLedger(f.wallet(), other.id().value(), 10)).hasSize(1);
        }
    }

    @Test
    default void aLedgerWindow_readsItsEntriesOldestFirst_inPages_andTwoWindowsThatMeetHoldEveryEntryExactlyOnce() {
        try (Fresh f = fresh()) {
            // given: an account debited every 7 hours over 3 days, and another account's entries in the same hours
            Account account = created(f.wallet(), f.samples(), "win", 100);
            Account other = created(f.wallet(), f.samples(), "win-other", 100);
            List<LedgerEntry> debits = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                f.clock().advance(Duration.ofHours(7));
                AccountWrite debit = f.samples().debit(account, 1);
                account = applied(f.wallet(), debit);
                debits.add(debit.entries().getFirst());
                other = applied(f.wallet(), f.samples().debit(other, 1));
            }
            Instant start = Instant.parse(START);
            Instant boundary = start.plus(Duration.ofDays(1));
            LedgerWindow all = new LedgerWindow(start, start.plus(Duration.ofDays(10)));
            LedgerWindow firstDay = new LedgerWindow(start, boundary);
            LedgerWindow rest = new LedgerWindow(boundary, start.plus(Duration.ofDays(10)));

            for (int pageSize : List.of(1, 2, 5, 100)) {
                List<LedgerEntry> read = wholeWindow(f.wallet(), account.id(), all, pageSize);
                // then: oldest first, this account only, the opening grant (made at START) first
                assertThat(read).as("pages of %d", pageSize).hasSize(12);
                assertThat(read.subList(1, 12)).containsExactlyElementsOf(debits);
                assertThat(read).extracting(LedgerEntry::accountId).containsOnly(account.id());

                List<LedgerEntry> joined = new ArrayList<>(wholeWindow(f.wallet(), account.id(), firstDay, pageSize));
                joined.addAll(wholeWindow(f.wallet(), account.id(), rest, pageSize));
                assertThat(joined).as("two windows meeting at %s", boundary).containsExactlyElementsOf(read);
            }
            // the first day holds the opening entry and the debits at +7 h, +14 h and +21 h
            assertThat(wholeWindow(f.wallet(), account.id(), firstDay, 100)).hasSize(4);
            // an entry made exactly at a window's end is the next window's
            LedgerWindow endsAtOpening = new LedgerWindow(start.minus(Duration.ofHours(1)), start);
            assertThat(wholeWindow(f.wallet(), account.id(), endsAtOpening, 100)).isEmpty();
            assertThat(wholeWindow(f.wallet(), account.id(), new LedgerWindow(start, start.plusMillis(1)), 100)).hasSize(1);

            LedgerPage firstPage = f.wallet().ledgerWindow(account.id(), all, 5, Optional.empty());
            assertThat(firstPage.entries()).hasSize(5);
            assertThat(firstPage.continueAfter()).contains(firstPage.entries().getLast().transactionId());
            LedgerPage afterIt = f.wallet().ledgerWindow(account.id(), all, 5, firstPage.continueAfter());
            assertThat(afterIt.entries().getFirst().transactionId()).isGreaterThan(firstPage.entries().getLast().transactionId());
            assertThat(f.wallet().ledgerWindow(AccountId.of("nobody"), all, 10, Optional.empty()).entries()).isEmpty();
        }
    }

    /** A whole window, following every page (bounded), checking each page's limit and order as it goes. */
    private static List<LedgerEntry> wholeWindow(WalletStore store, AccountId id, LedgerWindow window, int pageSize) {
        List<LedgerEntry> all = new ArrayList<>();
        Optional<String> after = Optional.empty();
        for (int page = 0; page < 1_000; page++) {
            LedgerPage p = store.ledgerWindow(id, window, pageSize, after);
            assertThat(p.entries().size()).as("a page holds at most its limit").isLessThanOrEqualTo(pageSize);
            all.addAll(p.entries());
            if (p.continueAfter().isEmpty() || p.entries().isEmpty()) {
                assertThat(all).extracting(LedgerEntry::transactionId).isSorted();
                return all;
            }
            after = p.continueAfter();
        }
        throw new AssertionError("the window never ended");
    }

    @Test
    default void stripeCustomersAndPayments_findTheirAccount() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "quinn", 0);
            created(f.wallet(), f.samples(), "rae", 0);
            Account withCustomer = v1.withBilling(new Billing("cus_quinn", null, Set.of()));
            PurchaseRecord purchase = Samples.purchase("pi_quinn", 10, 0, 1);
            AccountWrite write = f.samples().grant(v1, 10, List.of(new SideWrite.Purchase(Optional.empty(), purchase)));
            applied(f.wallet(), new AccountWrite(write.before(), write.after().withBilling(withCustomer.billing()), write.entries(),
                    Optional.empty(), write.sides()));

            assertThat(f.wallet().accountByStripeCustomer("cus_quinn")).contains(v1.id());
            assertThat(f.wallet().accountByStripeCustomer("cus_nobody")).isEmpty();
            assertThat(f.wallet().accountByPayment("pi_quinn")).contains(v1.id());
            assertThat(f.wallet().accountByPayment("pi_nobody")).isEmpty();
        }
    }

    @Test
    default void eMailAddresses_findEveryAccountOpenedWithThem_normalized_upToTheLimit() {
        try (Fresh f = fresh()) {
            for (String id : List.of("s1", "s2", "s3")) {
                Account a = f.samples().account(id, 1);
                Account shared = new Account(a.id(), id.equals("s3") ? "  Shared@Example.com " : "shared@example.com", a.plan(),
                        a.period(), a.buckets(), a.holds(), a.billing(), a.createdAt(), a.version());
                assertThat(f.wallet().create(shared, List.of(f.samples().opening(shared)))).isInstanceOf(WalletStore.CreateResult.Created.class);
            }
            created(f.wallet(), f.samples(), "other", 1);
            Account noEmail = f.samples().account("no-mail", 1);
            noEmail = new Account(noEmail.id(), null, noEmail.plan(), noEmail.period(), noEmail.buckets(), noEmail.createdAt(), 1);
            f.wallet().create(noEmail, List.of());

            AccountDirectory directory = f.stores().directory();
            assertThat(directory.accountsByEmail(AccountDirectory.normalize("SHARED@example.com"), 10))
                    .containsExactlyInAnyOrder(AccountId.of("s1"), AccountId.of("s2"), AccountId.of("s3"));
            assertThat(directory.accountsByEmail("shared@example.com", 2)).hasSize(2).doesNotHaveDuplicates();
            assertThat(directory.accountsByEmail("other@example.com", 10)).containsExactly(AccountId.of("other"));
            assertThat(directory.accountsByEmail("nobody@example.com", 10)).isEmpty();
        }
    }

    @Test
    default void expiredHolds_areFoundInExactlyOneShard_untilTheyAreSettled() {
        try (Fresh f = fresh()) {
            WalletStore store = f.wallet();
            Instant now = f.samples().now();
            Map<String, Account> accounts = new HashMap<>();
            Set<AccountId> due = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                String id = "holder-" + i;
                Account a = created(store, f.samples(), id, 10);
                if (i % 4 != 3) {
                    // Three in four hold tokens: half of those expire in 10 s, half in an hour.
                    Instant expires = now.plusSeconds(i % 2 == 0 ? 10 : 3600);
                    a = applied(store, f.samples().hold(a, f.samples().holdId(), 1, expires));
                    if (i % 2 == 0) {
                        due.add(a.id());
                    }
                }
                accounts.put(id, a);
            }
            assertThat(store.shards()).isPositive();
            assertThat(expiredByShard(store, now, 1_000)).as("nothing is due yet").isEmpty();

            Instant later = now.plus(Duration.ofMinutes(1));
            Map<AccountId, Integer> found = expiredByShard(store, later, 1_000);
            assertThat(found.keySet()).isEqualTo(due);
            assertThat(found.values()).as("each account in exactly one shard").containsOnly(1);
            for (int shard = 0; shard < store.shards(); shard++) {
                assertThat(store.accountsWithHoldsExpiredBy(later, shard, 1)).as("the limit").hasSizeLessThanOrEqualTo(1);
            }

            // Released: no longer due.
            AccountId settled = due.iterator().next();
            Account holder = accounts.get(settled.value());
            applied(store, f.samples().release(holder, holder.holds().keySet().iterator().next()));
            assertThat(expiredByShard(store, later, 1_000).keySet()).doesNotContain(settled).hasSize(due.size() - 1);
        }
    }

    private static Map<AccountId, Integer> expiredByShard(WalletStore store, Instant now, int limit) {
        Map<AccountId, Integer> found = new HashMap<>();
        for (int shard = 0; shard < store.shards(); shard++) {
            for (AccountId id : store.accountsWithHoldsExpiredBy(now, shard, limit)) {
                found.merge(id, 1, Integer::sum);
            }
        }
        return found;
    }
}
