package com.tokenwallet.domain.account;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A stored credit lot of a bucket: tokens granted with their own priority, expiry and cost basis (an admin grant
 * that sets any of them; later a rollover lot). A lot's tokens are part of the bucket's {@code purchased} part, so
 * the ledger's two parts stay what they were: the purchased part is the stored lots plus the tokens of no stored
 * lot (today's purchases, shown as one lot, see {@link LotView}).
 *
 * @param priority    0-100, lower burns first (Stripe credit grants order them so)
 * @param expiresAt   null: never expires
 * @param costBasis   minor currency units per token, from what was paid; null: unknown or free
 * @param reference   what the lot came from (an admin grant's reason, a Stripe payment), or null
 */
public record Lot(String lotId, String bucket, LotSource source, long granted, long remaining, int priority,
                  Instant expiresAt, BigDecimal costBasis, String reference, Instant createdAt) {

    public static final int DEFAULT_PRIORITY = 50;
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 100;

    public Lot {
        if (lotId == null || lotId.isBlank() || bucket == null || source == null || createdAt == null) {
            throw new IllegalArgumentException("a lot needs an id, a bucket, a source and createdAt");
        }
        if (granted < 0 || remaining < 0 || remaining > granted) {
            throw new IllegalStateException("lot " + lotId + ": remaining " + remaining + " of granted " + granted);
        }
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("lot " + lotId + ": priority " + priority + " outside 0-100");
        }
        if (costBasis != null && costBasis.signum() < 0) {
            throw new IllegalArgumentException("lot " + lotId + ": negative cost basis");
        }
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public Lot withRemaining(long tokens) {
        return new Lot(lotId, bucket, source, granted, tokens, priority, expiresAt, costBasis, reference, createdAt);
    }
}
