package com.tokenwallet.domain.ledger;

import com.github.f4b6a3.ulid.Ulid;
import com.tokenwallet.domain.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A half-open span of an account's ledger, {@code [from, to)}, by the time in each entry's transaction id. Ids are
 * monotonic ULIDs from the wallet's clock (see {@link TransactionIds}), made in the same write as {@code createdAt},
 * so an entry's id time is its {@code createdAt} to the millisecond in practice; using the id makes the window an
 * exact range of the ledger's sort key. Two windows that meet ({@code a.to == b.from}) therefore hold every entry
 * exactly once between them, and reading one costs what it holds, never the whole ledger.
 */
public record LedgerWindow(Instant from, Instant to) {
    /** The longest window one call may read (usage and export alike): about a quarter. */
    public static final Duration MAX_SPAN = Duration.ofDays(92);
    private static final String PREFIX = "tx_";

    public LedgerWindow {
        from = from.truncatedTo(ChronoUnit.MILLIS);
        to = to.truncatedTo(ChronoUnit.MILLIS);
        if (from.toEpochMilli() < 0) {
            throw new InvalidRequestException("from", "'from' must not be before 1970-01-01T00:00:00Z.");
        }
        if (!to.isAfter(from)) {
            throw new InvalidRequestException("to", "'to' must be after 'from'.");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw new InvalidRequestException("to", "'from' and 'to' may be at most " + MAX_SPAN.toDays()
                    + " days apart; ask for a shorter range.");
        }
        if (to.toEpochMilli() > (1L << 48) - 1) {
            throw new InvalidRequestException("to", "'to' is beyond the ledger's time range.");
        }
    }

    /** The smallest transaction id the window holds (inclusive). */
    public String firstTransactionId() {
        return PREFIX + Ulid.min(from.toEpochMilli());
    }

    /** The largest transaction id the window holds (inclusive): the last millisecond before {@code to}. */
    public String lastTransactionId() {
        return PREFIX + Ulid.max(to.toEpochMilli() - 1);
    }

    /** The smallest transaction id there can be: the lower end of a read up to an instant. */
    public static final String LEDGER_START = PREFIX + Ulid.min(0);

    /** The largest transaction id made at or before {@code at} (to its millisecond): a ledger read's upper key. */
    public static String lastTransactionIdAt(Instant at) {
        long millis = at.toEpochMilli();
        if (millis < 0 || millis > (1L << 48) - 1) {
            throw new IllegalArgumentException("outside the ledger's time range: " + at);
        }
        return PREFIX + Ulid.max(millis);
    }

    /** Whether the window holds this transaction id (by its time); ids that are not the wallet's are outside. */
    public boolean contains(String transactionId) {
        return TransactionIds.isValid(transactionId) && transactionId.compareTo(firstTransactionId()) >= 0
                && transactionId.compareTo(lastTransactionId()) <= 0;
    }

    /** The time a transaction id was made at (its ULID's milliseconds). */
    public static Instant timeOf(String transactionId) {
        if (!TransactionIds.isValid(transactionId)) {
            throw new IllegalArgumentException("not a transaction id: " + transactionId);
        }
        return Ulid.from(transactionId.substring(PREFIX.length())).getInstant();
    }
}
