package com.tokenwallet.sqlite;

import com.tokenwallet.domain.contract.StoreFixture;
import com.tokenwallet.domain.contract.StoreSet;
import com.tokenwallet.domain.contract.WalletStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against SQLite: a fresh file per store set; another instance is another connection to it. */
class SqliteWalletStoreContractTest extends WalletStoreContract {

    @TempDir
    Path directory;

    private int files;

    @Override
    public StoreFixture fixture() {
        return clock -> open(directory.resolve("wallet-" + ++files + ".db").toString(), clock);
    }

    static StoreSet open(String path, Clock clock) {
        SqliteDatabase db = SqliteDatabase.open(path);
        SqliteAdminReads reads = new SqliteAdminReads(db);
        SqliteWalletStore store = new SqliteWalletStore(db, clock);
        return new StoreSet(store, store, reads, reads, new SqlitePaymentRecords(db), () -> open(path, clock), db);
    }
}
