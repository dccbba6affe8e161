package com.tokenwallet.domain.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.domain.catalog.Charge;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Commands validate themselves: an invalid one cannot be built, and the refusal names the field. */
class CommandValidationTest {

    private static final Catalog CATALOG = CatalogLoader.loadDefault();
    private static final AccountId ACCOUNT = AccountId.of("user-1");
    private static final Idempotency IDEMPOTENCY = new Idempotency(new IdempotencyKey("k-1"), "fp");

    private static void assertRefused(Runnable build, String field) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.code()).isEqualTo("invalid_request");
                });
    }

    // ---- charge by amount

    static Stream<Arguments> refusedByAmount() {
        return Stream.of(
                Arguments.of(null, 5L, "d", "bucket"),
                Arguments.of("", 5L, "d", "bucket"),
                Arguments.of("Credits", 5L, "d", "bucket"),
                Arguments.of("1credits", 5L, "d", "bucket"),
                Arguments.of("cre dits", 5L, "d", "bucket"),
                Arguments.of("c".repeat(65), 5L, "d", "bucket"),
                Arguments.of("credits", 0L, "d", "amount"),
                Arguments.of("credits", -1L, "d", "amount"),
                Arguments.of("credits", Limits.MAX_AMOUNT_TOKENS + 1, "d", "amount"),
                Arguments.of("credits", Long.MAX_VALUE, "d", "amount"),
                Arguments.of("credits", Long.MIN_VALUE, "d", "amount"),
                Arguments.of("credits", 5L, null, "description"),
                Arguments.of("credits", 5L, "", "description"),
                Arguments.of("credits", 5L, "   ", "description"),
                Arguments.of("credits", 5L, "d".repeat(Limits.MAX_DESCRIPTION_LENGTH + 1), "description"));
    }

    @ParameterizedTest(name = "bucket={0} amount={1} description={2} is refused on {3}")
    @MethodSource("refusedByAmount")
    void chargeByAmount_outOfBounds_isRefused(String bucket, long amount, String description, String field) {
        assertRefused(() -> new ChargeRequest.ByAmount(bucket, amount, description), field);
    }

    @ParameterizedTest(name = "amount {0} is accepted")
    @ValueSource(longs = {1, 42, Limits.MAX_AMOUNT_TOKENS})
    void chargeByAmount_withinBounds_isAccepted(long amount) {
        assertThat(new ChargeRequest.ByAmount("credits", amount, "x").amountTokens()).isEqualTo(amount);
    }

    @Test
    void chargeByAmount_descriptionOf256Characters_isAccepted() {
        String description = "d".repeat(Limits.MAX_DESCRIPTION_LENGTH);

        assertThat(new ChargeRequest.ByAmount("credits", 1, description).description()).isEqualTo(description);
    }

    @Test
    void chargeByAmount_isPricedAsACustomCharge_andAnUnknownBucketIsRefusedByTheCatalog() {
        assertThat(new ChargeRequest.ByAmount("mockup", 2, "manual").price(CATALOG))
                .isEqualTo(new Charge("mockup", 2, null, "manual"));
        assertRefused(() -> new ChargeRequest.ByAmount("gems", 2, "manual").price(CATALOG), "bucket");
    }

    // ---- charge by operation

    @ParameterizedTest(name = "operation \"{0}\" is refused")
    @NullAndEmptySource
    @ValueSource(strings = {"oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"})
    void chargeByOperation_withoutAnOperationOrWithAnOverlongOne_isRefused(String operation) {
        assertRefused(() -> new ChargeRequest.ByOperation(operation, Map.of()), "operation");
    }

    @Test
    void chargeByOperation_ofUpTo64Characters_isAccepted_andAbsentParamsAreEmpty() {
        ChargeRequest.ByOperation request = new ChargeRequest.ByOperation("o".repeat(64), null);

        assertThat(request.operation()).hasSize(64);
        assertThat(request.params()).isEmpty();
    }

    @Test
    void chargeByOperation_copiesItsParams() {
        Map<String, Object> params = new HashMap<>(Map.of("durationMinutes", 3, "resolution", "720p"));
        ChargeRequest.ByOperation request = new ChargeRequest.ByOperation("video_generation", params);
        params.put("durationMinutes", 100);

        assertThat(request.price(CATALOG).amountTokens()).isEqualTo(15);
    }

    @Test
    void chargeByOperation_ofAnUnknownOperation_isRefusedWhenPriced() {
        assertRefused(() -> new ChargeRequest.ByOperation("teleport", Map.of()).price(CATALOG), "operation");
    }

    @Test
    void chargeByOperation_withANullParam_isRefusedAsInvalidRequest_notANullPointer() {
        Map<String, Object> params = new HashMap<>(Map.of("durationMinutes", 3, "resolution", "720p"));
        params.put("customMusic", null);

        assertThatThrownBy(() -> new ChargeRequest.ByOperation("video_generation", params).price(CATALOG))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("params.customMusic"));
    }

    // ---- create account

    @ParameterizedTest(name = "email \"{0}\" is accepted")
    @ValueSource(strings = {"a@b", "jane.doe+wallet@example.com", "x@sub.domain.example"})
    void createAccount_withAnEmailAddress_isAccepted(String email) {
        assertThat(new CreateAccountCommand(ACCOUNT, Optional.of(email)).email()).contains(email);
    }

    @Test
    void createAccount_ofTheLongestEmail_isAccepted_andOneLonger_isRefused() {
        String longest = "l".repeat(64) + "@" + "d".repeat(Limits.MAX_EMAIL_LENGTH - 65);
        assertThat(longest).hasSize(Limits.MAX_EMAIL_LENGTH);

        assertThat(new CreateAccountCommand(ACCOUNT, Optional.of(longest)).email()).contains(longest);
        assertRefused(() -> new CreateAccountCommand(ACCOUNT, Optional.of(longest + "d")), "email");
    }

    @ParameterizedTest(name = "email \"{0}\" is refused")
    @ValueSource(strings = {"", "no-at-sign", "@example.com", "jane@", "a@b@c", "jane doe@example.com", "jane@exa mple.com",
            "\"jane\"@example.com", "<jane@example.com>"})
    void createAccount_withSomethingElseThanAnEmailAddress_isRefused(String email) {
        assertRefused(() -> new CreateAccountCommand(ACCOUNT, Optional.of(email)), "email");
    }

    @Test
    void createAccount_withoutEmail_hasNone() {
        assertThat(new CreateAccountCommand(ACCOUNT, null).email()).isEmpty();
        assertThat(new CreateAccountCommand(ACCOUNT, Optional.empty()).email()).isEmpty();
    }

    // ---- debit and quote

    @Test
    void debitCommand_requiresAccountChargeAndIdempotency_andDefaultsMetadataToNone() {
        ChargeRequest charge = new ChargeRequest.ByOperation("ai_chat", Map.of());

        assertThatThrownBy(() -> new DebitCommand(null, charge, Metadata.NONE, IDEMPOTENCY)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new DebitCommand(ACCOUNT, null, Metadata.NONE, IDEMPOTENCY)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new DebitCommand(ACCOUNT, charge, Metadata.NONE, null)).isInstanceOf(NullPointerException.class);
        assertThat(new DebitCommand(ACCOUNT, charge, null, IDEMPOTENCY).metadata()).isSameAs(Metadata.NONE);
    }

    @Test
    void quoteCommand_requiresAccountAndCharge() {
        ChargeRequest.ByOperation charge = new ChargeRequest.ByOperation("ai_chat", Map.of());

        assertThatThrownBy(() -> new QuoteCommand(null, charge)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new QuoteCommand(ACCOUNT, null)).isInstanceOf(NullPointerException.class);
        assertThat(new QuoteCommand(ACCOUNT, charge).charge()).isEqualTo(charge);
    }

    @ParameterizedTest(name = "{0} costs {1}")
    @CsvSource({"ai_chat, 1", "voice_interview, 10", "weather, 1"})
    void chargeByOperation_isPricedByTheCatalog(String operation, long cost) {
        assertThat(new ChargeRequest.ByOperation(operation, null).price(CATALOG).amountTokens()).isEqualTo(cost);
    }
}
