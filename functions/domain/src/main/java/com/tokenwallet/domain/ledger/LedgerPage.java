package com.tokenwallet.domain.ledger;

import java.util.List;
import java.util.Optional;

/** A page of ledger entries, newest first, and the transaction id to continue after, if there are more. */
public record LedgerPage(List<LedgerEntry> entries, Optional<String> continueAfter) {
    public LedgerPage {
        entries = List.copyOf(entries);
    }
}
