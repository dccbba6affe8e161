package com.tokenwallet.domain;

/** A request that can never succeed as sent; {@link #field()} names the part that is wrong. */
public final class InvalidRequestException extends WalletException {
    private final String field;

    public InvalidRequestException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public String code() {
        return "invalid_request";
    }
}
