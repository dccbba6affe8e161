package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.Consumed;
import java.util.List;
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

    /** The facts of a debit, from which the first response is rendered: its entry, what is left, the lots it took. */
    public record DebitReceipt(LedgerEntry entry, long available, List<Consumed> consumed) {
        public DebitReceipt {
            consumed = List.copyOf(consumed);
        }

        public DebitReceipt(LedgerEntry entry, long available) {
            this(entry, available, List.of());
        }
    }

    /** A new pending hold, and what its bucket has available after it. */
    public record HoldReceipt(com.tokenwallet.domain.hold.HoldRecord hold, long available) {
    }

    /** A captured hold: the capture's ledger entry (null when nothing was captured), what was taken and released. */
    public record CaptureReceipt(String holdId, LedgerEntry entry, long captured, long released, long available,
                                 List<Consumed> consumed) {
        public CaptureReceipt {
            consumed = List.copyOf(consumed);
        }
    }

    /** A released hold: how many tokens became available again. */
    public record ReleaseReceipt(String holdId, long released, long available) {
    }

    /**
     * A refund: its ledger entry, the amount refunded by it (including any allowance that lapsed instead of
     * returning), the transaction's refunded total so far, and what the bucket has available after it.
     */
    public record RefundReceipt(LedgerEntry entry, String transactionId, long amount, long lapsed, long refundedTotal, long available) {
    }

    /**
     * The balance per bucket as the ledger had it at {@code asOf} (issue 15), read from {@code entriesRead} entries;
     * {@code account} is the account now (its plan, period and flags are not recorded by the ledger).
     */
    public record BalanceAt(Account account, java.time.Instant asOf,
                            java.util.Map<String, com.tokenwallet.domain.ledger.BalanceAfter> buckets, int entriesRead) {
        public BalanceAt {
            buckets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buckets));
        }
    }

    /** The response to answer, and whether it is the stored answer to an earlier request with the same key. */
    public record Answer(StoredResponse response, boolean replayed) {
    }
}
