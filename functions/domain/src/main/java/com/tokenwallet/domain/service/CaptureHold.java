package com.tokenwallet.domain.service;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.CaptureReceipt;
import java.util.List;
import java.util.function.Function;

/** Takes all or part of a pending hold and releases the rest, in one write, once per Idempotency-Key. */
final class CaptureHold {
    private final AccountWriter writer;

    CaptureHold(AccountWriter writer) {
        this.writer = writer;
    }

    Answer capture(HoldCommands.Capture command, Function<CaptureReceipt, StoredResponse> render) {
        AccountId id = command.accountId();
        return writer.keyedOnHold(id, command.idempotency(), (account, now) -> {
            PendingHold hold = AccountWriter.pendingHold(account, command.holdId());
            long amount = command.amount().orElse(hold.amount());
            if (amount > hold.amount()) {
                throw new InvalidRequestException("amount", "'amount' " + amount + " is more than the " + hold.amount() + " tokens held.");
            }
            Account.Debit capture = account.capture(hold.holdId(), amount);
            String transactionId = writer.ids.next();
            LedgerEntry entry = new LedgerEntry(transactionId, id, EntryType.CAPTURE, hold.bucket(), -amount,
                    -capture.split().fromAllowance(), -capture.split().fromPurchased(), null, hold.holdId(),
                    "captured " + amount + " of " + hold.amount() + " held", null, now, -hold.amount()).withConsumed(capture.consumed());
            return new Change(capture.after(), List.of(entry),
                    List.of(new SideWrite.ResolveHold(hold.holdId(), HoldStatus.CAPTURED, amount, transactionId, now)),
                    render.apply(new CaptureReceipt(hold.holdId(), entry, amount, hold.amount() - amount,
                            capture.after().bucket(hold.bucket()).available(), capture.consumed())));
        }, command.holdId());
    }
}
