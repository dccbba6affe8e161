package com.tokenwallet.domain.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** The Idempotency-Key header: 1 to 255 printable ASCII characters (SPEC section 3). */
class IdempotencyKeyTest {

    static Stream<String> valid() {
        return Stream.of("k", "8f14e45f-ceea-467f-a8b1-1c2d3e4f5a6b", "order 42 / retry", "~!@#$%^&*()_+{}|:\"<>?",
                " ", "x".repeat(Limits.MAX_IDEMPOTENCY_KEY_LENGTH));
    }

    static Stream<String> invalid() {
        return Stream.of("x".repeat(Limits.MAX_IDEMPOTENCY_KEY_LENGTH + 1), "tab\there", "line\nbreak", "del\u007f",
                "nul\u0000", "caf\u00e9", "emoji\uD83D\uDE00", "\u001f");
    }

    @ParameterizedTest(name = "\"{0}\" is a key")
    @MethodSource("valid")
    void printableAsciiKey_ofUpTo255Characters_isAccepted(String value) {
        assertThat(new IdempotencyKey(value).value()).isEqualTo(value);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @NullAndEmptySource
    @MethodSource("invalid")
    void emptyTooLongOrNonPrintableKey_isRefused_namingTheHeader(String value) {
        assertThatThrownBy(() -> new IdempotencyKey(value))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("Idempotency-Key"));
    }

    @Test
    void everyPrintableAsciiCharacter_isAccepted_andNoOther() {
        IntStream.rangeClosed(0x20, 0x7e).forEach(c -> assertThat(new IdempotencyKey(String.valueOf((char) c)).value()).hasSize(1));
        IntStream.concat(IntStream.range(0, 0x20), IntStream.rangeClosed(0x7f, 0xff)).forEach(c ->
                assertThatThrownBy(() -> new IdempotencyKey(String.valueOf((char) c)))
                        .as("character %#x", c).isInstanceOf(InvalidRequestException.class));
    }
}
