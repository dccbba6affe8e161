package com.tokenwallet.simulation;

import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.WalletStore;

/** The two ports one engine serves and the services use: what the decorators here stand in for. */
interface StorePorts extends WalletStore, AccountScan {
}
