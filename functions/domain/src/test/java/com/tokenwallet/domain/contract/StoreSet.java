package com.tokenwallet.domain.contract;

import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountDirectory;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.PaymentRecords;
import com.tokenwallet.domain.port.WalletStore;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One instance of a store engine: every port it implements, as one process would hold them (one connection or
 * client, its own caches). {@code opener} opens a second instance on the same data, as a second process
 * (another Lambda instance) would; {@code close} releases this instance only.
 */
public record StoreSet(WalletStore wallet, AccountScan scan, AccountAudit audit, AccountDirectory directory,
                       PaymentRecords payments, Supplier<StoreSet> opener, AutoCloseable resources) implements AutoCloseable {
    public StoreSet {
        Objects.requireNonNull(payments, "payments");
        Objects.requireNonNull(wallet, "wallet");
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(resources, "resources");
    }

    /** Another instance on the same data: its own connection or client and caches, as another process. */
    public StoreSet anotherInstance() {
        return opener.get();
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close a store instance", e);
        }
    }
}
