package com.tokenwallet.domain.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Metadata: a flat object, at most 16 keys, bounded keys and values, 2 KiB of JSON, kept canonical. */
class MetadataTest {

    private static Map<String, Object> keys(int count, String value) {
        Map<String, Object> map = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> map.put(String.format("k%02d", i), value));
        return map;
    }

    @Test
    void absentMetadata_isNone() {
        assertThat(Metadata.of(null)).isSameAs(Metadata.NONE);
        assertThat(Metadata.NONE.json()).isNull();
    }

    @Test
    void metadata_isKeptAsCanonicalJson_withSortedKeys() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("zeta", "last");
        raw.put("alpha", 1);
        raw.put("mid", true);
        raw.put("big", 9_000_000_000L);

        assertThat(Metadata.of(raw).json()).isEqualTo("{\"alpha\":1,\"big\":9000000000,\"mid\":true,\"zeta\":\"last\"}");
    }

    @Test
    void sameContentInAnotherOrder_isTheSameMetadata() {
        Map<String, Object> a = new LinkedHashMap<>(Map.of("x", 1));
        a.put("y", "2");
        Map<String, Object> b = new LinkedHashMap<>(Map.of("y", "2"));
        b.put("x", 1);

        assertThat(Metadata.of(a)).isEqualTo(Metadata.of(b));
    }

    @Test
    void emptyObject_isAccepted() {
        assertThat(Metadata.of(Map.of()).json()).isEqualTo("{}");
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("16 keys", keys(Limits.MAX_METADATA_KEYS, "v")),
                Arguments.of("64-character key", Map.of("k".repeat(Limits.MAX_METADATA_KEY_LENGTH), "v")),
                Arguments.of("key of every allowed character", Map.of("Az09_.:-", "v")),
                Arguments.of("256-character value", Map.of("k", "v".repeat(Limits.MAX_METADATA_VALUE_LENGTH))),
                Arguments.of("empty string value", Map.of("k", "")),
                Arguments.of("negative whole number", Map.of("k", -7)),
                Arguments.of("long", Map.of("k", Long.MIN_VALUE)),
                Arguments.of("false", Map.of("k", false)));
    }

    @ParameterizedTest(name = "{0} is accepted")
    @MethodSource("accepted")
    void metadataWithinBounds_isAccepted(String why, Map<String, Object> raw) {
        assertThat(Metadata.of(raw).json()).startsWith("{").endsWith("}");
    }

    static Stream<Arguments> refused() {
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("k", null);
        return Stream.of(
                Arguments.of("not an object", "text", "metadata"),
                Arguments.of("an array", List.of("a"), "metadata"),
                Arguments.of("17 keys", keys(Limits.MAX_METADATA_KEYS + 1, "v"), "metadata"),
                Arguments.of("65-character key", Map.of("k".repeat(Limits.MAX_METADATA_KEY_LENGTH + 1), "v"), "metadata"),
                Arguments.of("empty key", Map.of("", "v"), "metadata"),
                Arguments.of("key with a space", Map.of("a b", "v"), "metadata"),
                Arguments.of("key with a slash", Map.of("a/b", "v"), "metadata"),
                Arguments.of("non-ASCII key", Map.of("clé", "v"), "metadata"),
                Arguments.of("257-character value", Map.of("k", "v".repeat(Limits.MAX_METADATA_VALUE_LENGTH + 1)), "metadata.k"),
                Arguments.of("null value", nullValue, "metadata.k"),
                Arguments.of("decimal value", Map.of("k", new BigDecimal("1.5")), "metadata.k"),
                Arguments.of("double value", Map.of("k", 1.5d), "metadata.k"),
                Arguments.of("huge whole number", Map.of("k", new BigInteger("123456789012345678901234567890")), "metadata.k"),
                Arguments.of("nested object", Map.of("k", Map.of("a", 1)), "metadata.k"),
                Arguments.of("array value", Map.of("k", List.of(1, 2)), "metadata.k"));
    }

    @ParameterizedTest(name = "{0} is refused, naming {2}")
    @MethodSource("refused")
    void metadataOutOfBounds_isRefused(String why, Object raw, String field) {
        assertThatThrownBy(() -> Metadata.of(raw))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void jsonOfExactly2048Bytes_isAccepted_and2049_isRefused() {
        // Seven values at the longest allowed; the eighth is sized so the whole object is exactly the limit.
        Map<String, Object> raw = keys(8, "v".repeat(Limits.MAX_METADATA_VALUE_LENGTH));
        raw.put("k07", "");
        int withoutLast = Metadata.of(raw).json().getBytes(StandardCharsets.UTF_8).length;
        int room = Limits.MAX_METADATA_JSON_BYTES - withoutLast;
        assertThat(room).as("the test's sizing").isBetween(1, Limits.MAX_METADATA_VALUE_LENGTH - 1);

        raw.put("k07", "v".repeat(room));
        assertThat(Metadata.of(raw).json().getBytes(StandardCharsets.UTF_8)).hasSize(Limits.MAX_METADATA_JSON_BYTES);

        raw.put("k07", "v".repeat(room + 1));
        assertThatThrownBy(() -> Metadata.of(raw))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("metadata"));
    }

    @Test
    void sizeIsCountedInUtf8Bytes_notCharacters() {
        // Eight values of 200 two-byte characters: each value is within 256 characters, the object is not within 2048 bytes.
        Map<String, Object> raw = keys(8, "é".repeat(200));

        assertThatThrownBy(() -> Metadata.of(raw))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("metadata");
                    assertThat(e.getMessage()).contains("2048");
                });
    }
}
