package com.tokenwallet.domain.ledger;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Consumed;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable line of an account's ledger. {@code amount} is signed (debits negative) and always equals
 * {@code allowanceDelta + purchasedDelta}, so the entries of a bucket sum to its allowance plus purchased.
 * {@code heldDelta} is how the bucket's held tokens moved (holds move no tokens, so their amount is 0), so the
 * entries also sum to what is held. {@code metadataJson} is the caller's bounded metadata object, kept verbatim
 * as canonical JSON; {@code reference} names the hold or transaction an entry is about. {@code consumed} is, on a
 * debit or capture, the lots it took from in burn-down order (stored with the entry, {@link ConsumedLots}), so a
 * refund gives the tokens back to them; empty on every other entry and on charges written before lots.
 * {@code balancesAfter} are the parts of every bucket of the account once the entry's write was applied up to this
 * entry (issue 15: what {@code ?asOf=} reads, so one entry answers for every bucket); {@code null} on entries written
 * before it existed, and on entries not yet handed to a store ({@link BalanceAfter#stamp} sets it).
 */
public record LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                          long allowanceDelta, long purchasedDelta, String operation, String reference,
                          String description, String metadataJson, Instant createdAt, long heldDelta,
                          List<Consumed> consumed, Map<String, BalanceAfter> balancesAfter) {
    public LedgerEntry {
        if (amount != allowanceDelta + purchasedDelta) {
            throw new IllegalStateException("ledger entry " + transactionId + ": amount " + amount
                    + " != allowanceDelta " + allowanceDelta + " + purchasedDelta " + purchasedDelta);
        }
        consumed = consumed == null ? List.of() : List.copyOf(consumed);
        balancesAfter = balancesAfter == null ? null : Collections.unmodifiableMap(new TreeMap<>(balancesAfter));
    }

    /** An entry with the lots it consumed, without the parts after it (set by {@link BalanceAfter#stamp}). */
    public LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                       long allowanceDelta, long purchasedDelta, String operation, String reference,
                       String description, String metadataJson, Instant createdAt, long heldDelta, List<Consumed> consumed) {
        this(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, heldDelta, consumed, null);
    }

    /** An entry that names no consumed lots, without the parts after it (set by {@link BalanceAfter#stamp}). */
    public LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                       long allowanceDelta, long purchasedDelta, String operation, String reference,
                       String description, String metadataJson, Instant createdAt, long heldDelta) {
        this(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, heldDelta, List.of(), null);
    }

    /** An entry that moves no held tokens. */
    public LedgerEntry(String transactionId, AccountId accountId, EntryType type, String bucket, long amount,
                       long allowanceDelta, long purchasedDelta, String operation, String reference,
                       String description, String metadataJson, Instant createdAt) {
        this(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, 0);
    }

    /** The same entry carrying the parts of every bucket of the account after it. */
    public LedgerEntry withBalancesAfter(Map<String, BalanceAfter> parts) {
        return new LedgerEntry(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation,
                reference, description, metadataJson, createdAt, heldDelta, consumed, parts);
    }

    /** This entry's bucket's parts after it ({@code allowanceAfter}, {@code purchasedAfter}, {@code heldAfter}), or null. */
    public BalanceAfter balanceAfter() {
        return balancesAfter == null ? null : balancesAfter.getOrDefault(bucket, BalanceAfter.ZERO);
    }

    /** This entry with the lots it consumed, as the ledger keeps them ({@link Consumed#recorded()}). */
    public LedgerEntry withConsumed(List<Consumed> lots) {
        return new LedgerEntry(transactionId, accountId, type, bucket, amount, allowanceDelta, purchasedDelta, operation, reference,
                description, metadataJson, createdAt, heldDelta, lots.stream().map(Consumed::recorded).toList(), balancesAfter);
    }
}
