package com.tokenwallet.domain.service;

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
import com.tokenwallet.domain.service.Results.ReleaseReceipt;
import java.util.List;
import java.util.function.Function;

/** Ends a pending hold without charging, once per Idempotency-Key. */
final class ReleaseHold {
    private final AccountWriter writer;

    ReleaseHold(AccountWriter writer) {
        this.writer = writer;
    }

    Answer release(HoldCommands.Release command, Function<ReleaseReceipt, StoredResponse> render) {
        AccountId id = command.accountId();
        return writer.keyedOnHold(id, command.idempotency(), (account, now) -> {
            PendingHold hold = AccountWriter.pendingHold(account, command.holdId());
            Account after = account.release(hold.holdId());
            String transactionId = writer.ids.next();
            LedgerEntry entry = new LedgerEntry(transactionId, id, EntryType.RELEASE, hold.bucket(), 0, 0, 0, null,
                    hold.holdId(), "released " + hold.amount() + " held", null, now, -hold.amount());
            return new Change(after, List.of(entry),
                    List.of(new SideWrite.ResolveHold(hold.holdId(), HoldStatus.RELEASED, 0, transactionId, now)),
                    render.apply(new ReleaseReceipt(hold.holdId(), hold.amount(), after.bucket(hold.bucket()).available())));
        }, command.holdId());
    }
}
