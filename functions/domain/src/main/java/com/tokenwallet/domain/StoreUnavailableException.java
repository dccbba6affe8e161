package com.tokenwallet.domain;

/**
 * The store could not be reached, was throttled, or stayed contended past every bounded retry. Whether an
 * earlier attempt committed is unknown to the caller, which is why it retries with the same Idempotency-Key.
 */
public sealed class StoreUnavailableException extends WalletException permits AccountBusyException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "store_unavailable";
    }
}
