package com.tokenwallet.domain.catalog;

import java.util.Map;

/**
 * A subscription plan: the allowance per bucket that replaces the previous one at each period change, and per
 * bucket how much unused allowance rolls over (none unless {@code rollover} names the bucket).
 */
public record Plan(String id, String name, Map<String, Long> allowance, Map<String, RolloverRule> rollover) {
    public Plan {
        allowance = Map.copyOf(allowance);
        rollover = rollover == null ? Map.of() : Map.copyOf(rollover);
    }

    public Plan(String id, String name, Map<String, Long> allowance) {
        this(id, name, allowance, Map.of());
    }

    public long allowanceFor(String bucket) {
        return allowance.getOrDefault(bucket, 0L);
    }
}
