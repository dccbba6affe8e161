package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.catalog.Charge;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.DebitReceipt;
import java.util.List;
import java.util.function.Function;

/** Debits an account once per Idempotency-Key; the rendered receipt is stored in the same write. */
final class DebitAccount {
    private final AccountWriter writer;

    DebitAccount(AccountWriter writer) {
        this.writer = writer;
    }

    Answer debit(DebitCommand command, Function<DebitReceipt, StoredResponse> render) {
        Charge charge = command.charge().price(writer.catalog);
        return writer.keyed(command.accountId(), command.idempotency(), (account, now) -> {
            Account.Debit debit = account.debit(charge.bucket(), charge.amountTokens());
            LedgerEntry entry = new LedgerEntry(writer.ids.next(), account.id(), EntryType.DEBIT, charge.bucket(), -charge.amountTokens(),
                    -debit.split().fromAllowance(), -debit.split().fromPurchased(), charge.operation(), null,
                    charge.description(), command.metadata().json(), now).withConsumed(debit.consumed());
            return new Change(debit.after(), List.of(entry), List.of(),
                    render.apply(new DebitReceipt(entry, debit.after().bucket(charge.bucket()).available(), debit.consumed())));
        });
    }
}
