package com.tokenwallet.domain.billing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading back the JSON documents of offers and owed payments. */
final class Documents {
    private Documents() {
    }

    static Map<String, Long> longs(Object value) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put((String) k, ((Number) v).longValue()));
        }
        return out;
    }

    static String string(Map<String, Object> d, String field) {
        Object v = d.get(field);
        return v == null ? null : (String) v;
    }
}
