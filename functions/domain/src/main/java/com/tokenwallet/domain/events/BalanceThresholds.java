package com.tokenwallet.domain.events;

import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.catalog.Catalog;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The low-balance line of each bucket: {@code wallet.balance.low} fires when a bucket's available tokens go from
 * above it to at or below it. Buckets without one only have {@code wallet.balance.depleted} (at zero). Configured
 * as {@code bucket=tokens} pairs separated by commas, for example {@code credits=5,mockup=1}.
 */
public record BalanceThresholds(Map<String, Long> lowByBucket) {
    public static final BalanceThresholds NONE = new BalanceThresholds(Map.of());

    public BalanceThresholds {
        lowByBucket = Map.copyOf(lowByBucket);
    }

    public Optional<Long> low(String bucket) {
        return Optional.ofNullable(lowByBucket.get(bucket));
    }

    /**
     * Parses {@code credits=5,mockup=1} (blank: none), refusing unknown buckets and thresholds outside 1 to
     * {@link Limits#MAX_AMOUNT_TOKENS}, with a message that names the setting, so a typo fails the start.
     */
    public static BalanceThresholds parse(String text, Collection<String> knownBuckets, String settingName) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, Long> thresholds = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.strip().split("=", 2);
            String bucket = parts[0].strip();
            if (parts.length != 2 || !Catalog.NAME.matcher(bucket).matches()) {
                throw new IllegalArgumentException(settingName + ": '" + pair.strip() + "' is not bucket=tokens");
            }
            if (!knownBuckets.contains(bucket)) {
                throw new IllegalArgumentException(settingName + ": unknown bucket '" + bucket + "'; known: " + knownBuckets);
            }
            long tokens;
            try {
                tokens = Long.parseLong(parts[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(settingName + ": the threshold of '" + bucket + "' is not a whole number");
            }
            if (tokens < 1 || tokens > Limits.MAX_AMOUNT_TOKENS) {
                throw new IllegalArgumentException(settingName + ": the threshold of '" + bucket + "' must be 1 to " + Limits.MAX_AMOUNT_TOKENS);
            }
            if (thresholds.put(bucket, tokens) != null) {
                throw new IllegalArgumentException(settingName + ": '" + bucket + "' is given twice");
            }
        }
        return new BalanceThresholds(thresholds);
    }
}
