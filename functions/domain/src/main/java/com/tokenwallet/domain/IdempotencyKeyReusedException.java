package com.tokenwallet.domain;

public final class IdempotencyKeyReusedException extends WalletException {
    public IdempotencyKeyReusedException() {
        super("This Idempotency-Key was already used with a different request. Use a new key for a new request.");
    }

    @Override
    public String code() {
        return "idempotency_key_reused";
    }
}
