package com.tokenwallet.domain.account;

import com.tokenwallet.domain.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A refund's way back into the lots a charge consumed (issue 15). The charge's ledger entry names the lots it took
 * in burn-down order; its refunds give tokens back in the <em>reverse</em> order (the lot it took last first), so
 * after partial refunds of {@code r} tokens the lots are as if the charge had been {@code r} tokens smaller. Per lot:
 *
 * <ul>
 * <li>the period's allowance lot goes back into the allowance while that period lasts; once it ended the tokens
 *     lapse ({@link Outcome#PERIOD_ENDED});</li>
 * <li>the unlotted purchased tokens never expire: they go back to the purchased part;</li>
 * <li>a stored lot gets its tokens back ({@link Outcome#RETURNED}), or is created again with them when the charge
 *     used it up ({@link Outcome#RECREATED}); if it expired meanwhile the tokens lapse ({@link Outcome#EXPIRED});
 *     if it must be created again while the account stores {@link Limits#MAX_STORED_LOTS} lots, its tokens join the
 *     unlotted purchased tokens instead ({@link Outcome#UNLOTTED}: never lost, but no longer expiring).</li>
 * </ul>
 * Lapsed tokens change no balance, so the refund's entry moves only what was given back and the ledger invariant
 * holds as it is.
 */
public final class LotRefund {
    private LotRefund() {
    }

    /** What happened to one share of a refund. */
    public enum Outcome {
        RETURNED, RECREATED, UNLOTTED, EXPIRED, PERIOD_ENDED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean lapsed() {
            return this == EXPIRED || this == PERIOD_ENDED;
        }
    }

    /** {@code amount} tokens of the lot {@code from} (as the charge saw it), and where they went. */
    public record Share(Consumed from, long amount, Outcome outcome) {
    }

    /** The bucket after the refund, what it gave back to each part, what lapsed, and the shares lot by lot. */
    public record Result(BucketBalance after, Split returned, long lapsed, List<Share> shares) {
        public Result {
            shares = List.copyOf(shares);
        }
    }

    /**
     * The lots a refund of {@code amount} gives back to, when {@code already} tokens of the charge were refunded
     * before: the charge's lots taken from the end ({@code consumed} is in burn-down order), each with the tokens it
     * gets back.
     */
    public static List<Consumed> portions(List<Consumed> consumed, long already, long amount) {
        List<Consumed> out = new ArrayList<>();
        long skip = already;
        long left = amount;
        for (int i = consumed.size() - 1; i >= 0 && left > 0; i--) {
            Consumed c = consumed.get(i);
            long skipped = Math.min(skip, c.amount());
            skip -= skipped;
            long take = Math.min(left, c.amount() - skipped);
            if (take > 0) {
                out.add(c.withAmount(take));
                left -= take;
            }
        }
        if (left > 0) {
            throw new IllegalStateException("refund of " + amount + " after " + already + " exceeds what the charge consumed");
        }
        return List.copyOf(out);
    }

    /**
     * Gives {@code portions} back to a bucket at {@code now}, in the account's current {@code period};
     * {@code storedLots} is how many lots the whole account stores (the bound of {@link Limits#MAX_STORED_LOTS}).
     */
    public static Result giveBack(BucketBalance bucket, String bucketName, List<Consumed> portions, Period period, Instant now,
                                  int storedLots) {
        long allowance = bucket.allowance();
        long purchased = bucket.purchased();
        List<Lot> lots = new ArrayList<>(bucket.lots());
        int stored = storedLots;
        long toAllowance = 0;
        long toPurchased = 0;
        long lapsed = 0;
        List<Share> shares = new ArrayList<>();
        for (Consumed c : portions) {
            long n = c.amount();
            Outcome outcome;
            switch (c.part()) {
                case ALLOWANCE -> {
                    if (c.lotId().equals(LotView.allowanceId(bucketName, period))) {
                        outcome = Outcome.RETURNED;
                        toAllowance += n;
                    } else {
                        outcome = Outcome.PERIOD_ENDED;
                    }
                }
                case UNLOTTED_PURCHASED -> {
                    outcome = Outcome.RETURNED;
                    toPurchased += n;
                }
                case STORED -> {
                    int at = indexOf(lots, c.lotId());
                    if (c.expiresAt() != null && !now.isBefore(c.expiresAt())) {
                        outcome = Outcome.EXPIRED;
                    } else if (at >= 0) {
                        Lot lot = lots.get(at);
                        long room = lot.granted() - lot.remaining();
                        // A lot never holds more than it was granted; what would not fit stays unlotted (not expected).
                        lots.set(at, lot.withRemaining(lot.remaining() + Math.min(n, room)));
                        outcome = n <= room ? Outcome.RETURNED : Outcome.UNLOTTED;
                        toPurchased += n;
                    } else if (stored < Limits.MAX_STORED_LOTS) {
                        lots.add(c.asLot(bucketName, n));
                        stored++;
                        outcome = Outcome.RECREATED;
                        toPurchased += n;
                    } else {
                        outcome = Outcome.UNLOTTED;
                        toPurchased += n;
                    }
                }
                default -> throw new IllegalStateException("part " + c.part());
            }
            if (outcome.lapsed()) {
                lapsed += n;
            }
            shares.add(new Share(c, n, outcome));
        }
        // Debt is repaid first: a refund to the allowance or a lot while the bucket owes moves those tokens to the debt.
        BucketBalance.Settled settled = BucketBalance.settling(Math.addExact(allowance, toAllowance), Math.addExact(purchased, toPurchased),
                bucket.held(), lots, bucket.creditLimit());
        return new Result(settled.after(), new Split(toAllowance - settled.fromAllowance(), toPurchased + settled.fromAllowance()),
                lapsed, shares);
    }

    private static int indexOf(List<Lot> lots, String lotId) {
        for (int i = 0; i < lots.size(); i++) {
            if (lots.get(i).lotId().equals(lotId)) {
                return i;
            }
        }
        return -1;
    }
}
