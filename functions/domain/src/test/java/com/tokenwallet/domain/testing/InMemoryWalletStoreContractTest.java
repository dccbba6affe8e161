package com.tokenwallet.domain.testing;

import com.tokenwallet.domain.contract.StoreFixture;
import com.tokenwallet.domain.contract.StoreSet;
import com.tokenwallet.domain.contract.WalletStoreContract;

/** The store contract against InMemoryWalletStore: "another instance" is the same store (one process, one map). */
class InMemoryWalletStoreContractTest extends WalletStoreContract {

    @Override
    public StoreFixture fixture() {
        return clock -> set(new InMemoryWalletStore(clock));
    }

    private static StoreSet set(InMemoryWalletStore store) {
        return new StoreSet(store, store, store.audit(), store, store, () -> set(store), () -> { });
    }
}
