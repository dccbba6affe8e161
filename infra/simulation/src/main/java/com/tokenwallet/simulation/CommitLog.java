package com.tokenwallet.simulation;

import com.tokenwallet.domain.port.WalletStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sits right on the engine and records every write it applied, in order: the commit order the reference model is
 * fed. Clients run one at a time (see {@link Scheduler}), so the order of these calls is the order of the commits.
 */
final class CommitLog {
    private final List<Commit> commits = new ArrayList<>();

    /** The engine, recording what it applies; {@code step} says which step the calling client runs. */
    <S extends WalletStore & com.tokenwallet.domain.port.AccountScan> StorePorts around(S engine, Supplier<Step> step) {
        return (StorePorts) Proxy.newProxyInstance(StorePorts.class.getClassLoader(), new Class<?>[] {StorePorts.class},
                (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (answer instanceof WalletStore.WriteResult.Applied applied) {
                        WalletStore.AccountWrite write = (WalletStore.AccountWrite) args[0];
                        commits.add(new Commit(step.get(), write.before(), applied.after(), write.entries(), write.sides(),
                                write.record().map(r -> r.key().value()).orElse(null)));
                    } else if (answer instanceof WalletStore.CreateResult.Created created) {
                        @SuppressWarnings("unchecked")
                        List<com.tokenwallet.domain.ledger.LedgerEntry> opening = (List<com.tokenwallet.domain.ledger.LedgerEntry>) args[1];
                        commits.add(new Commit(step.get(), null, created.account(), opening, List.of(), null));
                    }
                    return answer;
                });
    }

    List<Commit> commits() {
        return commits;
    }
}
