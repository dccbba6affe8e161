package com.tokenwallet.domain.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * One bucket of an account: the plan's {@code allowance} for the period, the {@code purchased} tokens that
 * persist, the tokens {@code held} for work in progress, the stored {@link Lot}s, whose remaining tokens are
 * part of {@code purchased} (the rest of it is the "unlotted" purchased tokens, read as one lot), and the
 * {@code creditLimit} (issue 15): how far below zero charges may take the balance.
 *
 * <p><b>Debt.</b> Tokens a charge takes beyond every lot are the bucket's {@link #debt()}: the unlotted purchased
 * tokens gone below zero, so {@code purchased} is negative exactly when there is debt, the ledger's
 * {@code purchasedDelta}s still sum to {@code purchased} and its amounts to {@code allowance + purchased} (the
 * balance, = the lots' remaining tokens − debt). Debt exists only while every lot is empty: a new lot (a purchase,
 * grant, plan allowance, rollover, refund) repays it first ({@link #settling}).
 *
 * <p>The constructor refuses any state that breaks the invariant (no lot nor allowance negative, debt only beside
 * empty lots, balance at least {@code -creditLimit}, holds covered by balance plus credit), so an impossible balance
 * can never be written.
 */
public record BucketBalance(long allowance, long purchased, long held, List<Lot> lots, long creditLimit) {

    public static final BucketBalance EMPTY = new BucketBalance(0, 0, 0);

    /** Lot id of the tokens a charge took on credit (its receipt's and entry's {@code consumed}); never a stored lot. */
    public static String creditId(String bucket) {
        return "credit:" + bucket;
    }

    public BucketBalance {
        // Kept in id order, so a bucket equals itself read back from any engine.
        lots = lots == null ? List.of() : lots.stream().sorted(java.util.Comparator.comparing(Lot::lotId)).toList();
        if (allowance < 0 || held < 0 || creditLimit < 0) {
            throw new IllegalStateException("negative part: allowance=" + allowance + " held=" + held + " creditLimit=" + creditLimit);
        }
        long inLots = 0;
        HashSet<String> ids = new HashSet<>();
        for (Lot lot : lots) {
            inLots = Math.addExact(inLots, lot.remaining());
            if (!ids.add(lot.lotId())) {
                throw new IllegalStateException("lot " + lot.lotId() + " twice in a bucket");
            }
        }
        if (inLots > purchased && (inLots > 0 || allowance > 0)) {
            throw new IllegalStateException("debt of " + (inLots - purchased) + " beside " + inLots + " tokens in lots and an allowance of "
                    + allowance + " (new lots repay debt first)");
        }
        if (Math.addExact(allowance, purchased) < -creditLimit) {
            throw new IllegalStateException("balance " + (allowance + purchased) + " below -creditLimit " + -creditLimit);
        }
        if (held > Math.addExact(Math.addExact(allowance, purchased), creditLimit)) {
            throw new IllegalStateException("held " + held + " exceeds allowance+purchased+creditLimit " + (allowance + purchased + creditLimit));
        }
    }

    /** A bucket without stored lots: what every bucket was before lots existed. */
    public BucketBalance(long allowance, long purchased, long held) {
        this(allowance, purchased, held, List.of(), 0);
    }

    /** A bucket without a credit limit. */
    public BucketBalance(long allowance, long purchased, long held, List<Lot> lots) {
        this(allowance, purchased, held, lots, 0);
    }

    /** What a new debit or hold may still use: {@code balance - held + creditLimit}. */
    public long available() {
        return allowance + purchased - held + creditLimit;
    }

    /** The tokens charges took beyond every lot (0 unless the bucket has a credit limit): the unlotted tokens below zero. */
    public long debt() {
        return Math.max(0, -unlottedPurchased());
    }

    /** The purchased tokens in stored lots and unlotted, without the debt (the lots' part of the balance). */
    public long purchasedInLots() {
        return Math.max(0, purchased);
    }

    /** The same bucket with another credit limit (the caller has checked it covers the debt and the holds). */
    public BucketBalance withCreditLimit(long limit) {
        return new BucketBalance(allowance, purchased, held, lots, limit);
    }

    /** A bucket after tokens were added, with its debt repaid: how many tokens the allowance and the stored lots repaid. */
    public record Settled(BucketBalance after, long fromAllowance, long fromLots) {
        public long repaid() {
            return fromAllowance + fromLots;
        }
    }

    /**
     * Builds a bucket whose debt (unlotted tokens below zero) is repaid first from the allowance (its tokens move to
     * the purchased part, which the entry must show as {@code fromAllowance} moved from its allowanceDelta to its
     * purchasedDelta), then from the stored lots in burn-down order (within the purchased part: no delta changes).
     */
    public static Settled settling(long allowance, long purchased, long held, List<Lot> lots, long creditLimit) {
        long inLots = 0;
        for (Lot lot : lots) {
            inLots = Math.addExact(inLots, lot.remaining());
        }
        long debt = Math.max(0, inLots - purchased);
        if (debt == 0) {
            return new Settled(new BucketBalance(allowance, purchased, held, lots, creditLimit), 0, 0);
        }
        long fromAllowance = Math.min(debt, allowance);
        debt -= fromAllowance;
        List<Lot> next = new ArrayList<>(lots);
        List<Lot> ordered = new ArrayList<>(lots);
        ordered.sort(java.util.Comparator.comparing(LotView::of, LotView.BURN_ORDER));
        long fromLots = 0;
        for (Lot lot : ordered) {
            if (debt == 0) {
                break;
            }
            long take = Math.min(debt, lot.remaining());
            if (take == 0) {
                continue;
            }
            debt -= take;
            fromLots += take;
            replaceRemaining(next, lot.lotId(), lot.remaining() - take);
        }
        return new Settled(new BucketBalance(allowance - fromAllowance, Math.addExact(purchased, fromAllowance), held, next, creditLimit),
                fromAllowance, fromLots);
    }

    /** The balance the ledger sums to (holds move no tokens until captured). */
    public long total() {
        return allowance + purchased;
    }

    /** The purchased tokens of no stored lot (today's purchases and grants, and every account written before lots). */
    public long unlottedPurchased() {
        return purchased - lots.stream().mapToLong(Lot::remaining).sum();
    }

    /**
     * The bucket's lots with tokens left, in burn-down order: the allowance (expiring at the period's end), the
     * unlotted purchased tokens (no expiry, as old as the account) and the stored lots.
     */
    public List<LotView> lotViews(String bucket, Period period, Instant accountCreatedAt) {
        List<LotView> views = new ArrayList<>();
        if (allowance > 0) {
            views.add(new LotView(LotView.allowanceId(bucket, period), bucket, LotSource.PLAN_ALLOWANCE, allowance, allowance,
                    Lot.DEFAULT_PRIORITY, period.endsAt(), null, period.id(), period.startsAt(), LotView.Part.ALLOWANCE));
        }
        long unlotted = unlottedPurchased();
        if (unlotted > 0) {
            views.add(new LotView(LotView.unlottedPurchasedId(bucket), bucket, LotSource.PURCHASE, unlotted, unlotted,
                    Lot.DEFAULT_PRIORITY, null, null, null, accountCreatedAt, LotView.Part.UNLOTTED_PURCHASED));
        }
        lots.stream().filter(l -> l.remaining() > 0).forEach(l -> views.add(LotView.of(l)));
        views.sort(LotView.BURN_ORDER);
        return views;
    }

    /** A debit's effect on the bucket: the bucket after it, how it splits over the two parts, and the lots it took. */
    public record Consumption(BucketBalance after, Split split, List<Consumed> consumed) {
    }

    /** Takes {@code amount} tokens in burn-down order. The caller has checked {@code amount <= available()}. */
    public Consumption consume(String bucket, long amount, Period period, Instant accountCreatedAt) {
        long left = amount;
        long fromAllowance = 0;
        List<Consumed> consumed = new ArrayList<>();
        List<Lot> nextLots = new ArrayList<>(lots);
        for (LotView view : lotViews(bucket, period, accountCreatedAt)) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, view.remaining());
            left -= take;
            consumed.add(Consumed.of(view, take));
            switch (view.part()) {
                case ALLOWANCE -> fromAllowance += take;
                case UNLOTTED_PURCHASED -> { }
                case STORED -> replaceRemaining(nextLots, view.lotId(), view.remaining() - take);
            }
        }
        if (left > 0) {
            if (total() - amount < -creditLimit) {
                throw new IllegalStateException("consume " + amount + " from a bucket of " + total() + " with a credit limit of " + creditLimit);
            }
            // Beyond every lot: on credit, the unlotted purchased tokens go below zero (the debt).
            consumed.add(new Consumed(creditId(bucket), LotSource.CREDIT, left, null, null, LotView.Part.UNLOTTED_PURCHASED,
                    Lot.DEFAULT_PRIORITY, null, null, 0));
        }
        Split split = new Split(fromAllowance, amount - fromAllowance);
        return new Consumption(new BucketBalance(allowance - split.fromAllowance(), purchased - split.fromPurchased(), held, nextLots, creditLimit),
                split, List.copyOf(consumed));
    }

    /** Allowance first, then purchased. The caller has checked {@code amount <= available()}. */
    public Split splitFor(long amount) {
        long fromAllowance = Math.min(allowance, amount);
        return new Split(fromAllowance, amount - fromAllowance);
    }

    /**
     * Takes tokens away by part (a clawback, an admin adjustment): the purchased share from the unlotted tokens
     * first, then from the stored lots in burn-down order.
     */
    public BucketBalance minus(Split split) {
        long fromLots = Math.max(0, split.fromPurchased() - unlottedPurchased());
        List<Lot> nextLots = new ArrayList<>(lots);
        List<Lot> ordered = new ArrayList<>(lots);
        ordered.sort(java.util.Comparator.comparing(LotView::of, LotView.BURN_ORDER));
        for (Lot lot : ordered) {
            if (fromLots == 0) {
                break;
            }
            long take = Math.min(fromLots, lot.remaining());
            fromLots -= take;
            replaceRemaining(nextLots, lot.lotId(), lot.remaining() - take);
        }
        return new BucketBalance(allowance - split.fromAllowance(), purchased - split.fromPurchased(), held, nextLots, creditLimit);
    }

    /**
     * As {@link #minus(Split)}, but the purchased share comes from the stored lot {@code firstLotId} first (a Stripe
     * refund or dispute takes back from its payment's lot), then as {@link #minus(Split)} takes it. A null or absent
     * lot changes nothing to the order.
     */
    public BucketBalance minus(Split split, String firstLotId) {
        Lot first = firstLotId == null ? null : lots.stream().filter(l -> l.lotId().equals(firstLotId)).findFirst().orElse(null);
        if (first == null || split.fromPurchased() == 0) {
            return minus(split);
        }
        long take = Math.min(first.remaining(), split.fromPurchased());
        List<Lot> nextLots = new ArrayList<>(lots);
        replaceRemaining(nextLots, first.lotId(), first.remaining() - take);
        return new BucketBalance(allowance, purchased - take, held, nextLots, creditLimit)
                .minus(new Split(split.fromAllowance(), split.fromPurchased() - take));
    }

    /** Adds unlotted purchased tokens; they repay the debt first (the unlotted tokens are where the debt is). */
    public BucketBalance plusPurchased(long tokens) {
        return new BucketBalance(allowance, Math.addExact(purchased, tokens), held, lots, creditLimit);
    }

    /**
     * Adds a stored lot: its remaining tokens join the purchased part, repaying the debt first (the lot is stored
     * with what is left of it, not at all if the debt took it all; the purchased part grows by all of it).
     */
    public BucketBalance plusLot(Lot lot) {
        List<Lot> next = new ArrayList<>(lots);
        next.add(lot);
        return settling(allowance, Math.addExact(purchased, lot.remaining()), held, next, creditLimit).after();
    }

    public BucketBalance withHeld(long tokens) {
        return new BucketBalance(allowance, purchased, tokens, lots, creditLimit);
    }

    /**
     * Gives back tokens a charge took: {@code split} says how many to each part (purchased ones stay unlotted); the
     * debt is repaid first (see {@link #settling}: the allowance tokens that repay it move to the purchased part).
     */
    public Settled plus(Split split) {
        return settling(Math.addExact(allowance, split.fromAllowance()), Math.addExact(purchased, split.fromPurchased()), held, lots,
                creditLimit);
    }

    /** The allowance replaced by {@code tokens}, repaying the debt first (see {@link #settling}). */
    public Settled withAllowance(long tokens) {
        return settling(tokens, purchased, held, lots, creditLimit);
    }

    /** One stored lot's expiry: the tokens that lapsed now (the lot keeps what pending holds still need). */
    public record Lapse(Lot lot, long lapsed) {
    }

    /** The bucket with the tokens of its lots expired by {@code now} taken out, and what lapsed. */
    public record Expired(BucketBalance after, List<Lapse> lapses) {
    }

    /**
     * Takes out the remaining tokens of every stored lot expired by {@code now}, but never below what pending holds
     * need: those tokens stay in the lot (captures burn expired lots first) and lapse at a later write, once the
     * holds have ended. Lots left empty are dropped.
     */
    public Expired expireLots(Instant now) {
        long spare = total() - held;
        List<Lapse> lapses = new ArrayList<>();
        List<Lot> next = new ArrayList<>();
        long lapsedTotal = 0;
        for (Lot lot : lots) {
            if (lot.expiredAt(now) && lot.remaining() > 0 && spare > 0) {
                long lapsed = Math.min(lot.remaining(), spare);
                spare -= lapsed;
                lapsedTotal += lapsed;
                lapses.add(new Lapse(lot, lapsed));
                if (lot.remaining() > lapsed) {
                    next.add(lot.withRemaining(lot.remaining() - lapsed));
                }
            } else if (lot.remaining() > 0) {
                next.add(lot);
            }
        }
        if (lapses.isEmpty() && next.size() == lots.size()) {
            return new Expired(this, List.of());
        }
        return new Expired(new BucketBalance(allowance, purchased - lapsedTotal, held, next, creditLimit), List.copyOf(lapses));
    }

    private static void replaceRemaining(List<Lot> lots, String lotId, long remaining) {
        for (int i = 0; i < lots.size(); i++) {
            if (lots.get(i).lotId().equals(lotId)) {
                if (remaining == 0) {
                    lots.remove(i);
                } else {
                    lots.set(i, lots.get(i).withRemaining(remaining));
                }
                return;
            }
        }
        throw new IllegalStateException("no lot " + lotId);
    }
}
