package com.tokenwallet.domain.command;

import com.tokenwallet.domain.account.AccountId;
import java.util.Objects;

/** Price an operation for an account without changing anything. */
public record QuoteCommand(AccountId accountId, ChargeRequest.ByOperation charge) {
    public QuoteCommand {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(charge, "charge");
    }
}
