package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The idempotency records this process wrote or met lately, at most {@code capacity} (least recently used go
 * first). A stored record never changes until it expires, so a replay that reaches the process which answered
 * first is answered from here without a round trip; any other replay is read from the store.
 */
public final class RecentRecords {
    private final Map<String, IdempotencyRecord> byKey;

    public RecentRecords(int capacity) {
        this.byKey = new BoundedLru<>(capacity);
    }

    public synchronized Optional<IdempotencyRecord> get(AccountId id, IdempotencyKey key, Instant now) {
        IdempotencyRecord record = byKey.get(id.value() + '\n' + key.value());
        return record != null && record.expiresAt().isAfter(now) ? Optional.of(record) : Optional.empty();
    }

    public synchronized void remember(AccountId id, IdempotencyRecord record) {
        byKey.put(id.value() + '\n' + record.key().value(), record);
    }
}
