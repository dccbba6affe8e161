package com.tokenwallet.bench.child;

import java.io.PrintStream;
import java.util.Map;

/** The one line a child JVM reports on: {@value #PREFIX} and a flat JSON object (numbers, strings, maps of them). */
public final class ResultLine {
    public static final String PREFIX = "BENCH_RESULT ";

    private ResultLine() {
    }

    public static void print(PrintStream out, Map<String, ?> values) {
        out.println(PREFIX + json(values));
        out.flush();
    }

    static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append('"').append(RawDebits.jsonEscape(String.valueOf(e.getKey()))).append("\":").append(json(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return value == null ? "null" : "\"" + RawDebits.jsonEscape(String.valueOf(value)) + "\"";
    }
}
