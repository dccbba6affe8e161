package com.tokenwallet.bench.child;

import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.debit.DebitHandler;

/**
 * An experiment, not a proposal: the debit function without {@code eagerInitSingletons(true)}, to see how much of
 * the cold start the eager creation of every singleton costs (ApiHandler still asks for the WalletService at once).
 */
public final class LazyDebitHandler extends DebitHandler {
    public LazyDebitHandler() {
        super(WalletContexts.builder().start());
    }
}
