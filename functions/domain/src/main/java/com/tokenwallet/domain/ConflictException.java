package com.tokenwallet.domain;

/**
 * The request is well formed but the state forbids it (HTTP 409): {@code hold_already_resolved},
 * {@code hold_expired}, {@code refund_exceeds_charge}, {@code transaction_not_refundable}, {@code too_many_holds}.
 * Nothing was written and the Idempotency-Key was not used up.
 */
public final class ConflictException extends WalletException {
    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
