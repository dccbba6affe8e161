package com.tokenwallet.domain.command;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.idempotency.Idempotency;
import java.util.Objects;

/** Debit an account now, at most once per Idempotency-Key. */
public record DebitCommand(AccountId accountId, ChargeRequest charge, Metadata metadata, Idempotency idempotency) {
    public DebitCommand {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(idempotency, "idempotency");
        metadata = metadata == null ? Metadata.NONE : metadata;
    }
}
