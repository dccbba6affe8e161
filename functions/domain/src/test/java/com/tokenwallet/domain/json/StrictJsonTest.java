package com.tokenwallet.domain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one JSON reader: one object per document, no duplicate keys, exact numbers, bounded sizes. */
class StrictJsonTest {

    private static Map<String, Object> fromStream(String text) throws IOException {
        return StrictJson.object(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void object_readsAJsonObject_withItsTypes() throws IOException {
        Map<String, Object> map = StrictJson.object("{\"s\":\"x\",\"i\":1,\"b\":true,\"n\":null,\"a\":[1],\"o\":{\"k\":2}}");

        assertThat(map).containsEntry("s", "x").containsEntry("i", 1).containsEntry("b", true).containsEntry("n", null)
                .containsEntry("a", List.of(1)).containsEntry("o", Map.of("k", 2));
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":0,\"a\":1}", "{\"o\":{\"k\":1,\"k\":1}}",
            "{\"l\":[{\"k\":1,\"k\":2}]}"})
    void duplicateKeys_atAnyDepth_areRefused(String text) {
        assertThatThrownBy(() -> StrictJson.object(text)).isInstanceOf(IOException.class).hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> fromStream(text)).isInstanceOf(IOException.class).hasMessageContaining("Duplicate field");
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"text\"", "42", "true", "null"})
    void nonObjectTopLevel_isRefused(String text) {
        assertThatThrownBy(() -> StrictJson.object(text)).isInstanceOf(IOException.class).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> fromStream(text)).isInstanceOf(IOException.class).hasMessageContaining("expected a JSON object");
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "{'a':1}", "{a:1}", "{\"a\":1,}", "{\"a\":NaN}", "{\"a\":01}"})
    void malformedJson_isRefused(String text) {
        assertThatThrownBy(() -> StrictJson.object(text)).isInstanceOf(IOException.class);
    }

    @Test
    void wholeNumbers_stayExact_asIntLongOrBigInteger() throws IOException {
        Map<String, Object> map = StrictJson.object(
                "{\"i\":2147483647,\"l\":2147483648,\"max\":9223372036854775807,\"big\":92233720368547758070,\"neg\":-9223372036854775809}");

        assertThat(map.get("i")).isEqualTo(Integer.MAX_VALUE);
        assertThat(map.get("l")).isEqualTo(2147483648L);
        assertThat(map.get("max")).isEqualTo(Long.MAX_VALUE);
        assertThat(map.get("big")).isEqualTo(new BigInteger("92233720368547758070"));
        assertThat(map.get("neg")).isEqualTo(new BigInteger("-9223372036854775809"));
    }

    @Test
    void decimals_stayExact_asBigDecimal_neverDouble() throws IOException {
        Map<String, Object> map = StrictJson.object("{\"d\":0.1,\"e\":1e400,\"z\":1.0}");

        assertThat(map.get("d")).isEqualTo(new BigDecimal("0.1"));
        assertThat(map.get("e")).isInstanceOf(BigDecimal.class).isEqualTo(new BigDecimal("1e400"));
        assertThat(map.get("z")).isInstanceOf(BigDecimal.class);
    }

    @Test
    void numbersLongerThan64Digits_areRefused_but64AreRead() throws IOException {
        assertThat(StrictJson.object("{\"n\":" + "9".repeat(64) + "}").get("n")).isEqualTo(new BigInteger("9".repeat(64)));
        assertThatThrownBy(() -> StrictJson.object("{\"n\":" + "9".repeat(65) + "}")).isInstanceOf(IOException.class);
    }

    @Test
    void nestingDeeperThan32_isRefused_but32IsRead() throws IOException {
        assertThat(StrictJson.object("{\"a\":".repeat(32) + "1" + "}".repeat(32))).containsKey("a");
        String deep = "{\"a\":".repeat(33) + "1" + "}".repeat(33);
        assertThatThrownBy(() -> StrictJson.object(deep)).isInstanceOf(IOException.class);
    }

    @Test
    void stringsLongerThan64KiB_areRefused() {
        String text = "{\"s\":\"" + "x".repeat(65_537) + "\"}";

        assertThatThrownBy(() -> StrictJson.object(text)).isInstanceOf(IOException.class);
    }

    @Test
    void trailingContent_afterTheObject_isRefused() {
        assertThatThrownBy(() -> StrictJson.object("{\"a\":1} x")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StrictJson.object("{\"a\":1}{\"a\":2}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> fromStream("{\"a\":1} []")).isInstanceOf(IOException.class);
    }

    @Test
    void whitespaceAroundTheObject_isAccepted() throws IOException {
        assertThat(StrictJson.object(" \n {\"a\":1} \n ")).containsEntry("a", 1);
    }

    @Test
    void write_isCompact_andKeepsMapOrder() {
        Map<String, Object> sorted = new TreeMap<>(Map.of("b", 2, "a", "x", "c", true));

        assertThat(StrictJson.write(sorted)).isEqualTo("{\"a\":\"x\",\"b\":2,\"c\":true}");
    }

    @Test
    void write_thenRead_roundTrips() throws IOException {
        Map<String, Object> value = Map.of("k", "v\"with quotes\" and \u00e9", "n", 5);

        assertThat(StrictJson.object(StrictJson.write(value))).isEqualTo(value);
    }
}
