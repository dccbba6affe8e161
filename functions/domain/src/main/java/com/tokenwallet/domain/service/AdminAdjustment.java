package com.tokenwallet.domain.service;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Split;
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

/**
 * Adds or takes away tokens of one part of a bucket: an {@code adjustment} entry. Refused (409) when it would leave
 * the part below zero ({@code adjustment_below_zero}) or the bucket below what its pending holds need
 * ({@code adjustment_below_held}). Once per Idempotency-Key if one is given.
 */
final class AdminAdjustment {
    private final AccountWriter writer;

    AdminAdjustment(AccountWriter writer) {
        this.writer = writer;
    }

    Answer adjust(AdminCommands.Adjustment command, Function<AdminResults.Receipt, StoredResponse> render) {
        writer.catalog.requireBucket(command.bucket(), "bucket");
        return AdminWrites.write(writer, command.accountId(), command.idempotency(), (account, now) -> {
            BucketBalance before = account.bucket(command.bucket());
            boolean purchased = command.part() == AdminCommands.Part.PURCHASED;
            long current = purchased ? before.purchased() : before.allowance();
            String part = command.part().wireName();
            if (current + command.amount() < 0) {
                throw new ConflictException("adjustment_below_zero", "The " + part + " part of '" + command.bucket() + "' is "
                        + current + "; an adjustment of " + command.amount() + " would take it below zero.");
            }
            AdminWrites.requireAtMost(current, command.amount(), command.bucket());
            long allowanceDelta = purchased ? 0 : command.amount();
            long purchasedDelta = purchased ? command.amount() : 0;
            if (command.amount() < 0 && before.total() + command.amount() < before.held()) {
                throw new ConflictException("adjustment_below_held", "'" + command.bucket() + "' has " + before.total()
                        + " tokens of which pending holds need " + before.held() + "; an adjustment of " + command.amount()
                        + " would leave less than they hold.");
            }
            // Stored lots and the credit limit stay; tokens added repay debt first (allowance ones move to the purchased part).
            BucketBalance next;
            if (command.amount() < 0) {
                next = before.minus(new Split(-allowanceDelta, -purchasedDelta));
            } else {
                BucketBalance.Settled settled = before.plus(new Split(allowanceDelta, purchasedDelta));
                next = settled.after();
                allowanceDelta -= settled.fromAllowance();
                purchasedDelta += settled.fromAllowance();
            }
            Account after = account.withBucket(command.bucket(), next);
            LedgerEntry entry = new LedgerEntry(writer.ids.next(), account.id(), EntryType.ADJUSTMENT, command.bucket(), command.amount(),
                    allowanceDelta, purchasedDelta, null, null, command.reason(), AdminWrites.metadata(command.admin(), part), now);
            return new Change(after, List.of(entry), List.of(), render.apply(new AdminResults.Receipt(entry, next)));
        });
    }

}
