package com.tokenwallet.domain.hold;

import com.tokenwallet.domain.account.AccountId;
import java.time.Instant;

/**
 * The history of one hold, stored beside the account: what it held and how it ended. The account item's
 * pending holds are the truth for what is held now; this record answers "already resolved" and "expired".
 */
public record HoldRecord(String holdId, AccountId accountId, String bucket, long amount, String operation,
                         Instant createdAt, Instant expiresAt, HoldStatus status, long captured,
                         String captureTransactionId, Instant resolvedAt) {

    public static HoldRecord pending(String holdId, AccountId accountId, String bucket, long amount, String operation,
                                     Instant createdAt, Instant expiresAt) {
        return new HoldRecord(holdId, accountId, bucket, amount, operation, createdAt, expiresAt, HoldStatus.PENDING, 0, null, null);
    }

    public HoldRecord resolved(HoldStatus finalStatus, long capturedTokens, String transactionId, Instant at) {
        return new HoldRecord(holdId, accountId, bucket, amount, operation, createdAt, expiresAt, finalStatus,
                capturedTokens, transactionId, at);
    }
}
