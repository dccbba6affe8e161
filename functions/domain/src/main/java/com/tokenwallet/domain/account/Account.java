package com.tokenwallet.domain.account;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account as stored: its plan and period, its buckets, its pending holds, and the {@code version} every write
 * is conditioned on. Methods return new accounts; the store writes {@code after} only if the stored version is
 * still {@code before.version()}, so the rules here run on exactly the state they change.
 *
 * <p>Each bucket's {@code held} is the sum of that bucket's pending holds; the constructor refuses anything else.
 */
public record Account(AccountId id, String email, String plan, Period period, Map<String, BucketBalance> buckets,
                      Map<String, PendingHold> holds, Billing billing, Instant createdAt, long version) {

    public Account {
        billing = billing == null ? Billing.NONE : billing;
        buckets = Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
        holds = Collections.unmodifiableMap(new LinkedHashMap<>(holds));
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
        Map<String, Long> heldByBucket = new LinkedHashMap<>();
        holds.values().forEach(h -> heldByBucket.merge(h.bucket(), h.amount(), Math::addExact));
        for (Map.Entry<String, BucketBalance> b : buckets.entrySet()) {
            long expected = heldByBucket.getOrDefault(b.getKey(), 0L);
            if (b.getValue().held() != expected) {
                throw new IllegalStateException("bucket " + b.getKey() + " holds " + b.getValue().held()
                        + " but its pending holds sum to " + expected);
            }
        }
        int storedLots = 0;
        for (Map.Entry<String, BucketBalance> b : buckets.entrySet()) {
            for (Lot lot : b.getValue().lots()) {
                if (!lot.bucket().equals(b.getKey())) {
                    throw new IllegalStateException("lot " + lot.lotId() + " of bucket " + lot.bucket() + " kept in " + b.getKey());
                }
                storedLots++;
            }
        }
        if (storedLots > Limits.MAX_STORED_LOTS) {
            throw new IllegalStateException(storedLots + " stored lots, more than " + Limits.MAX_STORED_LOTS);
        }
        for (String bucket : heldByBucket.keySet()) {
            if (!buckets.containsKey(bucket)) {
                throw new IllegalStateException("a pending hold on bucket " + bucket + " that the account lacks");
            }
        }
    }

    /** An account without billing state (no Stripe customer yet). */
    public Account(AccountId id, String email, String plan, Period period, Map<String, BucketBalance> buckets,
                   Map<String, PendingHold> holds, Instant createdAt, long version) {
        this(id, email, plan, period, buckets, holds, Billing.NONE, createdAt, version);
    }

    /** An account without pending holds nor billing state. */
    public Account(AccountId id, String email, String plan, Period period, Map<String, BucketBalance> buckets,
                   Instant createdAt, long version) {
        this(id, email, plan, period, buckets, Map.of(), Billing.NONE, createdAt, version);
    }

    public BucketBalance bucket(String name) {
        return buckets.getOrDefault(name, BucketBalance.EMPTY);
    }

    /** Takes {@code amount} tokens from a bucket in burn-down order, or refuses with the available amount. */
    public Debit debit(String bucketName, long amount) {
        BucketBalance current = bucket(bucketName);
        if (current.available() < amount) {
            throw new InsufficientTokensException(bucketName, amount, current.available(), current.creditLimit());
        }
        BucketBalance.Consumption consumption = current.consume(bucketName, amount, period, createdAt);
        return new Debit(withBucket(bucketName, consumption.after()), consumption.split(), consumption.consumed());
    }

    /** Every lot with tokens left, bucket by bucket (buckets in the account's order), each bucket in burn-down order. */
    public List<LotView> lotViews() {
        List<LotView> views = new ArrayList<>();
        buckets.forEach((name, b) -> views.addAll(b.lotViews(name, period, createdAt)));
        return views;
    }

    /**
     * The earliest instant a pending hold or a stored lot of this account expires: the stores index accounts by it
     * (DynamoDB's sparse index, SQLite's partial index), so the minute's sweep writes both kinds of expiry.
     */
    public java.util.Optional<Instant> nextExpiry() {
        java.util.stream.Stream<Instant> holdExpiries = holds.values().stream().map(PendingHold::expiresAt);
        java.util.stream.Stream<Instant> lotExpiries = buckets.values().stream().flatMap(b -> b.lots().stream())
                .map(Lot::expiresAt).filter(java.util.Objects::nonNull);
        return java.util.stream.Stream.concat(holdExpiries, lotExpiries).min(Instant::compareTo);
    }

    /** How many lots are stored (the implicit allowance and unlotted purchased lots are not). */
    public int storedLotCount() {
        return buckets.values().stream().mapToInt(b -> b.lots().size()).sum();
    }

    /** The account with the lots expired by {@code now} taken out, and what lapsed (see BucketBalance#expireLots). */
    public LotsExpired expireLots(Instant now) {
        Account after = this;
        List<BucketBalance.Lapse> lapses = new ArrayList<>();
        for (Map.Entry<String, BucketBalance> b : buckets.entrySet()) {
            BucketBalance.Expired expired = b.getValue().expireLots(now);
            if (expired.after() != b.getValue()) {
                after = after.withBucket(b.getKey(), expired.after());
                lapses.addAll(expired.lapses());
            }
        }
        return new LotsExpired(after, lapses);
    }

    /** An account with its expired lots taken out, and what lapsed. */
    public record LotsExpired(Account account, List<BucketBalance.Lapse> lapses) {
    }

    /** Reserves tokens of a bucket for a new pending hold, or refuses with the available amount. */
    public Account hold(PendingHold hold) {
        if (holds.size() >= Limits.MAX_PENDING_HOLDS) {
            throw new ConflictException("too_many_holds", "The account has " + holds.size()
                    + " pending holds, the most it may have; capture or release one first.");
        }
        BucketBalance current = bucket(hold.bucket());
        if (current.available() < hold.amount()) {
            throw new InsufficientTokensException(hold.bucket(), hold.amount(), current.available(), current.creditLimit());
        }
        Map<String, PendingHold> next = new LinkedHashMap<>(holds);
        next.put(hold.holdId(), hold);
        Map<String, BucketBalance> nextBuckets = new LinkedHashMap<>(buckets);
        nextBuckets.put(hold.bucket(), current.withHeld(current.held() + hold.amount()));
        return new Account(id, email, plan, period, nextBuckets, next, billing, createdAt, version);
    }

    /** Ends a pending hold without taking its tokens: they are available again. */
    public Account release(String holdId) {
        PendingHold hold = holds.get(holdId);
        if (hold == null) {
            throw new IllegalStateException("hold " + holdId + " is not pending");
        }
        Map<String, PendingHold> next = new LinkedHashMap<>(holds);
        next.remove(holdId);
        BucketBalance current = bucket(hold.bucket());
        Map<String, BucketBalance> nextBuckets = new LinkedHashMap<>(buckets);
        nextBuckets.put(hold.bucket(), current.withHeld(current.held() - hold.amount()));
        return new Account(id, email, plan, period, nextBuckets, next, billing, createdAt, version);
    }

    /** Ends a pending hold taking {@code amount} of its tokens (allowance first); the rest is released. */
    public Debit capture(String holdId, long amount) {
        PendingHold hold = holds.get(holdId);
        if (hold == null || amount < 0 || amount > hold.amount()) {
            throw new IllegalStateException("capture of " + amount + " from hold " + holdId + " " + hold);
        }
        return release(holdId).debit(hold.bucket(), amount);
    }

    /** The account with every hold pending past {@code now} released, and those holds. */
    public Settled settle(Instant now) {
        Account settled = this;
        List<PendingHold> expired = new ArrayList<>();
        for (PendingHold hold : holds.values()) {
            if (hold.expiredAt(now)) {
                settled = settled.release(hold.holdId());
                expired.add(hold);
            }
        }
        return new Settled(settled, expired);
    }

    /**
     * Whether the account is on calendar months (no Stripe subscription in force) and its month ended by
     * {@code now}: the one condition under which the quota reset and the lazy path roll it over.
     */
    public boolean calendarPeriodEndedBy(Instant now) {
        return !billing.onSubscription() && !now.isBefore(period.endsAt());
    }

    public Account withBucket(String bucketName, BucketBalance balance) {
        Map<String, BucketBalance> next = new LinkedHashMap<>(buckets);
        next.put(bucketName, balance);
        return new Account(id, email, plan, period, next, holds, billing, createdAt, version);
    }

    public Account withPlan(String newPlan) {
        return new Account(id, email, newPlan, period, buckets, holds, billing, createdAt, version);
    }

    public Account withPeriod(Period newPeriod) {
        return new Account(id, email, plan, newPeriod, buckets, holds, billing, createdAt, version);
    }

    public Account withVersion(long newVersion) {
        return new Account(id, email, plan, period, buckets, holds, billing, createdAt, newVersion);
    }

    public Account withBilling(Billing next) {
        return new Account(id, email, plan, period, buckets, holds, next, createdAt, version);
    }

    /** The result of a debit: the account after it, and where the tokens came from. */
    public record Debit(Account after, Split split, List<Consumed> consumed) {
        public Debit {
            consumed = List.copyOf(consumed);
        }
    }

    /** An account with its expired holds released, and the holds that expired. */
    public record Settled(Account account, List<PendingHold> expired) {
    }
}
