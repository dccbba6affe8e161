package com.tokenwallet.domain.port;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.ledger.RefundTally;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The wallet's store. Every method is one round trip to the database in the normal case; store failures are
 * thrown as {@link com.tokenwallet.domain.StoreUnavailableException}, never swallowed.
 */
public interface WalletStore {

    /** The account as of now (a strongly consistent read). */
    Optional<Account> findAccount(AccountId id);

    /** The account and, if a key is given, that key's record, read together in one consistent call. */
    Snapshot readForWrite(AccountId id, Optional<IdempotencyKey> key);

    /**
     * Writes a new account with its opening entries, unless an account with that id exists already. The wallet hands
     * the entries over stamped ({@link com.tokenwallet.domain.ledger.BalanceAfter#stamp}); the store keeps what it gets.
     */
    CreateResult create(Account account, List<LedgerEntry> openingEntries);

    /**
     * Replaces {@code before} by {@code after} (version {@code before.version() + 1}), appends the entries and
     * stores the idempotency record, all or nothing, only if the stored account is still at
     * {@code before.version()} and the key is unused.
     */
    WriteResult write(AccountWrite write);

    /** Ledger entries newest first, at most {@code limit}, after the given transaction id if present. */
    LedgerPage ledger(AccountId id, int limit, Optional<String> afterTransactionId);

    /**
     * The entries of a window ({@link LedgerWindow#contains}: transaction ids from {@code window.firstTransactionId()}
     * to {@code window.lastTransactionId()}, inclusive), oldest first, at most {@code limit}, after the given transaction
     * id if present. A strongly consistent range read of the ledger's key; {@code continueAfter} is present while the
     * window may hold more (it may then lead to an empty page), empty at the window's end.
     */
    LedgerPage ledgerWindow(AccountId id, LedgerWindow window, int limit, Optional<String> afterTransactionId);

    /**
     * The entries made at or before {@code asOf} (transaction ids up to {@link LedgerWindow#lastTransactionIdAt}, by
     * their time), newest first, at most {@code limit}, older than the given transaction id if present. A strongly
     * consistent read of the ledger key's range up to the instant (what {@code ?asOf=} reads, issue 15);
     * {@code continueAfter} is present while older entries may exist, empty at the ledger's start.
     */
    LedgerPage ledgerAsOf(AccountId id, Instant asOf, int limit, Optional<String> afterTransactionId);

    /**
     * Accounts with a pending hold or a stored lot that expired by {@code now} (by {@link Account#nextExpiry()}), from
     * one of {@code shards()} shards, at most {@code limit}: what the expiry sweep settles.
     */
    List<AccountId> accountsWithHoldsExpiredBy(Instant now, int shard, int limit);

    /** How many shards {@link #accountsWithHoldsExpiredBy} spreads the accounts over. */
    int shards();

    /**
     * The account whose Stripe customer this is (an index read: eventually consistent, so a customer stored
     * moments ago may not be found yet). Empty when no account has it.
     */
    Optional<AccountId> accountByStripeCustomer(String customerId);

    /** The account that was credited a purchase paid by this Stripe payment (an index read, like the one above). */
    Optional<AccountId> accountByPayment(String paymentId);

    /**
     * For a Stripe event: the account, whether the event was applied to it already, and the record of the purchase
     * it is about (if {@code paymentId} is given and the purchase was credited), read together in one consistent call.
     */
    EventSnapshot readForEvent(AccountId id, String eventId, Optional<String> paymentId);

    record EventSnapshot(Optional<Account> account, boolean eventApplied, Optional<PurchaseRecord> purchase) {
    }

    /** A hold's record, whatever its status. */
    Optional<HoldRecord> findHold(AccountId id, String holdId);

    /** A ledger entry and how much of it was refunded so far, read together in one consistent call. */
    RefundContext readRefund(AccountId id, String transactionId);

    record RefundContext(Optional<LedgerEntry> entry, RefundTally tally) {
    }

    /** What a write stores beside the account and its ledger entries. */
    sealed interface SideWrite {
        /** A new hold's record. */
        record NewHold(HoldRecord hold) implements SideWrite {
        }

        /** A pending hold's record marked captured, released or expired. */
        record ResolveHold(String holdId, HoldStatus status, long captured, String transactionId, Instant at) implements SideWrite {
        }

        /** A transaction's refund tally, written only if the stored one is still at {@code before.version()}. */
        record Tally(RefundTally before, RefundTally after) implements SideWrite {
        }

        /** The record that a Stripe event was applied, written only if it does not exist (else: EventAlreadyApplied). */
        record EventApplied(String eventId, String type, Instant at) implements SideWrite {
        }

        /** A purchase record, created (no {@code before}) or changed, only if the stored one is {@code before} (else: PurchaseStale). */
        record Purchase(Optional<PurchaseRecord> before, PurchaseRecord after) implements SideWrite {
        }

        /**
         * An owed payment's record ({@link com.tokenwallet.domain.billing.OwedPayment}), created (no {@code before})
         * or settled, only if the stored one is at {@code before}'s version (else: PurchaseStale).
         */
        record Owed(Optional<com.tokenwallet.domain.billing.OwedPayment> before,
                    com.tokenwallet.domain.billing.OwedPayment after) implements SideWrite {
        }
    }

    record Snapshot(Optional<Account> account, Optional<IdempotencyRecord> record) {
    }

    record AccountWrite(Account before, Account after, List<LedgerEntry> entries, Optional<IdempotencyRecord> record,
                        List<SideWrite> sides) {
        public AccountWrite {
            if (!before.id().equals(after.id())) {
                throw new IllegalArgumentException("a write changes one account");
            }
            after = after.withVersion(before.version() + 1);
            // Each entry carries every bucket's parts after it, written with it (issue 15: balances as of an instant).
            entries = List.copyOf(com.tokenwallet.domain.ledger.BalanceAfter.stamp(after, entries));
            sides = List.copyOf(sides);
        }

        public AccountWrite(Account before, Account after, List<LedgerEntry> entries, Optional<IdempotencyRecord> record) {
            this(before, after, entries, record, List.of());
        }
    }

    sealed interface CreateResult {
        record Created(Account account) implements CreateResult {
        }

        record AlreadyExists(Account account) implements CreateResult {
        }
    }

    sealed interface WriteResult {
        /** Everything was written. */
        record Applied(Account after) implements WriteResult {
        }

        /** Nothing was written: the account changed (its current state, empty if it does not exist). */
        record Stale(Optional<Account> current) implements WriteResult {
        }

        /** Nothing was written: the key was used already; this is its record. */
        record KeyUsed(IdempotencyRecord record) implements WriteResult {
        }

        /** Nothing was written: another refund of the same transaction changed its tally first. */
        record TallyStale() implements WriteResult {
        }

        /** Nothing was written: the Stripe event was applied already. */
        record EventAlreadyApplied() implements WriteResult {
        }

        /** Nothing was written: the purchase (or owed-payment) record was created or changed by another write first. */
        record PurchaseStale() implements WriteResult {
        }
    }
}
