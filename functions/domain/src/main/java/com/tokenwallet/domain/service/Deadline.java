package com.tokenwallet.domain.service;

import java.util.function.LongSupplier;

/**
 * How long the request being served may still take. The account writer stops retrying a write that keeps finding
 * its account changed once this runs out, and refuses with {@link com.tokenwallet.domain.AccountBusyException}
 * instead of letting the caller's platform time the request out. The HTTP functions derive it from Lambda's
 * remaining time; jobs, tests and the local runner use {@link #unbounded()}. The domain knows nothing of Lambda.
 */
@FunctionalInterface
public interface Deadline {

    /** Milliseconds left before the caller must have answered; zero or less: no time for another attempt. */
    long remainingMillis();

    default boolean passed() {
        return remainingMillis() <= 0;
    }

    /** No deadline: only the attempt bound limits retries. */
    static Deadline unbounded() {
        return () -> Long.MAX_VALUE;
    }

    /** The time left as {@code remaining} reports it, less {@code reserveMillis} kept for answering. */
    static Deadline fromRemaining(LongSupplier remaining, long reserveMillis) {
        return () -> remaining.getAsLong() - reserveMillis;
    }
}
