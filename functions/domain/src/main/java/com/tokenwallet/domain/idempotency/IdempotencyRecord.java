package com.tokenwallet.domain.idempotency;

import java.time.Instant;

/** What the store keeps for a used key, written in the same atomic write as the effect it records. */
public record IdempotencyRecord(IdempotencyKey key, String fingerprint, StoredResponse response,
                                Instant createdAt, Instant expiresAt) {
}
