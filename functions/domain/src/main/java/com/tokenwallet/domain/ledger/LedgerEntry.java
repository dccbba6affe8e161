package com.tokenwallet.domain.ledger;

import com.tokenwallet.domain.account.AccountId;
import java.time.Instant;

/**
 * One immutable line of an account's ledger. {@code amount} is signed (debits negative) and always equals
 * {@code allowanceDelta + purchasedDelta}, so the entries of a bucket sum to its allowance plus purchased.
 * {@code metadataJson} is the caller's bounded metadata object, kept verbatim as canonical JSON.
 */
public record LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                          long allowanceDelta, long purchasedDelta, String operation, String reference,
                          String description, String metadataJson, Instant createdAt) {
    public LedgerEntry {
        if (amount != allowanceDelta + purchasedDelta) {
            throw new IllegalStateException("ledger entry " + transactionId + ": amount " + amount
                    + " != allowanceDelta " + allowanceDelta + " + purchasedDelta " + purchasedDelta);
        }
    }
}
