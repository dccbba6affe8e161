package com.tokenwallet.domain;

/** Every bound the wallet puts on its inputs, in one place so the API document and the code agree. */
public final class Limits {
    /** The largest token amount a single request may name: far above any real charge, far below overflow. */
    public static final long MAX_AMOUNT_TOKENS = 1_000_000_000L;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    public static final int MAX_DESCRIPTION_LENGTH = 256;
    public static final int MAX_METADATA_KEYS = 16;
    public static final int MAX_METADATA_KEY_LENGTH = 64;
    public static final int MAX_METADATA_VALUE_LENGTH = 256;
    public static final int MAX_METADATA_JSON_BYTES = 2048;
    public static final int MAX_EMAIL_LENGTH = 254;
    public static final int MAX_PAGE_SIZE = 100;
    /**
     * Pending holds per account. They live in the account item, so one conditional write sees them all; the
     * bound keeps a write that also expires every one of them under DynamoDB's 100 items per transaction.
     */
    public static final int MAX_PENDING_HOLDS = 25;
    /**
     * Stored credit lots per account. They live in the account item, so one conditional write (one DynamoDB call)
     * still sees them all; a grant that would store one more is refused (409 too_many_lots), never merged.
     */
    public static final int MAX_STORED_LOTS = 100;
    public static final long MIN_HOLD_TTL_SECONDS = 1;
    public static final long MAX_HOLD_TTL_SECONDS = 86_400;
    public static final long DEFAULT_HOLD_TTL_SECONDS = 900;
    public static final int MAX_REASON_LENGTH = 256;
    /** The largest credit limit an admin may set on a bucket (issue 15): as large as one request's amount. */
    public static final long MAX_CREDIT_LIMIT = MAX_AMOUNT_TOKENS;
    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PARAMS = 16;
    /** How long a stored first response answers replays of its Idempotency-Key. */
    public static final long IDEMPOTENCY_RETENTION_SECONDS = 7L * 24 * 3600;

    private Limits() {
    }
}
