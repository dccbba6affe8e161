package com.tokenwallet.domain.ledger;

import com.github.f4b6a3.ulid.UlidFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Transaction ids are {@code tx_} plus a monotonic ULID taken from the wallet's clock, so ids sort in the order
 * entries were made and the ledger can be read newest first by its sort key alone.
 */
public final class TransactionIds {
    public static final Pattern VALID = Pattern.compile("^tx_[0-9A-HJKMNP-TV-Z]{26}$");
    private final Clock clock;
    private volatile UlidFactory factory;

    public TransactionIds(Clock clock) {
        this.clock = clock;
        this.factory = newFactory(clock);
    }

    private static UlidFactory newFactory(Clock clock) {
        return UlidFactory.newMonotonicInstance(new SecureRandom(), clock::millis);
    }

    /**
     * A fresh random source and monotonic state. After a SnapStart restore every instance of a version starts from the
     * same snapshot, so each must renew them before it makes an id (see the functions' SnapStart priming).
     */
    public void renew() {
        this.factory = newFactory(clock);
    }

    public String next() {
        return "tx_" + factory.create();
    }

    /** A hold's id: {@code hold_} plus a ULID from the same monotonic source. */
    public String nextHold() {
        return "hold_" + factory.create();
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
