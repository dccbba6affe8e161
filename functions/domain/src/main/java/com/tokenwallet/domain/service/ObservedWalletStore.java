package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WriteObserver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link WalletStore} that tells its {@link WriteObserver}s of every write that committed, so that every writer
 * (debits, holds, captures, refunds, expiry, the reset, admin and billing changes) is covered without any of them
 * knowing. An observer that fails is reported to {@code onObserverFailure} and never fails the write: it
 * committed, and the caller must be told so.
 */
public final class ObservedWalletStore implements WalletStore {
    private final WalletStore delegate;
    private final List<WriteObserver> observers;
    private final Consumer<RuntimeException> onObserverFailure;

    public ObservedWalletStore(WalletStore delegate, List<WriteObserver> observers, Consumer<RuntimeException> onObserverFailure) {
        this.delegate = delegate;
        this.observers = List.copyOf(observers);
        this.onObserverFailure = onObserverFailure;
    }

    @Override
    public WriteResult write(AccountWrite write) {
        WriteResult result = delegate.write(write);
        if (result instanceof WriteResult.Applied) {
            for (WriteObserver observer : observers) {
                try {
                    observer.applied(write);
                } catch (RuntimeException e) {
                    onObserverFailure.accept(e);
                }
            }
        }
        return result;
    }

    @Override
    public Optional<Account> findAccount(AccountId id) {
        return delegate.findAccount(id);
    }

    @Override
    public Snapshot readForWrite(AccountId id, Optional<IdempotencyKey> key) {
        return delegate.readForWrite(id, key);
    }

    @Override
    public CreateResult create(Account account, List<LedgerEntry> openingEntries) {
        return delegate.create(account, openingEntries);
    }

    @Override
    public LedgerPage ledger(AccountId id, int limit, Optional<String> afterTransactionId) {
        return delegate.ledger(id, limit, afterTransactionId);
    }

    @Override
    public LedgerPage ledgerWindow(AccountId id, com.tokenwallet.domain.ledger.LedgerWindow window, int limit,
                                   Optional<String> afterTransactionId) {
        return delegate.ledgerWindow(id, window, limit, afterTransactionId);
    }

    @Override
    public LedgerPage ledgerAsOf(AccountId id, Instant asOf, int limit, Optional<String> afterTransactionId) {
        return delegate.ledgerAsOf(id, asOf, limit, afterTransactionId);
    }

    @Override
    public List<AccountId> accountsWithHoldsExpiredBy(Instant now, int shard, int limit) {
        return delegate.accountsWithHoldsExpiredBy(now, shard, limit);
    }

    @Override
    public int shards() {
        return delegate.shards();
    }

    @Override
    public Optional<AccountId> accountByStripeCustomer(String customerId) {
        return delegate.accountByStripeCustomer(customerId);
    }

    @Override
    public Optional<AccountId> accountByPayment(String paymentId) {
        return delegate.accountByPayment(paymentId);
    }

    @Override
    public EventSnapshot readForEvent(AccountId id, String eventId, Optional<String> paymentId) {
        return delegate.readForEvent(id, eventId, paymentId);
    }

    @Override
    public Optional<HoldRecord> findHold(AccountId id, String holdId) {
        return delegate.findHold(id, holdId);
    }

    @Override
    public RefundContext readRefund(AccountId id, String transactionId) {
        return delegate.readRefund(id, transactionId);
    }
}
