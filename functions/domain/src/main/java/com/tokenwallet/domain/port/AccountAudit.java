package com.tokenwallet.domain.port;

import com.tokenwallet.domain.account.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading accounts as they are stored, for the health report: the raw numbers of each item, without the checks
 * {@link com.tokenwallet.domain.account.Account}'s constructor makes (a corrupted item must be reported, not
 * thrown on), and the sums of an account's ledger. Bounded: every call says how much it may read.
 */
public interface AccountAudit {

    /**
     * Account items in table order after {@code after} (an opaque position from an earlier page), reading at most
     * {@code maxItems} items (which may include items that are not accounts, so a page may hold fewer accounts).
     */
    Page accounts(Optional<String> after, int maxItems);

    /** One account item as stored (a consistent read), or empty if there is none. */
    Optional<StoredAccount> account(AccountId id);

    /** The sums of the account's ledger entries per bucket, reading at most {@code maxEntries} entries. */
    LedgerTotals ledgerTotals(AccountId id, int maxEntries);

    /** A page of account items, the number of items read for it, and where the next page starts (empty: the end). */
    record Page(List<StoredAccount> accounts, int itemsRead, Optional<String> next) {
        public Page {
            accounts = List.copyOf(accounts);
        }
    }

    /**
     * An account item's numbers as stored. {@code position} resumes a scan just after this item; {@code problem} is
     * set, and the numbers are empty, when the item could not even be read as an account.
     */
    record StoredAccount(AccountId id, String position, long version, Map<String, Parts> buckets, List<StoredHold> holds,
                         Optional<String> problem) {
        public StoredAccount {
            buckets = Map.copyOf(buckets);
            holds = List.copyOf(holds);
        }
    }

    /**
     * A bucket's three parts, unchecked (they may be negative in a corrupted item), with its credit limit, the
     * remaining tokens of its stored lots and how many of them are negative (issue 15: what the credit invariant
     * checks; 0 in the ledger's sums).
     */
    record Parts(long allowance, long purchased, long held, long creditLimit, long lotsRemaining, int negativeLots) {
        public static final Parts ZERO = new Parts(0, 0, 0);

        public Parts(long allowance, long purchased, long held) {
            this(allowance, purchased, held, 0, 0, 0);
        }

        public Parts plus(long allowanceDelta, long purchasedDelta, long heldDelta) {
            return new Parts(allowance + allowanceDelta, purchased + purchasedDelta, held + heldDelta, creditLimit, lotsRemaining,
                    negativeLots);
        }

        /** Whether the three parts the ledger sums are the same (credit limit and lots aside). */
        public boolean sameSums(Parts other) {
            return allowance == other.allowance && purchased == other.purchased && held == other.held;
        }

        /**
         * What breaks the credit invariant (issue 15), or null: balance ({@code allowance + purchased} = lots − debt)
         * below {@code -creditLimit}, holds beyond balance plus credit, debt beside tokens in lots or allowance, a
         * negative lot or limit.
         */
        public String creditBreach() {
            long balance = allowance + purchased;
            long debt = Math.max(0, lotsRemaining - purchased);
            if (creditLimit < 0) {
                return "credit limit is " + creditLimit;
            }
            if (negativeLots > 0) {
                return negativeLots + " stored lots are negative";
            }
            if (balance < -creditLimit) {
                return "balance " + balance + " is below -creditLimit " + -creditLimit;
            }
            if (held > balance + creditLimit) {
                return "held " + held + " exceeds balance " + balance + " + creditLimit " + creditLimit;
            }
            if (debt > 0 && (lotsRemaining > 0 || allowance > 0)) {
                return "debt " + debt + " beside " + lotsRemaining + " tokens in lots and an allowance of " + allowance;
            }
            return null;
        }
    }

    /** A pending hold as stored in the account item. */
    record StoredHold(String holdId, String bucket, long amount, Instant expiresAt) {
    }

    /**
     * Per bucket: the sums of {@code allowanceDelta}, {@code purchasedDelta} and {@code heldDelta} over the entries
     * read; {@code complete} is false when the ledger has more than the bound allowed to read.
     */
    record LedgerTotals(Map<String, Parts> byBucket, long entriesRead, boolean complete) {
        public LedgerTotals {
            byBucket = Map.copyOf(byBucket);
        }

        public Parts of(String bucket) {
            return byBucket.getOrDefault(bucket, Parts.ZERO);
        }
    }
}
