package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.catalog.Charge;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.HoldReceipt;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Reserves tokens until {@code now + ttlSeconds}, once per Idempotency-Key. */
final class PlaceHold {
    private final AccountWriter writer;

    PlaceHold(AccountWriter writer) {
        this.writer = writer;
    }

    Answer hold(HoldCommands.Hold command, Function<HoldReceipt, StoredResponse> render) {
        Charge charge = command.charge().price(writer.catalog);
        return writer.keyed(command.accountId(), command.idempotency(), (account, now) -> {
            String holdId = writer.ids.nextHold();
            Instant expiresAt = now.plusSeconds(command.ttlSeconds());
            Account after = account.hold(new PendingHold(holdId, charge.bucket(), charge.amountTokens(), expiresAt));
            LedgerEntry entry = new LedgerEntry(writer.ids.next(), account.id(), EntryType.HOLD, charge.bucket(), 0, 0, 0,
                    charge.operation(), holdId, charge.description(), command.metadata().json(), now, charge.amountTokens());
            HoldRecord record = HoldRecord.pending(holdId, account.id(), charge.bucket(), charge.amountTokens(), charge.operation(), now, expiresAt);
            return new Change(after, List.of(entry), List.of(new SideWrite.NewHold(record)),
                    render.apply(new HoldReceipt(record, after.bucket(charge.bucket()).available())));
        });
    }
}
