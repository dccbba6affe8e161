package com.tokenwallet.refund;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test moves by hand, safe to move from many threads; every wallet instance of a test reads it.
 * It only ever moves forward.
 */
final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    TestClock(String isoInstant) {
        this(Instant.parse(isoInstant));
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /** Moves the clock to {@code instant} unless it is there or later already. */
    void advanceTo(Instant instant) {
        now.updateAndGet(t -> t.isBefore(instant) ? instant : t);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
