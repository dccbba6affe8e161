package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import java.util.Map;
import java.util.Optional;

/**
 * The last state of each account this process wrote or read, at most {@code capacity} of them (least recently
 * used go first). It is only a guess of the stored state: every write is conditioned on the version, and a
 * stale guess comes back with the fresh state. What it saves is the read before a write, so a debit on an
 * account this process has seen is one round trip.
 */
public final class AccountSnapshots {
    private final Map<AccountId, Account> byId;

    public AccountSnapshots(int capacity) {
        this.byId = new BoundedLru<>(capacity);
    }

    public synchronized Optional<Account> get(AccountId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Keeps the newer of the known and the given state, so a slow thread never puts back an older one. */
    public synchronized void remember(Account account) {
        byId.merge(account.id(), account, (known, given) -> given.version() >= known.version() ? given : known);
    }

    public synchronized void forget(AccountId id) {
        byId.remove(id);
    }
}
