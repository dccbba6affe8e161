package com.tokenwallet.domain;

/** A hold or transaction the request names does not exist on that account: {@code hold_not_found}, {@code transaction_not_found}. */
public final class ResourceNotFoundException extends WalletException {
    private final String code;

    public ResourceNotFoundException(String code, String message) {
        super(message);
        this.code = code;
    }

    public static ResourceNotFoundException hold(String holdId) {
        return new ResourceNotFoundException("hold_not_found", "No hold with id " + holdId + " on this account.");
    }

    public static ResourceNotFoundException transaction(String transactionId) {
        return new ResourceNotFoundException("transaction_not_found", "No transaction with id " + transactionId + " on this account.");
    }

    @Override
    public String code() {
        return code;
    }
}
