package com.tokenwallet.domain.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * One configured jackson-jr instance for everything the wallet parses: duplicate keys are refused (an
 * ambiguous body is a hostile body), decimals stay exact as BigDecimal, nesting and string sizes are bounded.
 */
public final class StrictJson {

    private static final JSON JSON_INSTANCE = JSON.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(65_536)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .build()
            .with(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private StrictJson() {
    }

    public static JSON json() {
        return JSON_INSTANCE;
    }

    /** Parses a JSON object; anything else (array, scalar, trailing content) is an IOException. */
    public static Map<String, Object> object(String text) throws IOException {
        try (JsonParser parser = JSON_INSTANCE.getStreamingFactory().createParser(text)) {
            return objectOf(parser);
        }
    }

    public static Map<String, Object> object(InputStream in) throws IOException {
        try (JsonParser parser = JSON_INSTANCE.getStreamingFactory().createParser(in)) {
            return objectOf(parser);
        }
    }

    /** One JSON object and nothing after it: jackson-jr has no option to refuse trailing tokens itself. */
    private static Map<String, Object> objectOf(JsonParser parser) throws IOException {
        Object value = JSON_INSTANCE.anyFrom(parser);
        if (!(value instanceof Map<?, ?> map)) {
            throw new IOException("expected a JSON object");
        }
        if (parser.nextToken() != null) {
            throw new IOException("unexpected content after the JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) map;
        return result;
    }

    public static String write(Object value) {
        try {
            return JSON_INSTANCE.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
