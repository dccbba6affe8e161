package com.tokenwallet.domain;

/**
 * The bucket's available tokens (balance − held + credit limit) do not cover the charge. Nothing was written and no
 * key was used up. {@code shortfall} is how many tokens are missing beyond the credit limit: {@code required − available}.
 */
public final class InsufficientTokensException extends WalletException {
    private final String bucket;
    private final long required;
    private final long available;
    private final long creditLimit;

    public InsufficientTokensException(String bucket, long required, long available, long creditLimit) {
        super("Bucket " + bucket + " has " + available + " tokens available" + (creditLimit > 0 ? " (credit limit " + creditLimit + " included)" : "")
                + "; " + required + " are required.");
        this.bucket = bucket;
        this.required = required;
        this.available = available;
        this.creditLimit = creditLimit;
    }

    public InsufficientTokensException(String bucket, long required, long available) {
        this(bucket, required, available, 0);
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

    public long creditLimit() {
        return creditLimit;
    }

    /** The tokens missing beyond the credit limit. */
    public long shortfall() {
        return required - available;
    }

    @Override
    public String code() {
        return "insufficient_tokens";
    }
}
