package com.tokenwallet.domain.ledger;

import com.tokenwallet.domain.account.AccountId;
import java.time.Instant;

/**
 * One immutable line of an account's ledger. {@code amount} is signed (debits negative) and always equals
 * {@code allowanceDelta + purchasedDelta}, so the entries of a bucket sum to its allowance plus purchased.
 * {@code heldDelta} is how the bucket's held tokens moved (holds move no tokens, so their amount is 0), so the
 * entries also sum to what is held. {@code metadataJson} is the caller's bounded metadata object, kept verbatim
 * as canonical JSON; {@code reference} names the hold or transaction an entry is about. {@code balanceAfter} is the
 * bucket's parts once the entry's write was applied (issue 15: what {@code ?asOf=} reads); {@code null} on entries
 * written before it existed, and on entries not yet handed to a store ({@link BalanceAfter#stamp} sets it).
 */
public record LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                          long allowanceDelta, long purchasedDelta, String operation, String reference,
                          String description, String metadataJson, Instant createdAt, long heldDelta,
                          BalanceAfter balanceAfter) {
    public LedgerEntry {
        if (amount != allowanceDelta + purchasedDelta) {
            throw new IllegalStateException("ledger entry " + transactionId + ": amount " + amount
                    + " != allowanceDelta " + allowanceDelta + " + purchasedDelta " + purchasedDelta);
        }
    }

    /** An entry without its bucket's parts after it (set by {@link BalanceAfter#stamp} before it is stored). */
    public LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                       long allowanceDelta, long purchasedDelta, String operation, String reference,
                       String description, String metadataJson, Instant createdAt, long heldDelta) {
        this(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, heldDelta, null);
    }

    /** The same entry carrying its bucket's parts after it. */
    public LedgerEntry withBalanceAfter(BalanceAfter parts) {
        return new LedgerEntry(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation,
                reference, description, metadataJson, createdAt, heldDelta, parts);
    }

    /** An entry that moves no held tokens. */
    public LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                       long allowanceDelta, long purchasedDelta, String operation, String reference,
                       String description, String metadataJson, Instant createdAt) {
        this(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, 0, null);
    }
}
