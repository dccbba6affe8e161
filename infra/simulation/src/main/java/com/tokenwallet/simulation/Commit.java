package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import java.util.List;

/**
 * A write the store applied, in the order it was applied: the step whose client made it (null: none), the account
 * before (null for a create) and after, and what it stored beside.
 */
record Commit(Step step, Account before, Account after, List<LedgerEntry> entries, List<SideWrite> sides, String key) {
}
