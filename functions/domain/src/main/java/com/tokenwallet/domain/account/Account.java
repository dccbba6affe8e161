package com.tokenwallet.domain.account;

import com.tokenwallet.domain.InsufficientTokensException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An account as stored: its plan and period, its buckets, and the {@code version} every write is conditioned
 * on. Methods return new accounts; the store writes {@code after} only if the stored version is still
 * {@code before.version()}, so the rules here run on exactly the state they change.
 */
public record Account(AccountId id, String email, String plan, Period period, Map<String, BucketBalance> buckets,
                      Instant createdAt, long version) {

    public Account {
        buckets = Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    public BucketBalance bucket(String name) {
        return buckets.getOrDefault(name, BucketBalance.EMPTY);
    }

    /** Takes {@code amount} tokens from a bucket, allowance first, or refuses with the available amount. */
    public Debit debit(String bucketName, long amount) {
        BucketBalance current = bucket(bucketName);
        if (current.available() < amount) {
            throw new InsufficientTokensException(bucketName, amount, current.available());
        }
        Split split = current.splitFor(amount);
        return new Debit(withBucket(bucketName, current.minus(split)), split);
    }

    public Account withBucket(String bucketName, BucketBalance balance) {
        Map<String, BucketBalance> next = new LinkedHashMap<>(buckets);
        next.put(bucketName, balance);
        return new Account(id, email, plan, period, next, createdAt, version);
    }

    public Account withPeriod(Period newPeriod) {
        return new Account(id, email, plan, newPeriod, buckets, createdAt, version);
    }

    public Account withVersion(long newVersion) {
        return new Account(id, email, plan, period, buckets, createdAt, newVersion);
    }

    /** The result of a debit: the account after it, and where the tokens came from. */
    public record Debit(Account after, Split split) {
    }
}
