package com.tokenwallet.domain.port;

/**
 * Told of every account write that committed, with the state before and after it. Since every write is
 * conditioned on the account's version, each change from one version to the next is seen by exactly one writer,
 * in the process that made it: what an observer derives from a pair (a balance crossing a threshold, a debit's
 * metrics) is derived once. Called after the commit, in the writer's thread; it must not throw.
 */
@FunctionalInterface
public interface WriteObserver {
    void applied(WalletStore.AccountWrite write);
}
