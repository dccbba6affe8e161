package com.tokenwallet.domain;

import com.tokenwallet.domain.account.AccountId;

public final class AccountNotFoundException extends WalletException {
    public AccountNotFoundException(AccountId accountId) {
        super("No account with id " + accountId.value() + ".");
    }

    /** The account exists but not at the time asked about (a balance as of an instant before it was opened). */
    public AccountNotFoundException(AccountId accountId, String message) {
        super(message);
    }

    @Override
    public String code() {
        return "account_not_found";
    }
}
