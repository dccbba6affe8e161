package com.tokenwallet.domain.account;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;

/**
 * A lot as reads and the burn-down see it. Besides the stored {@link Lot}s, a bucket has two lots that are not
 * stored as such, so accounts written before lots existed read correctly without a migration: the period's
 * allowance (source {@code plan_allowance}, expiring at the period's end, id {@code allowance:<bucket>:<period>})
 * and the purchased tokens of no stored lot (source {@code purchase}, no expiry, id {@code purchased:<bucket>},
 * created at the account's creation). Both have the default priority, so by the order below the allowance burns
 * before the purchased tokens, as it always did.
 */
public record LotView(String lotId, String bucket, LotSource source, long granted, long remaining, int priority,
                      Instant expiresAt, BigDecimal costBasis, String reference, Instant createdAt, Part part) {

    /** Which part of the bucket the lot's tokens belong to, and whether it is a stored lot. */
    public enum Part {
        ALLOWANCE, UNLOTTED_PURCHASED, STORED
    }

    /** Burn-down order: priority (lower first), then soonest expiry (none last), then oldest, then id. */
    public static final Comparator<LotView> BURN_ORDER = Comparator.comparingInt(LotView::priority)
            .thenComparing(LotView::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(LotView::createdAt)
            .thenComparing(LotView::lotId);

    public static LotView of(Lot lot) {
        return new LotView(lot.lotId(), lot.bucket(), lot.source(), lot.granted(), lot.remaining(), lot.priority(),
                lot.expiresAt(), lot.costBasis(), lot.reference(), lot.createdAt(), Part.STORED);
    }

    public static String allowanceId(String bucket, Period period) {
        return "allowance:" + bucket + ":" + period.id();
    }

    /** A package purchase's lot: one per bucket the payment credited (a payment is credited once). */
    public static String purchaseId(String bucket, String paymentId) {
        return "purchase:" + bucket + ":" + paymentId;
    }

    public static String unlottedPurchasedId(String bucket) {
        return "purchased:" + bucket;
    }
}
