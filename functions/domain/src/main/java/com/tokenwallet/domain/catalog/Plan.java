package com.tokenwallet.domain.catalog;

import java.util.Map;

/** A subscription plan: the allowance per bucket that replaces the previous one at each period change. */
public record Plan(String id, String name, Map<String, Long> allowance) {
    public Plan {
        allowance = Map.copyOf(allowance);
    }

    public long allowanceFor(String bucket) {
        return allowance.getOrDefault(bucket, 0L);
    }
}
