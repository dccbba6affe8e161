package com.tokenwallet.domain.account;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a debit or capture took from one lot: the receipts' {@code consumed} items ({@code lotId}, {@code source},
 * {@code amount}, {@code expiresAt}, {@code costBasis}). The charge's ledger entry keeps them with the rest of the lot
 * as it was ({@code part}, {@code priority}, {@code reference}, {@code createdAt}, {@code granted}), so a refund can give
 * the tokens back to that lot, re-creating it if it was used up (see {@code RefundCharge}).
 *
 * @param part     which part of the bucket the lot belongs to: the period's allowance, the unlotted purchased tokens,
 *                 or a stored lot
 * @param granted  the lot's granted tokens (for the implicit lots: what the lot had when the charge took from it)
 */
public record Consumed(String lotId, LotSource source, long amount, Instant expiresAt, BigDecimal costBasis,
                       LotView.Part part, int priority, String reference, Instant createdAt, long granted) {

    public Consumed {
        if (lotId == null || source == null || part == null || amount < 0) {
            throw new IllegalArgumentException("consumed " + amount + " of lot " + lotId);
        }
    }

    /** What a charge took from {@code lot}. */
    public static Consumed of(LotView lot, long amount) {
        return new Consumed(lot.lotId(), lot.source(), amount, lot.expiresAt(), lot.costBasis(), lot.part(), lot.priority(),
                lot.reference(), lot.createdAt(), lot.granted());
    }

    /**
     * What the charge's ledger entry keeps of this: all of a stored lot (a refund may have to create it again), only
     * the id, part, source and amount of the two implicit lots (a refund needs no more of them: the allowance lot's
     * id names its period), so a charge's entry stays small.
     */
    public Consumed recorded() {
        return part == LotView.Part.STORED ? this : new Consumed(lotId, source, amount, null, null, part, Lot.DEFAULT_PRIORITY, null, null, 0);
    }

    /** The same lot with another amount. */
    public Consumed withAmount(long tokens) {
        return new Consumed(lotId, source, tokens, expiresAt, costBasis, part, priority, reference, createdAt, granted);
    }

    /** The stored lot this was taken from, holding {@code remaining} tokens (only for {@link LotView.Part#STORED}). */
    public Lot asLot(String bucket, long remaining) {
        if (part != LotView.Part.STORED) {
            throw new IllegalStateException("lot " + lotId + " is not stored");
        }
        return new Lot(lotId, bucket, source, Math.max(granted, remaining), remaining, priority, expiresAt, costBasis, reference,
                createdAt);
    }
}
