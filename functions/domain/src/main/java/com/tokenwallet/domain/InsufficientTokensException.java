package com.tokenwallet.domain;

/** The bucket's available tokens do not cover the charge. Nothing was written and no key was used up. */
public final class InsufficientTokensException extends WalletException {
    private final String bucket;
    private final long required;
    private final long available;

    public InsufficientTokensException(String bucket, long required, long available) {
        super("Bucket " + bucket + " has " + available + " tokens available; " + required + " are required.");
        this.bucket = bucket;
        this.required = required;
        this.available = available;
    }

    public String bucket() {
        return bucket;
    }

    public long required() {
        return required;
    }

    public long available() {
        return available;
    }

    @Override
    public String code() {
        return "insufficient_tokens";
    }
}
