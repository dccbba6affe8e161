package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.catalog.Charge;
import com.tokenwallet.domain.command.QuoteCommand;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.service.Results.Quote;
import java.util.Optional;

/** The read use cases: the balance, a quote, a page of the ledger. None writes. */
final class AccountReads {
    private final AccountWriter writer;

    AccountReads(AccountWriter writer) {
        this.writer = writer;
    }

    Account balance(AccountId id) {
        return writer.current(id);
    }

    /** The lots with tokens left as of now, bucket by bucket, each bucket in burn-down order (expired lots are gone). */
    java.util.List<com.tokenwallet.domain.account.LotView> lots(AccountId id) {
        return writer.current(id).lotViews();
    }

    Quote quote(QuoteCommand command) {
        Charge charge = command.charge().price(writer.catalog);
        long available = balance(command.accountId()).bucket(charge.bucket()).available();
        return new Quote(charge.operation(), charge.bucket(), charge.amountTokens(), available, available >= charge.amountTokens());
    }

    LedgerPage transactions(AccountId id, int limit, Optional<String> afterTransactionId) {
        if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
            throw new InvalidRequestException("limit", "'limit' must be a whole number from 1 to " + Limits.MAX_PAGE_SIZE + ".");
        }
        LedgerPage page = writer.store.ledger(id, limit, afterTransactionId);
        if (page.entries().isEmpty() && afterTransactionId.isEmpty() && writer.store.findAccount(id).isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        return page;
    }
}
