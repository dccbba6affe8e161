package com.tokenwallet.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.CreateResult;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore.Fault;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each injected fault does to the store what it says: committed or not, and what the caller is told. */
class FaultInjectingWalletStoreTest {
    private final MutableClock clock = MutableClock.at("2026-11-15T12:00:00Z");
    private final InMemoryWalletStore memory = new InMemoryWalletStore(clock);
    private final FaultInjectingWalletStore store = new FaultInjectingWalletStore(memory);
    private final Account v1 = new Account(AccountId.of("f"), null, "free", Period.calendarMonthOf(clock.instant()),
            Map.of("credits", new BucketBalance(0, 10, 0)), clock.instant(), 1);

    private AccountWrite debit(Account before) {
        Account after = before.debit("credits", 1).after();
        return new AccountWrite(before, after, List.of(new LedgerEntry("tx_" + before.version(), before.id(), EntryType.DEBIT, "credits",
                -1, 0, -1, null, null, null, null, clock.instant())), Optional.empty());
    }

    @Test
    void eachFault_commitsOrNot_andAnswersAsARealStoreWould() {
        assertThat(store.create(v1, List.of())).isInstanceOf(CreateResult.Created.class);

        store.failNextWrites(Fault.FAIL_BEFORE_COMMIT, 1).failNextWrites(Fault.THROTTLED, 1);
        assertThatThrownBy(() -> store.write(debit(v1))).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.write(debit(v1))).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("throttled");
        assertThat(memory.account(v1.id())).isEqualTo(v1);

        store.failNextWrites(Fault.STALE_CONFLICT, 1);
        assertThat(store.write(debit(v1))).isEqualTo(new WriteResult.Stale(Optional.of(v1)));
        assertThat(memory.account(v1.id())).isEqualTo(v1);

        store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);
        assertThatThrownBy(() -> store.write(debit(v1))).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unknown");
        assertThat(memory.account(v1.id()).version()).as("committed all the same").isEqualTo(2);

        assertThat(store.pendingFaults()).isZero();
        assertThat(store.writeCalls()).isEqualTo(5);
        assertThat(store.committedWrites()).isEqualTo(2);
        assertThat(store.calls()).as("calls through the port, by method").isEqualTo(Map.of("create", 1L, "write", 4L));
        store.findAccount(v1.id());
        store.resetCalls();
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void aStaleConflict_waitsForAWrite_andACreateGoesThrough() {
        store.failNextWrites(Fault.STALE_CONFLICT, 1);
        assertThat(store.create(v1, List.of())).isInstanceOf(CreateResult.Created.class);
        assertThat(store.pendingFaults()).isEqualTo(1);
    }
}
