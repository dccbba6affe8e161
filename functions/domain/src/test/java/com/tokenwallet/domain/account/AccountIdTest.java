package com.tokenwallet.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/**
 * Account ids: SPEC section 1's {@code ^[A-Za-z0-9._:@-]{1,128}$} plus {@code |} (issue 19 item 14: JWT subjects
 * such as {@code auth0|123}), and never only dots (item 8: {@code .} and {@code ..} are URL dot-segments).
 */
class AccountIdTest {

    static Stream<String> valid() {
        return Stream.of("a", "Z", "7", "user-1", "user@example.com", "google-oauth2:1234567890", "a.b_c:d@e-f",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-|", "x".repeat(128),
                "auth0|123", "google-oauth2|104532", "samlp|corp|jane@example.com", "|", ".a", "a.", "a..b", "..a", ".-.");
    }

    static Stream<String> invalid() {
        return Stream.of("x".repeat(129), " ", "a b", "a/b", "a+b", ".", "..", "...", ".".repeat(128), "%2e%2e", "a%7Cb", "a#b", "ü", "a\n", "\na", "a\tb",
                "a$", "../etc", "a,b", "é".repeat(10), "\u0000");
    }

    @ParameterizedTest(name = "\"{0}\" is an account id")
    @MethodSource("valid")
    void validId_isAccepted_asIs(String value) {
        AccountId id = AccountId.of(value);

        assertThat(id.value()).isEqualTo(value);
        assertThat(id).hasToString(value);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @NullAndEmptySource
    @MethodSource("invalid")
    void invalidId_isRefused_namingAccountId(String value) {
        assertThatThrownBy(() -> AccountId.of(value))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("accountId"));
    }

    @Test
    void lengthBoundary_is128() {
        assertThat(AccountId.of("a".repeat(128)).value()).hasSize(128);
        assertThatThrownBy(() -> AccountId.of("a".repeat(129))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void equalValues_areEqualIds() {
        assertThat(AccountId.of("user-1")).isEqualTo(new AccountId("user-1")).isNotEqualTo(AccountId.of("User-1"));
    }
}
