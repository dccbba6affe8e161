package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Split;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.RefundReceipt;
import java.util.List;
import java.util.function.Function;

/**
 * Gives back all or part of a debit or capture, once per Idempotency-Key, never more in total than it charged.
 * Tokens go back to the part they came from, purchased first; the allowance part of a charge made in an earlier
 * period lapses instead, and the entry says so.
 */
final class RefundCharge {
    private final AccountWriter writer;

    RefundCharge(AccountWriter writer) {
        this.writer = writer;
    }

    Answer refund(HoldCommands.Refund command, Function<RefundReceipt, StoredResponse> render) {
        AccountId id = command.accountId();
        WalletStore.RefundContext context = writer.store.readRefund(id, command.transactionId());
        if (context.entry().isEmpty() && writer.store.findAccount(id).isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        LedgerEntry charged = context.entry().orElseThrow(() -> ResourceNotFoundException.transaction(command.transactionId()));
        if (charged.type() != EntryType.DEBIT && charged.type() != EntryType.CAPTURE) {
            throw new ConflictException("transaction_not_refundable", "Transaction " + charged.transactionId() + " is a "
                    + charged.type().wireName() + "; only debits and captures can be refunded.");
        }
        RefundTally[] tally = {context.tally()};
        return writer.keyedWithTally(id, command.idempotency(), (account, now) -> {
            long chargedAllowance = -charged.allowanceDelta();
            long chargedPurchased = -charged.purchasedDelta();
            long left = chargedAllowance + chargedPurchased - tally[0].total();
            long amount = command.amount().orElse(left);
            if (amount < 1 || amount > left) {
                throw new ConflictException("refund_exceeds_charge", "Transaction " + charged.transactionId() + " charged "
                        + (chargedAllowance + chargedPurchased) + " tokens and " + tally[0].total() + " were refunded already; "
                        + (left == 0 ? "nothing is left to refund." : "at most " + left + " can be refunded now."));
            }
            long toPurchased = Math.min(amount, chargedPurchased - tally[0].refundedPurchased());
            long toAllowance = amount - toPurchased;
            boolean lapses = !account.period().contains(charged.createdAt());
            long returnedAllowance = lapses ? 0 : toAllowance;
            BucketBalance bucket = account.bucket(charged.bucket());
            Account after = account.withBucket(charged.bucket(), bucket.plus(new Split(returnedAllowance, toPurchased)));
            String description = command.reason() + (lapses && toAllowance > 0
                    ? " (" + toAllowance + " allowance tokens lapsed: their period ended)" : "");
            LedgerEntry entry = new LedgerEntry(writer.ids.next(), id, EntryType.REFUND, charged.bucket(), returnedAllowance + toPurchased,
                    returnedAllowance, toPurchased, charged.operation(), charged.transactionId(), description, null, now);
            RefundTally next = new RefundTally(charged.transactionId(), tally[0].refundedAllowance() + toAllowance,
                    tally[0].refundedPurchased() + toPurchased, tally[0].version() + 1);
            return new Change(after, List.of(entry), List.of(new SideWrite.Tally(tally[0], next)),
                    render.apply(new RefundReceipt(entry, charged.transactionId(), amount, lapses ? toAllowance : 0,
                            next.total(), after.bucket(charged.bucket()).available())));
        }, () -> tally[0] = writer.store.readRefund(id, command.transactionId()).tally());
    }
}
