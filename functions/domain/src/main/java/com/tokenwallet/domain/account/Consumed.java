package com.tokenwallet.domain.account;

import java.math.BigDecimal;
import java.time.Instant;

/** What a debit or capture took from one lot: the receipts' {@code consumed} items. */
public record Consumed(String lotId, LotSource source, long amount, Instant expiresAt, BigDecimal costBasis) {
}
