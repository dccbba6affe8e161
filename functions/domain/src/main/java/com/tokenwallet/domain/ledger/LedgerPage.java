package com.tokenwallet.domain.ledger;

import java.util.List;
import java.util.Optional;

/**
 * A page of ledger entries, in the order the read asked for (newest first for the history, oldest first for a
 * {@link LedgerWindow}), and the transaction id to continue after, if there may be more.
 */
public record LedgerPage(List<LedgerEntry> entries, Optional<String> continueAfter) {
    public LedgerPage {
        entries = List.copyOf(entries);
    }
}
