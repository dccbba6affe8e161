package com.tokenwallet.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What each operation of the default catalog costs, and which requests for a price are refused. */
class CatalogPricingTest {

    private final Catalog catalog = CatalogLoader.loadDefault();

    @ParameterizedTest(name = "{0} costs {2} from {1}")
    @CsvSource({
            "ai_chat,               credits, 1",
            "text_interview,        credits, 5",
            "voice_interview,       credits, 10",
            "group_practice_create, credits, 3",
            "group_practice_join,   credits, 3",
            "mockup,                mockup,  1",
            "dol,                   dol,     1",
            "weather,               weather, 1",
    })
    void fixedPriceOperation_costsItsPrice(String operation, String bucket, long cost) {
        Charge charge = catalog.price(operation, Map.of());

        assertThat(charge).isEqualTo(new Charge(bucket, cost, operation, null));
    }

    static Stream<Arguments> specVideoExamples() {
        return Stream.of(
                // SPEC section 2: "3 min 720p = 15; 5 min 1080p with music = 42; 10 min 720p with premium TTS = 53."
                Arguments.of("3 min 720p", Map.of("durationMinutes", 3, "resolution", "720p"), 15L),
                Arguments.of("5 min 1080p with music", Map.of("durationMinutes", 5, "resolution", "1080p", "customMusic", true), 42L),
                Arguments.of("10 min 720p with premium TTS", Map.of("durationMinutes", 10, "resolution", "720p", "premiumTTS", true), 53L));
    }

    @ParameterizedTest(name = "SPEC example: {0} = {2}")
    @MethodSource("specVideoExamples")
    void videoGeneration_costsWhatTheSpecExamplesSay(String example, Map<String, Object> params, long cost) {
        Charge charge = catalog.price("video_generation", params);

        assertThat(charge.amountTokens()).isEqualTo(cost);
        assertThat(charge.bucket()).isEqualTo("credits");
        assertThat(charge.operation()).isEqualTo("video_generation");
    }

    static Stream<Arguments> videoCases() {
        return Stream.of(
                Arguments.of(Map.of("durationMinutes", 1, "resolution", "720p"), 5L),
                Arguments.of(Map.of("durationMinutes", 1, "resolution", "1080p"), 8L),
                Arguments.of(Map.of("durationMinutes", 120, "resolution", "1080p"), 960L),
                Arguments.of(Map.of("durationMinutes", 120L, "resolution", "720p"), 600L),
                Arguments.of(Map.of("durationMinutes", 2, "resolution", "720p", "aiEnhancement", true), 14L),
                Arguments.of(Map.of("durationMinutes", 2, "resolution", "720p", "customMusic", false, "premiumTTS", false,
                        "aiEnhancement", false), 10L),
                Arguments.of(Map.of("durationMinutes", 4, "resolution", "1080p", "customMusic", true, "premiumTTS", true,
                        "aiEnhancement", true), 32L + 2 + 3 + 4));
    }

    @ParameterizedTest(name = "{0} costs {1}")
    @MethodSource("videoCases")
    void videoGeneration_costsMinutesTimesRate_plusEachAddOnSwitchedOn(Map<String, Object> params, long cost) {
        assertThat(catalog.price("video_generation", params).amountTokens()).isEqualTo(cost);
    }

    static Stream<Arguments> badVideoParams() {
        return Stream.of(
                Arguments.of("no duration", Map.of("resolution", "720p"), "params.durationMinutes"),
                Arguments.of("duration 0", Map.of("durationMinutes", 0, "resolution", "720p"), "params.durationMinutes"),
                Arguments.of("duration 121", Map.of("durationMinutes", 121, "resolution", "720p"), "params.durationMinutes"),
                Arguments.of("negative duration", Map.of("durationMinutes", -3, "resolution", "720p"), "params.durationMinutes"),
                Arguments.of("fractional duration", Map.of("durationMinutes", new BigDecimal("2.5"), "resolution", "720p"), "params.durationMinutes"),
                Arguments.of("duration as text", Map.of("durationMinutes", "3", "resolution", "720p"), "params.durationMinutes"),
                Arguments.of("huge duration", Map.of("durationMinutes", new BigInteger("123456789012345678901234567890"), "resolution", "720p"), "params.durationMinutes"),
                Arguments.of("no resolution", Map.of("durationMinutes", 3), "params.resolution"),
                Arguments.of("unknown resolution", Map.of("durationMinutes", 3, "resolution", "4k"), "params.resolution"),
                Arguments.of("resolution not text", Map.of("durationMinutes", 3, "resolution", 720), "params.resolution"),
                Arguments.of("add-on not boolean", Map.of("durationMinutes", 3, "resolution", "720p", "customMusic", "yes"), "params.customMusic"),
                Arguments.of("add-on as number", Map.of("durationMinutes", 3, "resolution", "720p", "premiumTTS", 1), "params.premiumTTS"),
                Arguments.of("unknown param", Map.of("durationMinutes", 3, "resolution", "720p", "fps", 60), "params.fps"));
    }

    @ParameterizedTest(name = "{0} is refused, naming {2}")
    @MethodSource("badVideoParams")
    void videoGeneration_withBadParams_isRefused_namingTheParam(String why, Map<String, Object> params, String field) {
        assertThatThrownBy(() -> catalog.price("video_generation", params))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.code()).isEqualTo("invalid_request");
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void unknownOperation_isRefused_namingTheOperationField() {
        assertThatThrownBy(() -> catalog.price("teleport", Map.of()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("operation");
                    assertThat(e.getMessage()).contains("teleport");
                });
    }

    @Test
    void unknownOperation_withAVeryLongName_isQuotedAbbreviated() {
        String name = "x".repeat(500);

        assertThatThrownBy(() -> catalog.price(name, Map.of()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("operation");
                    assertThat(e.getMessage()).contains("x".repeat(64) + "...").doesNotContain("x".repeat(65));
                });
    }

    @Test
    void fixedPriceOperation_withAnyParam_isRefused_namingThatParam() {
        assertThatThrownBy(() -> catalog.price("ai_chat", Map.of("model", "big")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("params.model"));
    }

    @Test
    void moreParamsThanTheLimit_areRefused_namingParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        IntStream.rangeClosed(1, Limits.MAX_PARAMS + 1).forEach(i -> params.put("p" + i, true));

        assertThatThrownBy(() -> catalog.price("video_generation", params))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("params"));
    }

    @Test
    void custom_chargesTheNamedBucket_withTheDescription() {
        assertThat(catalog.custom("dol", 7, "manual report"))
                .isEqualTo(new Charge("dol", 7, null, "manual report"));
    }

    @ParameterizedTest(name = "custom charge of {1} from {0} is refused on {2}")
    @CsvSource({
            "gems,    1,          bucket",
            "credits, 0,          amount",
            "credits, -5,         amount",
            "credits, 1000000001, amount",
    })
    void custom_withUnknownBucketOrAmountOutOfBounds_isRefused(String bucket, long amount, String field) {
        assertThatThrownBy(() -> catalog.custom(bucket, amount, "x"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void custom_acceptsTheLargestAmount() {
        assertThat(catalog.custom("credits", Limits.MAX_AMOUNT_TOKENS, "x").amountTokens()).isEqualTo(Limits.MAX_AMOUNT_TOKENS);
    }

    @Test
    void videoGeneration_ignoresAnAbsentAddOn_butCountsItWhenTrue() {
        Map<String, Object> params = new HashMap<>(Map.of("durationMinutes", 3, "resolution", "720p"));
        long without = catalog.price("video_generation", params).amountTokens();
        params.put("aiEnhancement", true);

        assertThat(catalog.price("video_generation", params).amountTokens()).isEqualTo(without + 4);
    }
}
