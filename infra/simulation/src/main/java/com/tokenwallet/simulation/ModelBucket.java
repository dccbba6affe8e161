package com.tokenwallet.simulation;

import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.Period;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * One bucket as the reference model keeps it, lot by lot, written from the rules of issue 15 rather than from the
 * product's {@code BucketBalance}: the period's allowance, the purchased part (the stored lots' tokens plus the
 * unlotted ones, below zero when the bucket owes), the held tokens, the credit limit, and the stored lots.
 *
 * <p>The burn-down takes the allowance (expiring at the period's end, created at its start), the unlotted purchased
 * tokens (no expiry, as old as the account) and the stored lots in one order: priority (lower first), soonest expiry
 * (none last), oldest, id; beyond them the rest is taken on credit ({@code credit:<bucket>}). Tokens added while the
 * bucket owes repay the debt first: from the allowance, then from the stored lots in burn-down order.
 */
final class ModelBucket {
    /** Which part of the bucket a take came from. */
    enum Part {
        ALLOWANCE, UNLOTTED, STORED
    }

    /** A stored lot. */
    record ModelLot(String id, String source, long granted, long remaining, int priority, Instant expiresAt, Instant createdAt) {
        ModelLot withRemaining(long tokens) {
            return new ModelLot(id, source, granted, tokens, priority, expiresAt, createdAt);
        }

        boolean expiredAt(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    /** What a charge took from one lot ({@code lot}: the stored lot as it was then, null for the two implicit lots). */
    record Take(String lotId, Part part, long amount, ModelLot lot) {
        Take withAmount(long tokens) {
            return new Take(lotId, part, tokens, lot);
        }
    }

    private record View(String id, Part part, long remaining, int priority, Instant expiresAt, Instant createdAt, ModelLot lot) {
    }

    private static final Comparator<View> BURN_ORDER = Comparator.comparingInt(View::priority)
            .thenComparing(View::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(View::createdAt)
            .thenComparing(View::id);

    long allowance;
    long purchased;
    long held;
    long creditLimit;
    private final TreeMap<String, ModelLot> lots = new TreeMap<>();

    static ModelBucket of(BucketBalance balance) {
        ModelBucket b = new ModelBucket();
        b.allowance = balance.allowance();
        b.purchased = balance.purchased();
        b.held = balance.held();
        b.creditLimit = balance.creditLimit();
        balance.lots().forEach(l -> b.lots.put(l.lotId(), lotOf(l)));
        return b;
    }

    private static ModelLot lotOf(Lot l) {
        return new ModelLot(l.lotId(), l.source().wireName(), l.granted(), l.remaining(), l.priority(), l.expiresAt(), l.createdAt());
    }

    int storedLots() {
        return lots.size();
    }

    boolean hasLot(String id) {
        return lots.containsKey(id);
    }

    long available() {
        return allowance + purchased - held + creditLimit;
    }

    private long inLots() {
        return lots.values().stream().mapToLong(ModelLot::remaining).sum();
    }

    long unlotted() {
        return purchased - inLots();
    }

    /** The lots with tokens in burn-down order, the allowance and the unlotted tokens among them. */
    private List<View> views(String bucket, Period period, Instant accountCreatedAt) {
        List<View> views = new ArrayList<>();
        if (allowance > 0) {
            views.add(new View("allowance:" + bucket + ":" + period.id(), Part.ALLOWANCE, allowance, Lot.DEFAULT_PRIORITY,
                    period.endsAt(), period.startsAt(), null));
        }
        if (unlotted() > 0) {
            views.add(new View("purchased:" + bucket, Part.UNLOTTED, unlotted(), Lot.DEFAULT_PRIORITY, null, accountCreatedAt, null));
        }
        views.addAll(storedViews());
        views.sort(BURN_ORDER);
        return views;
    }

    private List<View> storedViews() {
        List<View> views = new ArrayList<>();
        lots.values().stream().filter(l -> l.remaining() > 0).forEach(l -> views.add(new View(l.id(), Part.STORED, l.remaining(),
                l.priority(), l.expiresAt(), l.createdAt(), l)));
        views.sort(BURN_ORDER);
        return views;
    }

    /** Takes {@code amount} in burn-down order (the caller checked it is available); what it took from each lot. */
    List<Take> take(String bucket, long amount, Period period, Instant accountCreatedAt) {
        List<Take> takes = new ArrayList<>();
        long left = amount;
        for (View v : views(bucket, period, accountCreatedAt)) {
            if (left == 0) {
                break;
            }
            long n = Math.min(left, v.remaining());
            left -= n;
            takes.add(new Take(v.id(), v.part(), n, v.lot()));
            switch (v.part()) {
                case ALLOWANCE -> allowance -= n;
                case UNLOTTED -> purchased -= n;
                case STORED -> {
                    lower(v.id(), n);
                    purchased -= n;
                }
            }
        }
        if (left > 0) {
            takes.add(new Take("credit:" + bucket, Part.UNLOTTED, left, null));
            purchased -= left;
        }
        return takes;
    }

    /** Repays the debt (unlotted tokens below zero): from the allowance first, then from the stored lots in burn-down order. */
    void settle() {
        long debt = Math.max(0, inLots() - purchased);
        long fromAllowance = Math.min(debt, allowance);
        allowance -= fromAllowance;
        purchased += fromAllowance;
        lowerInBurnOrder(debt - fromAllowance);
    }

    /** Takes {@code tokens} out of the stored lots in burn-down order (the lots only: the caller moves the parts). */
    private void lowerInBurnOrder(long tokens) {
        long left = tokens;
        for (View v : storedViews()) {
            if (left == 0) {
                break;
            }
            long n = Math.min(left, v.remaining());
            left -= n;
            lower(v.id(), n);
        }
    }

    void addLot(ModelLot lot) {
        lots.put(lot.id(), lot);
        purchased += lot.remaining();
        settle();
    }

    void addUnlotted(long tokens) {
        purchased += tokens;
    }

    void setAllowance(long tokens) {
        allowance = tokens;
        settle();
    }

    /** Tokens given back to the two parts (an adjustment up): they repay the debt first. */
    void give(long toAllowance, long toPurchased) {
        allowance += toAllowance;
        purchased += toPurchased;
        settle();
    }

    /** Tokens taken away by part (an adjustment down): the purchased share from the unlotted tokens, then the lots. */
    void minus(long fromAllowance, long fromPurchased) {
        lowerInBurnOrder(Math.max(0, fromPurchased - unlotted()));
        allowance -= fromAllowance;
        purchased -= fromPurchased;
    }

    /** As {@link #minus}, but the purchased tokens from the stored lot {@code firstLotId} first (a claw-back: its payment's lot). */
    void minusFrom(String firstLotId, long fromPurchased) {
        ModelLot first = lots.get(firstLotId);
        long fromFirst = first == null ? 0 : Math.min(first.remaining(), fromPurchased);
        if (fromFirst > 0) {
            lower(firstLotId, fromFirst);
            purchased -= fromFirst;
        }
        minus(0, fromPurchased - fromFirst);
    }

    /**
     * The stored lots expired by {@code now} lose their tokens (lots in id order), never below what pending holds need
     * of the bucket's tokens: those stay until a later write.
     */
    void expire(Instant now) {
        long spare = allowance + purchased - held;
        long lapsed = 0;
        for (ModelLot lot : List.copyOf(lots.values())) {
            if (lot.expiredAt(now) && lot.remaining() > 0 && spare > 0) {
                long n = Math.min(lot.remaining(), spare);
                spare -= n;
                lapsed += n;
                lower(lot.id(), n);
            } else if (lot.remaining() == 0) {
                lots.remove(lot.id());
            }
        }
        purchased -= lapsed;
    }

    /**
     * A refund's share given back: to the allowance while the charge's period lasts (else it lapses), to the unlotted
     * tokens, or to its stored lot (up to what it was granted; created again if the charge used it up and the account
     * has room; lapsed if it expired meanwhile). {@code storedLots} counts the whole account's lots. Then the debt is
     * repaid.
     */
    void giveBack(String bucket, List<Take> portions, Period period, Instant now, int storedLots) {
        long toAllowance = 0;
        long toPurchased = 0;
        int stored = storedLots;
        for (Take t : portions) {
            switch (t.part()) {
                case ALLOWANCE -> toAllowance += t.lotId().equals("allowance:" + bucket + ":" + period.id()) ? t.amount() : 0;
                case UNLOTTED -> toPurchased += t.amount();
                case STORED -> {
                    ModelLot was = t.lot();
                    ModelLot current = lots.get(t.lotId());
                    if (was.expiredAt(now)) {
                        continue;
                    }
                    if (current != null) {
                        lots.put(current.id(), current.withRemaining(current.remaining() + Math.min(t.amount(), current.granted() - current.remaining())));
                    } else if (stored < Limits.MAX_STORED_LOTS) {
                        lots.put(was.id(), new ModelLot(was.id(), was.source(), Math.max(was.granted(), t.amount()), t.amount(),
                                was.priority(), was.expiresAt(), was.createdAt()));
                        stored++;
                    }
                    toPurchased += t.amount();
                }
            }
        }
        give(toAllowance, toPurchased);
    }

    private void lower(String id, long tokens) {
        ModelLot lot = lots.get(id);
        if (lot.remaining() == tokens) {
            lots.remove(id);
        } else {
            lots.put(id, lot.withRemaining(lot.remaining() - tokens));
        }
    }

    /** Null when {@code written} is this bucket, else what differs. */
    String differs(BucketBalance written) {
        ModelBucket w = of(written);
        if (w.allowance != allowance || w.purchased != purchased || w.held != held || w.creditLimit != creditLimit) {
            return "parts " + w.parts() + ", the model expects " + parts();
        }
        if (!w.lots.equals(lots)) {
            return "lots " + w.lots.values() + ", the model expects " + lots.values();
        }
        return null;
    }

    private String parts() {
        return allowance + "/" + purchased + "/" + held + " limit " + creditLimit;
    }

    @Override
    public String toString() {
        return parts() + (lots.isEmpty() ? "" : " lots " + lots.values());
    }
}
