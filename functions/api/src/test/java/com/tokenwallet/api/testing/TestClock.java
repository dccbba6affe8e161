package com.tokenwallet.api.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test moves by hand (it never moves by itself), safe to move from many threads; every wallet instance
 * of a test reads the same one. The one test clock of the function modules.
 */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public TestClock(String isoInstant) {
        this(Instant.parse(isoInstant));
    }

    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /** Moves the clock to {@code instant} unless it is there or later already. */
    public void advanceTo(Instant instant) {
        now.updateAndGet(t -> t.isBefore(instant) ? instant : t);
    }

    /** Sets the clock to {@code isoInstant}, forward or back. */
    public void set(String isoInstant) {
        now.set(Instant.parse(isoInstant));
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
