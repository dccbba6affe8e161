package com.tokenwallet.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.AccountId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each refusal carries the stable code of SPEC section 3.5. */
class WalletExceptionTest {

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(new InvalidRequestException("amount", "bad"), "invalid_request"),
                Arguments.of(new AccountNotFoundException(AccountId.of("u-1")), "account_not_found"),
                Arguments.of(new InsufficientTokensException("credits", 5, 2), "insufficient_tokens"),
                Arguments.of(new IdempotencyKeyReusedException(), "idempotency_key_reused"),
                Arguments.of(new StoreUnavailableException("down"), "store_unavailable"),
                Arguments.of(new StoreUnavailableException("down", new RuntimeException("cause")), "store_unavailable"),
                Arguments.of(ResourceNotFoundException.hold("hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V"), "hold_not_found"),
                Arguments.of(ResourceNotFoundException.transaction("tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V"), "transaction_not_found"),
                Arguments.of(new ConflictException("hold_already_resolved", "resolved"), "hold_already_resolved"),
                Arguments.of(new ConflictException("hold_expired", "expired"), "hold_expired"),
                Arguments.of(new ConflictException("refund_exceeds_charge", "too much"), "refund_exceeds_charge"),
                Arguments.of(new ConflictException("transaction_not_refundable", "a grant"), "transaction_not_refundable"),
                Arguments.of(new ConflictException("too_many_holds", "25"), "too_many_holds"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("codes")
    void everyRefusal_hasItsSpecCode_andAMessage(WalletException e, String code) {
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void theFamilyIsSealed_toTheSevenRefusals() {
        assertThat(WalletException.class.isSealed()).isTrue();
        assertThat(WalletException.class.getPermittedSubclasses()).containsExactlyInAnyOrder(InvalidRequestException.class,
                AccountNotFoundException.class, InsufficientTokensException.class, IdempotencyKeyReusedException.class,
                StoreUnavailableException.class, ResourceNotFoundException.class, ConflictException.class);
    }

    @Test
    void accountNotFound_namesTheAccount_andInvalidRequest_namesTheField() {
        assertThat(new AccountNotFoundException(AccountId.of("u-1")).getMessage()).contains("u-1");
        assertThat(new InvalidRequestException("params.fps", "Unknown param").field()).isEqualTo("params.fps");
    }

    @Test
    void notFound_namesWhatWasNotFound() {
        assertThat(ResourceNotFoundException.hold("hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V").getMessage()).contains("hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V");
        assertThat(ResourceNotFoundException.transaction("tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V").getMessage()).contains("tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V");
    }

    @Test
    void storeUnavailable_keepsItsCause() {
        RuntimeException cause = new RuntimeException("throttled");

        assertThat(new StoreUnavailableException("down", cause)).hasCause(cause);
    }
}
