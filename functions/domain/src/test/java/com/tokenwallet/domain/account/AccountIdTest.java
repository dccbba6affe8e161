package com.tokenwallet.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** Account ids follow SPEC section 1: {@code ^[A-Za-z0-9._:@-]{1,128}$}. */
class AccountIdTest {

    static Stream<String> valid() {
        return Stream.of("a", "Z", "7", "user-1", "user@example.com", "google-oauth2:1234567890", "a.b_c:d@e-f",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-", "x".repeat(128));
    }

    static Stream<String> invalid() {
        return Stream.of("x".repeat(129), " ", "a b", "a/b", "auth0|123", "a+b", "a#b", "ü", "a\n", "\na", "a\tb",
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
