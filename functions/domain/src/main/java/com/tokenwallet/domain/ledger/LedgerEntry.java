package com.tokenwallet.domain.ledger;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Consumed;
import java.time.Instant;
import java.util.List;

/**
 * One immutable line of an account's ledger. {@code amount} is signed (debits negative) and always equals
 * {@code allowanceDelta + purchasedDelta}, so the entries of a bucket sum to its allowance plus purchased.
 * {@code heldDelta} is how the bucket's held tokens moved (holds move no tokens, so their amount is 0), so the
 * entries also sum to what is held. {@code metadataJson} is the caller's bounded metadata object, kept verbatim
 * as canonical JSON; {@code reference} names the hold or transaction an entry is about. {@code consumed} is, on a
 * debit or capture, the lots it took from in burn-down order (stored with the entry, {@link ConsumedLots}), so a
 * refund gives the tokens back to them; empty on every other entry and on charges written before lots.
 */
public record LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                          long allowanceDelta, long purchasedDelta, String operation, String reference,
                          String description, String metadataJson, Instant createdAt, long heldDelta,
                          List<Consumed> consumed) {
    public LedgerEntry {
        if (amount != allowanceDelta + purchasedDelta) {
            throw new IllegalStateException("ledger entry " + transactionId + ": amount " + amount
                    + " != allowanceDelta " + allowanceDelta + " + purchasedDelta " + purchasedDelta);
        }
        consumed = consumed == null ? List.of() : List.copyOf(consumed);
    }

    /** An entry that names no consumed lots. */
    public LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                       long allowanceDelta, long purchasedDelta, String operation, String reference,
                       String description, String metadataJson, Instant createdAt, long heldDelta) {
        this(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, heldDelta, List.of());
    }

    /** An entry that moves no held tokens. */
    public LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                       long allowanceDelta, long purchasedDelta, String operation, String reference,
                       String description, String metadataJson, Instant createdAt) {
        this(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, 0);
    }

    /** This entry with the lots it consumed, as the ledger keeps them ({@link Consumed#recorded()}). */
    public LedgerEntry withConsumed(List<Consumed> lots) {
        return new LedgerEntry(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, heldDelta, lots.stream().map(Consumed::recorded).toList());
    }
}
