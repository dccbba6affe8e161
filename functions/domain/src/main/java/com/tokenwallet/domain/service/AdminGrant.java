package com.tokenwallet.domain.service;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.admin.AdminResults;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.Results.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Adds purchased tokens to a bucket: a {@code grant} entry. Once per Idempotency-Key if one is given. */
final class AdminGrant {
    private final AccountWriter writer;

    AdminGrant(AccountWriter writer) {
        this.writer = writer;
    }

    Answer grant(AdminCommands.Grant command, Function<AdminResults.Receipt, StoredResponse> render) {
        writer.catalog.requireBucket(command.bucket(), "bucket");
        return AdminWrites.write(writer, command.accountId(), command.idempotency(), (account, now) -> {
            BucketBalance before = account.bucket(command.bucket());
            AdminWrites.requireAtMost(before.purchased(), command.amount(), command.bucket());
            String transactionId = writer.ids.next();
            AdminCommands.LotTerms terms = command.terms();
            String lotId = null;
            Account after;
            if (terms.storesLot()) {
                if (terms.expiresAt().isPresent() && !terms.expiresAt().get().isAfter(now)) {
                    throw new InvalidRequestException("expiresAt", "'expiresAt' must be in the future.");
                }
                if (account.storedLotCount() >= Limits.MAX_STORED_LOTS) {
                    throw new ConflictException("too_many_lots", "The account has " + Limits.MAX_STORED_LOTS
                            + " stored lots, the most it may have; wait until some are used up or expire.");
                }
                lotId = "lot_" + transactionId;
                Lot lot = new Lot(lotId, command.bucket(), LotSource.GRANT, command.amount(), command.amount(),
                        terms.priority().orElse(Lot.DEFAULT_PRIORITY), terms.expiresAt().orElse(null),
                        terms.costBasis().orElse(null), command.reason(), now);
                after = account.withBucket(command.bucket(), before.plusLot(lot));
            } else {
                after = account.withBucket(command.bucket(), before.plusPurchased(command.amount()));
            }
            LedgerEntry entry = new LedgerEntry(transactionId, account.id(), EntryType.GRANT, command.bucket(), command.amount(),
                    0, command.amount(), null, lotId, command.reason(), AdminWrites.metadata(command.admin(), null), now);
            return new Change(after, List.of(entry), List.of(),
                    render.apply(new AdminResults.Receipt(entry, after.bucket(command.bucket()))));
        });
    }
}
