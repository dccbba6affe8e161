package com.tokenwallet.domain.usage;

import com.tokenwallet.domain.InvalidRequestException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The length of a usage interval: a UTC day or an hour. */
public enum Granularity {
    DAY(ChronoUnit.DAYS), HOUR(ChronoUnit.HOURS);

    private final ChronoUnit unit;

    Granularity(ChronoUnit unit) {
        this.unit = unit;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The start of the interval that holds {@code t}. */
    public Instant start(Instant t) {
        return t.truncatedTo(unit);
    }

    public Instant next(Instant start) {
        return start.plus(1, unit);
    }

    public static Granularity fromWireName(String name) {
        for (Granularity g : values()) {
            if (g.wireName().equals(name)) {
                return g;
            }
        }
        throw new InvalidRequestException("granularity", "'granularity' must be 'day' or 'hour'.");
    }
}
