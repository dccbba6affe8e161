package com.tokenwallet.domain.events;

import com.tokenwallet.domain.account.AccountId;
import java.time.Instant;

/**
 * An account's available tokens in a bucket went down across a line: the configured low-balance threshold
 * ({@link Type#LOW}) or zero ({@link Type#DEPLETED}). {@code version} is the account version the write produced,
 * so a consumer can tell events of one account apart and order them.
 */
public record BalanceEvent(Type type, AccountId accountId, String bucket, long threshold, long availableBefore,
                           long availableAfter, long version, Instant occurredAt) {

    public enum Type {
        LOW("wallet.balance.low"), DEPLETED("wallet.balance.depleted");

        private final String detailType;

        Type(String detailType) {
            this.detailType = detailType;
        }

        /** The event's name, EventBridge's {@code detail-type}. */
        public String detailType() {
            return detailType;
        }
    }
}
