package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.created;
import static com.tokenwallet.domain.contract.ContractSupport.stored;
import static com.tokenwallet.domain.contract.ContractSupport.wholeLedger;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Writers racing on one account from several threads of several instances (as several processes): every change
 * of version is made by exactly one writer, nothing is lost or applied twice, a key or an event takes effect once.
 * Bounded: a few threads, a few dozen writes, each writer retrying a stale write at most 200 times.
 */
public interface RaceContract extends ContractSupport {
    int INSTANCES = 3;
    int THREADS = 6;

    @Test
    default void racingDebits_fromSeveralInstances_eachApplyOnce_andTheLedgerSumsToTheBalance() throws Exception {
        try (Fresh f = fresh()) {
            created(f.wallet(), f.samples(), "hot", 100);
            int debits = 36;
            List<Account> applied = race(f, debits, (store, i) -> {
                Account current = stored(store, "hot");
                AccountWrite write = f.samples().debit(current, 1, Optional.of("debit-" + i));
                return write;
            }, (store, result) -> result);

            assertThat(applied).hasSize(debits);
            assertThat(applied).extracting(Account::version).as("each version made by exactly one writer")
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(range(2, debits + 1));
            Account last = stored(f.wallet(), "hot");
            assertThat(last.version()).isEqualTo(debits + 1);
            assertThat(last.bucket("credits").purchased()).isEqualTo(100 - debits);
            List<LedgerEntry> ledger = wholeLedger(f.wallet(), "hot", 100);
            assertThat(ledger).hasSize(debits + 1);
            assertThat(ledger.stream().mapToLong(LedgerEntry::purchasedDelta).sum()).isEqualTo(last.bucket("credits").purchased());
        }
    }

    @Test
    default void oneKeyRacedFromSeveralInstances_takesEffectOnce_andEveryOtherWriterGetsItsRecord() throws Exception {
        try (Fresh f = fresh()) {
            created(f.wallet(), f.samples(), "keyed", 100);
            List<WriteResult> results = new ArrayList<>();
            List<Account> applied = race(f, 18, (store, i) -> f.samples().debit(stored(store, "keyed"), 5, Optional.of("the-one-key")),
                    (store, result) -> {
                        synchronized (results) {
                            results.add(result);
                        }
                        return result;
                    });

            assertThat(applied).hasSize(1);
            assertThat(results.stream().filter(r -> r instanceof WriteResult.KeyUsed)).hasSize(17);
            Account last = stored(f.wallet(), "keyed");
            assertThat(last.bucket("credits").purchased()).isEqualTo(95);
            assertThat(f.wallet().readForWrite(AccountId.of("keyed"), Optional.of(new IdempotencyKey("the-one-key"))).record()).isPresent();
            assertThat(wholeLedger(f.wallet(), "keyed", 100).stream().filter(e -> e.type() == EntryType.DEBIT)).hasSize(1);
        }
    }

    @Test
    default void oneStripeEventRacedFromSeveralInstances_isAppliedOnce() throws Exception {
        try (Fresh f = fresh()) {
            created(f.wallet(), f.samples(), "paid", 0);
            List<Account> applied = race(f, 12, (store, i) -> f.samples().grant(stored(store, "paid"), 50,
                    List.of(new SideWrite.EventApplied("evt_race", "checkout.session.completed", f.samples().now()))),
                    (store, result) -> result);

            assertThat(applied).hasSize(1);
            assertThat(stored(f.wallet(), "paid").bucket("credits").purchased()).isEqualTo(50);
        }
    }

    @Test
    default void oneAccountCreatedFromSeveralInstancesAtOnce_isCreatedOnce() throws Exception {
        try (Fresh f = fresh()) {
            List<StoreSet> instances = instances(f);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<WalletStore.CreateResult>> creates = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    WalletStore store = instances.get(i % INSTANCES).wallet();
                    Account account = f.samples().account("born", 10 + i);
                    LedgerEntry opening = f.samples().opening(account);
                    creates.add(() -> {
                        start.await();
                        return store.create(account, List.of(opening));
                    });
                }
                List<Future<WalletStore.CreateResult>> futures = new ArrayList<>();
                creates.forEach(c -> futures.add(pool.submit(c)));
                start.countDown();
                List<WalletStore.CreateResult> results = new ArrayList<>();
                for (Future<WalletStore.CreateResult> future : futures) {
                    results.add(future.get(60, TimeUnit.SECONDS));
                }
                List<WalletStore.CreateResult> created = results.stream().filter(r -> r instanceof WalletStore.CreateResult.Created).toList();
                assertThat(created).hasSize(1);
                Account winner = ((WalletStore.CreateResult.Created) created.getFirst()).account();
                assertThat(results).filteredOn(r -> r instanceof WalletStore.CreateResult.AlreadyExists)
                        .containsOnly(new WalletStore.CreateResult.AlreadyExists(winner));
                assertThat(stored(f.wallet(), "born")).isEqualTo(winner);
                assertThat(wholeLedger(f.wallet(), "born", 100)).hasSize(1);
            } finally {
                pool.shutdownNow();
                instances.subList(1, INSTANCES).forEach(StoreSet::close);
            }
        }
    }

    /** The fresh set's instance and {@code INSTANCES - 1} more on the same data (the caller closes the extra ones). */
    private static List<StoreSet> instances(Fresh f) {
        List<StoreSet> instances = new ArrayList<>(List.of(f.stores()));
        for (int i = 1; i < INSTANCES; i++) {
            instances.add(f.stores().anotherInstance());
        }
        return instances;
    }

    /**
     * Runs {@code writes} writers at once on {@code THREADS} threads over the instances; each builds its write on
     * the account it reads and retries while the answer is Stale. Returns the accounts of the applied writes.
     */
    private static List<Account> race(Fresh f, int writes, BiFunction<WalletStore, Integer, AccountWrite> build,
                                      BiFunction<WalletStore, WriteResult, WriteResult> seen) throws Exception {
        List<StoreSet> instances = instances(f);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<Account>>> futures = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                WalletStore store = instances.get(i % INSTANCES).wallet();
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int attempt = 0; attempt < 200; attempt++) {
                        WriteResult result = store.write(build.apply(store, n));
                        if (!(result instanceof WriteResult.Stale)) {
                            seen.apply(store, result);
                            return result instanceof WriteResult.Applied a ? Optional.of(a.after()) : Optional.<Account>empty();
                        }
                    }
                    throw new AssertionError("writer " + n + " stayed stale for 200 attempts");
                }));
            }
            start.countDown();
            List<Account> applied = new ArrayList<>();
            for (Future<Optional<Account>> future : futures) {
                future.get(120, TimeUnit.SECONDS).ifPresent(applied::add);
            }
            return applied;
        } finally {
            pool.shutdownNow();
            instances.subList(1, INSTANCES).forEach(StoreSet::close);
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            values.add(v);
        }
        return values;
    }
}
