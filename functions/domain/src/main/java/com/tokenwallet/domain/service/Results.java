package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.LedgerEntry;

/** What the use cases answer. */
public final class Results {
    private Results() {
    }

    /** The account, and whether this call created it. */
    public record Opened(Account account, boolean created) {
    }

    /** A price for an account: {@code affordable} when its bucket's available tokens cover the cost. */
    public record Quote(String operation, String bucket, long cost, long available, boolean affordable) {
    }

    /** The facts of a debit, from which the first response is rendered. */
    public record DebitReceipt(LedgerEntry entry, long available) {
    }

    /** The response to answer, and whether it is the stored answer to an earlier request with the same key. */
    public record Answer(StoredResponse response, boolean replayed) {
    }
}
