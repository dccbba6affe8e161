package com.tokenwallet.domain.idempotency;

/**
 * A request's key and the fingerprint of what it asked (route, account and body). The same key with another
 * fingerprint is a different request, refused as {@code idempotency_key_reused}.
 */
public record Idempotency(IdempotencyKey key, String fingerprint) {
}
