package com.tokenwallet.domain.catalog;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import java.util.Map;

/** How an operation's cost follows from its params. */
public sealed interface Pricing {

    /** The cost in tokens for these params; throws {@link InvalidRequestException} naming the bad param. */
    long cost(Map<String, Object> params);

    /** A fixed cost per call; the operation takes no params. */
    record Fixed(long costTokens) implements Pricing {
        public Fixed {
            if (costTokens < 1 || costTokens > Limits.MAX_AMOUNT_TOKENS) {
                throw new IllegalArgumentException("cost must be 1.." + Limits.MAX_AMOUNT_TOKENS + ", was " + costTokens);
            }
        }

        @Override
        public long cost(Map<String, Object> params) {
            if (!params.isEmpty()) {
                String first = params.keySet().iterator().next();
                throw new InvalidRequestException("params." + first, "This operation takes no params; got '" + first + "'.");
            }
            return costTokens;
        }
    }

    /**
     * A rate per minute that depends on a resolution, plus flat add-ons switched on by boolean params:
     * {@code minutes * rate[resolution] + sum(addOn for each true flag)}.
     */
    record PerMinute(String durationParam, int minMinutes, int maxMinutes, String resolutionParam,
                     Map<String, Long> ratePerMinuteTokens, Map<String, Long> addOnTokens) implements Pricing {
        public PerMinute {
            ratePerMinuteTokens = Map.copyOf(ratePerMinuteTokens);
            addOnTokens = Map.copyOf(addOnTokens);
        }

        @Override
        public long cost(Map<String, Object> params) {
            for (String name : params.keySet()) {
                if (!name.equals(durationParam) && !name.equals(resolutionParam) && !addOnTokens.containsKey(name)) {
                    throw new InvalidRequestException("params." + name, "Unknown param '" + name + "'. Known: "
                            + durationParam + ", " + resolutionParam + ", " + String.join(", ", addOnTokens.keySet().stream().sorted().toList()) + ".");
                }
            }
            long minutes = wholeNumber(params.get(durationParam), "params." + durationParam, minMinutes, maxMinutes);
            Object resolution = params.get(resolutionParam);
            if (!(resolution instanceof String r) || !ratePerMinuteTokens.containsKey(r)) {
                throw new InvalidRequestException("params." + resolutionParam, "'" + resolutionParam + "' must be one of "
                        + ratePerMinuteTokens.keySet().stream().sorted().toList() + ".");
            }
            long cost = Math.multiplyExact(minutes, ratePerMinuteTokens.get(r));
            for (Map.Entry<String, Long> addOn : addOnTokens.entrySet()) {
                Object flag = params.get(addOn.getKey());
                if (flag == null) {
                    continue;
                }
                if (!(flag instanceof Boolean on)) {
                    throw new InvalidRequestException("params." + addOn.getKey(), "'" + addOn.getKey() + "' must be true or false.");
                }
                if (on) {
                    cost = Math.addExact(cost, addOn.getValue());
                }
            }
            return cost;
        }

        private static long wholeNumber(Object value, String field, long min, long max) {
            if (!(value instanceof Integer || value instanceof Long)) {
                throw new InvalidRequestException(field, "'" + field + "' must be a whole number from " + min + " to " + max + ".");
            }
            long n = ((Number) value).longValue();
            if (n < min || n > max) {
                throw new InvalidRequestException(field, "'" + field + "' must be from " + min + " to " + max + ", was " + n + ".");
            }
            return n;
        }
    }
}
