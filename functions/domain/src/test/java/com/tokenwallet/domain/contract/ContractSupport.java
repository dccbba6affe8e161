package com.tokenwallet.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the parts of the store contract share: the engine's fixture, a clock, and reads that check as they go. */
public interface ContractSupport {
    /** A whole second, mid-month: the contract's "now" unless a test moves the clock. */
    String START = "2026-11-15T12:00:00Z";

    /** The engine under test. */
    StoreFixture fixture();

    /** A fresh store set on a clock the test may move. */
    default Fresh fresh() {
        MutableClock clock = MutableClock.at(START);
        return new Fresh(fixture().fresh(clock), clock, new Samples(clock));
    }

    /** A fresh store set, its clock, and the samples built on that clock. */
    record Fresh(StoreSet stores, MutableClock clock, Samples samples) implements AutoCloseable {
        WalletStore wallet() {
            return stores.wallet();
        }

        @Override
        public void close() {
            stores.close();
        }
    }

    /** Creates the account with its opening grant, and checks that it was. */
    static Account created(WalletStore store, Samples samples, String id, long purchased) {
        Account account = samples.account(id, purchased);
        WalletStore.CreateResult result = store.create(account, List.of(samples.opening(account)));
        assertThat(result).as("create %s", id).isEqualTo(new WalletStore.CreateResult.Created(account));
        return account;
    }

    /** Writes and expects it applied; returns the account after. */
    static Account applied(WalletStore store, WalletStore.AccountWrite write) {
        WalletStore.WriteResult result = store.write(write);
        assertThat(result).as("write of version %d", write.before().version()).isEqualTo(new WalletStore.WriteResult.Applied(write.after()));
        return write.after();
    }

    static Account stored(WalletStore store, String id) {
        return store.findAccount(AccountId.of(id)).orElseThrow(() -> new AssertionError("no account " + id));
    }

    /** The whole ledger, newest first, following every page (bounded); checks each page's limit as it goes. */
    static List<LedgerEntry> wholeLedger(WalletStore store, String id, int pageSize) {
        List<LedgerEntry> all = new ArrayList<>();
        Optional<String> after = Optional.empty();
        for (int page = 0; page < 10_000; page++) {
            LedgerPage p = store.ledger(AccountId.of(id), pageSize, after);
            assertThat(p.entries().size()).as("a page holds at most its limit").isLessThanOrEqualTo(pageSize);
            all.addAll(p.entries());
            if (p.continueAfter().isEmpty()) {
                return all;
            }
            after = p.continueAfter();
        }
        throw new AssertionError("the ledger never ended");
    }
}
