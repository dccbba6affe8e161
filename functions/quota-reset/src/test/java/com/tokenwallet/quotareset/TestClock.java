package com.tokenwallet.quotareset;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand (it never moves by itself). */
final class TestClock extends Clock {
    final AtomicReference<Instant> now;

    TestClock(String start) {
        now = new AtomicReference<>(Instant.parse(start));
    }

    void set(String instant) {
        now.set(Instant.parse(instant));
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
