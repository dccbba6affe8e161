package com.tokenwallet.domain.service;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.admin.AdminResults;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.Results.Answer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sets a bucket's credit limit (issue 15): a {@code credit_limit} entry of amount 0 with the reason, the admin and the
 * limits before and after, in the same conditional write as the new limit. A limit below what the bucket owes (its
 * debt) or reserves on credit (pending holds beyond its balance) is refused with 409 {@code credit_limit_below_debt}.
 */
final class AdminCreditLimit {
    private final AccountWriter writer;

    AdminCreditLimit(AccountWriter writer) {
        this.writer = writer;
    }

    Answer set(AdminCommands.CreditLimit command, Function<AdminResults.CreditLimitSet, StoredResponse> render) {
        if (!writer.catalog.buckets().contains(command.bucket())) {
            throw new ResourceNotFoundException("bucket_not_found", "The catalog has no bucket '" + command.bucket() + "'.");
        }
        return AdminWrites.write(writer, command.accountId(), command.idempotency(), (account, now) -> {
            BucketBalance before = account.bucket(command.bucket());
            long needed = Math.max(before.debt(), before.held() - before.total());
            if (command.creditLimit() < needed) {
                throw new ConflictException("credit_limit_below_debt", "'" + command.bucket() + "' owes " + before.debt()
                        + " tokens and its pending holds reserve " + Math.max(0, before.held() - Math.max(0, before.total()))
                        + " beyond its balance: its credit limit may not go below " + needed + ".");
            }
            BucketBalance next = before.withCreditLimit(command.creditLimit());
            Account after = account.withBucket(command.bucket(), next);
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("admin", command.admin());
            metadata.put("previousCreditLimit", before.creditLimit());
            metadata.put("creditLimit", command.creditLimit());
            LedgerEntry entry = new LedgerEntry(writer.ids.next(), account.id(), EntryType.CREDIT_LIMIT, command.bucket(), 0, 0, 0,
                    null, null, command.reason(), com.tokenwallet.domain.command.Metadata.of(metadata).json(), now);
            return new Change(after, List.of(entry), List.of(),
                    render.apply(new AdminResults.CreditLimitSet(entry, before.creditLimit(), next)));
        });
    }
}
