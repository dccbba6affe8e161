package com.tokenwallet.api;

import com.tokenwallet.domain.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed, strict access to a JSON request body: wrong types and unknown fields are refused by name. */
public final class Body {
    private final Map<String, Object> fields;

    public Body(Map<String, Object> fields) {
        this.fields = fields;
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** Refuses any field not in {@code allowed}, so a typo never passes silently. */
    public Body allowOnly(Set<String> allowed) {
        Set<String> unknown = new TreeSet<>(fields.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new InvalidRequestException(first.length() > 64 ? first.substring(0, 64) : first,
                    "Unknown field '" + (first.length() > 64 ? first.substring(0, 64) + "..." : first) + "'. Allowed: " + new TreeSet<>(allowed) + ".");
        }
        return this;
    }

    public String string(String name, int maxLength) {
        Object value = fields.get(name);
        if (!(value instanceof String s)) {
            throw new InvalidRequestException(name, value == null ? "'" + name + "' is required." : "'" + name + "' must be a string.");
        }
        if (s.isEmpty() || s.length() > maxLength) {
            throw new InvalidRequestException(name, "'" + name + "' must be 1 to " + maxLength + " characters.");
        }
        return s;
    }

    public String optionalString(String name, int maxLength) {
        return fields.get(name) == null ? null : string(name, maxLength);
    }

    /** A whole number; fractions, strings, booleans and numbers beyond 64 bits are refused. */
    public long wholeNumber(String name) {
        Object value = fields.get(name);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value == null) {
            throw new InvalidRequestException(name, "'" + name + "' is required.");
        }
        if (value instanceof BigInteger) {
            throw new InvalidRequestException(name, "'" + name + "' is out of range.");
        }
        if (value instanceof BigDecimal || value instanceof Double) {
            throw new InvalidRequestException(name, "'" + name + "' must be a whole number of tokens, not a fraction.");
        }
        throw new InvalidRequestException(name, "'" + name + "' must be a number.");
    }

    public Long optionalWholeNumber(String name) {
        return fields.get(name) == null ? null : wholeNumber(name);
    }

    /** An optional ISO-8601 instant with an offset ({@code 2026-12-31T00:00:00Z}); null when absent. */
    public java.time.Instant optionalInstant(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.length() > 40) {
            throw new InvalidRequestException(name, "'" + name + "' must be an ISO-8601 instant such as 2026-12-31T00:00:00Z.");
        }
        return instant(name, s);
    }

    /** Parses an ISO-8601 instant (Z or an offset), refusing anything else by name. */
    public static java.time.Instant instant(String name, String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidRequestException(name, "'" + name + "' must be an ISO-8601 instant such as 2026-12-31T00:00:00Z.");
        }
    }

    /** An optional non-negative decimal number (JSON number, not a string); null when absent. */
    public BigDecimal optionalDecimal(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return new BigDecimal(value.toString());
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return BigDecimal.valueOf(d);
        }
        throw new InvalidRequestException(name, "'" + name + "' must be a number.");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> optionalObject(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidRequestException(name, "'" + name + "' must be a JSON object.");
        }
        return (Map<String, Object>) map;
    }

    public Object raw(String name) {
        return fields.get(name);
    }
}
