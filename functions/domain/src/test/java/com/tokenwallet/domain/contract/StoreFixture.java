package com.tokenwallet.domain.contract;

import java.time.Clock;

/**
 * What an engine's test gives the store contract ({@link WalletStoreContract}): a fresh, empty store set. The set
 * knows how to open another instance of itself on the same data (see {@link StoreSet#anotherInstance()}).
 */
@FunctionalInterface
public interface StoreFixture {

    /**
     * A new, empty data set (a new file, table or map) and the first instance of the store on it. Every instance
     * of it must read the time from {@code clock} (idempotency records expire by it).
     */
    StoreSet fresh(Clock clock);
}
