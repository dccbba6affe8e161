package com.tokenwallet.domain.command;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The caller's metadata for a ledger entry: a flat object of at most 16 keys whose values are strings (up to
 * 256 characters), whole numbers or booleans, 2 KiB at most as JSON. Kept as canonical JSON (sorted keys).
 */
public record Metadata(String json) {
    public static final Metadata NONE = new Metadata(null);
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.:-]{1," + Limits.MAX_METADATA_KEY_LENGTH + "}$");

    public static Metadata of(Object raw) {
        if (raw == null) {
            return NONE;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new InvalidRequestException("metadata", "'metadata' must be a JSON object.");
        }
        if (map.size() > Limits.MAX_METADATA_KEYS) {
            throw new InvalidRequestException("metadata", "'metadata' may have at most " + Limits.MAX_METADATA_KEYS + " keys.");
        }
        Map<String, Object> canonical = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!KEY.matcher(key).matches()) {
                throw new InvalidRequestException("metadata", "metadata keys must be 1 to 64 characters of A-Z a-z 0-9 _ . : -.");
            }
            Object value = e.getValue();
            boolean ok = value instanceof Boolean || value instanceof Integer || value instanceof Long
                    || (value instanceof String s && s.length() <= Limits.MAX_METADATA_VALUE_LENGTH);
            if (!ok) {
                throw new InvalidRequestException("metadata." + key,
                        "metadata values must be strings of at most 256 characters, whole numbers or booleans.");
            }
            canonical.put(key, value);
        }
        String json = StrictJson.write(canonical);
        if (json.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_METADATA_JSON_BYTES) {
            throw new InvalidRequestException("metadata", "'metadata' is larger than 2048 bytes as JSON.");
        }
        return new Metadata(json);
    }
}
