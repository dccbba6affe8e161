package com.tokenwallet.domain;

/**
 * A refusal the caller can act on. Each subclass carries the stable {@code code} of SPEC 3.5; the HTTP
 * layer maps codes to status codes, so the domain never speaks HTTP.
 */
public abstract sealed class WalletException extends RuntimeException
        permits InvalidRequestException, AccountNotFoundException, InsufficientTokensException,
                IdempotencyKeyReusedException, StoreUnavailableException, ResourceNotFoundException, ConflictException {

    protected WalletException(String message) {
        super(message);
    }

    protected WalletException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The machine-readable code, for example {@code insufficient_tokens}. */
    public abstract String code();
}
