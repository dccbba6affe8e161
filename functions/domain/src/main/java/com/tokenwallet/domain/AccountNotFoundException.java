package com.tokenwallet.domain;

import com.tokenwallet.domain.account.AccountId;

public final class AccountNotFoundException extends WalletException {
    public AccountNotFoundException(AccountId accountId) {
        super("No account with id " + accountId.value() + ".");
    }

    @Override
    public String code() {
        return "account_not_found";
    }
}
