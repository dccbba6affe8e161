package com.tokenwallet.domain.command;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.idempotency.Idempotency;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** The commands on holds and refunds, each valid once constructed. */
public final class HoldCommands {
    static final Pattern HOLD_ID = Pattern.compile("^hold_[0-9A-HJKMNP-TV-Z]{26}$");
    static final Pattern TRANSACTION_ID = Pattern.compile("^tx_[0-9A-HJKMNP-TV-Z]{26}$");

    private HoldCommands() {
    }

    /** Reserve tokens for {@code ttlSeconds}: they are unavailable until captured, released or expired. */
    public record Hold(AccountId accountId, ChargeRequest charge, long ttlSeconds, Metadata metadata, Idempotency idempotency) {
        public Hold {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(charge, "charge");
            Objects.requireNonNull(idempotency, "idempotency");
            if (ttlSeconds < Limits.MIN_HOLD_TTL_SECONDS || ttlSeconds > Limits.MAX_HOLD_TTL_SECONDS) {
                throw new InvalidRequestException("ttlSeconds", "'ttlSeconds' must be a whole number from "
                        + Limits.MIN_HOLD_TTL_SECONDS + " to " + Limits.MAX_HOLD_TTL_SECONDS + ".");
            }
            metadata = metadata == null ? Metadata.NONE : metadata;
        }
    }

    /** Take {@code amount} (default: all) of a pending hold; the rest is released in the same write. */
    public record Capture(AccountId accountId, String holdId, OptionalLong amount, Idempotency idempotency) {
        public Capture {
            Objects.requireNonNull(accountId, "accountId");
            requireHoldId(holdId);
            Objects.requireNonNull(idempotency, "idempotency");
            if (amount.isPresent() && (amount.getAsLong() < 1 || amount.getAsLong() > Limits.MAX_AMOUNT_TOKENS)) {
                throw new InvalidRequestException("amount", "'amount' must be a whole number from 1 to " + Limits.MAX_AMOUNT_TOKENS + ".");
            }
        }
    }

    /** End a pending hold without taking anything. */
    public record Release(AccountId accountId, String holdId, Idempotency idempotency) {
        public Release {
            Objects.requireNonNull(accountId, "accountId");
            requireHoldId(holdId);
            Objects.requireNonNull(idempotency, "idempotency");
        }
    }

    /** Give back {@code amount} (default: all that is left) of a charged transaction. */
    public record Refund(AccountId accountId, String transactionId, OptionalLong amount, String reason, Idempotency idempotency) {
        public Refund {
            Objects.requireNonNull(accountId, "accountId");
            if (transactionId == null || !TRANSACTION_ID.matcher(transactionId).matches()) {
                throw new InvalidRequestException("transactionId", "'transactionId' must be a transaction id such as tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V.");
            }
            if (amount.isPresent() && (amount.getAsLong() < 1 || amount.getAsLong() > Limits.MAX_AMOUNT_TOKENS)) {
                throw new InvalidRequestException("amount", "'amount' must be a whole number from 1 to " + Limits.MAX_AMOUNT_TOKENS + ".");
            }
            if (reason == null || reason.isBlank() || reason.length() > Limits.MAX_REASON_LENGTH) {
                throw new InvalidRequestException("reason", "'reason' must be 1 to " + Limits.MAX_REASON_LENGTH + " characters.");
            }
            for (int i = 0; i < reason.length(); i++) {
                if (Character.isISOControl(reason.charAt(i))) {
                    throw new InvalidRequestException("reason", "'reason' may not contain control characters.");
                }
            }
            Objects.requireNonNull(idempotency, "idempotency");
        }
    }

    static void requireHoldId(String holdId) {
        if (holdId == null || !HOLD_ID.matcher(holdId).matches()) {
            throw new InvalidRequestException("holdId", "The hold id must look like hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V.");
        }
    }
}
