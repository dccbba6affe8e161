package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.LotRefund;
import com.tokenwallet.domain.account.LotView;
import com.tokenwallet.domain.account.Split;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.RefundReceipt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gives back all or part of a debit or capture, once per Idempotency-Key, never more in total than it charged.
 * Tokens go back to the lots the charge consumed, the lot it took last first ({@link LotRefund}); tokens of a lot
 * that expired meanwhile, or of the allowance of a period that ended, lapse instead, and the entry says so. A charge
 * written before lots gives back by part (purchased first).
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
            Given given = charged.consumed().stream().mapToLong(Consumed::amount).sum() == chargedAllowance + chargedPurchased
                    ? toLots(account, charged, tally[0], amount, command.reason(), now)
                    : toParts(account, charged, tally[0], amount, command.reason());
            Account after = account.withBucket(charged.bucket(), given.bucket());
            LedgerEntry entry = new LedgerEntry(writer.ids.next(), id, EntryType.REFUND, charged.bucket(), given.returned().total(),
                    given.returned().fromAllowance(), given.returned().fromPurchased(), charged.operation(), charged.transactionId(),
                    given.description(), given.metadata(), now);
            RefundTally next = new RefundTally(charged.transactionId(), tally[0].refundedAllowance() + given.ofAllowance(),
                    tally[0].refundedPurchased() + (amount - given.ofAllowance()), tally[0].version() + 1);
            return new Change(after, List.of(entry), List.of(new SideWrite.Tally(tally[0], next)),
                    render.apply(new RefundReceipt(entry, charged.transactionId(), amount, given.lapsed(),
                            next.total(), after.bucket(charged.bucket()).available())));
        }, () -> tally[0] = writer.store.readRefund(id, command.transactionId()).tally());
    }

    /**
     * A refund's effect on the charge's bucket: the bucket after it, what went back to each part, how many of the
     * refunded tokens were the charge's allowance tokens (the tally counts them), what lapsed, and the entry's words.
     */
    private record Given(BucketBalance bucket, Split returned, long ofAllowance, long lapsed, String description, String metadata) {
    }

    /** How many lapsed lots a refund entry's description names one by one. */
    static final int MAX_LAPSES_DESCRIBED = 3;

    /**
     * The lots the charge consumed (its entry names them): given back in reverse burn-down order, see {@link LotRefund}.
     * The entry's metadata says lot by lot where the tokens went: {@code {"lots":[{"lotId","amount","outcome"}],
     * "lapsed"?}}, outcome one of returned, recreated, unlotted, expired, period_ended (the last two lapsed).
     */
    private static Given toLots(Account account, LedgerEntry charged, RefundTally tally, long amount, String reason, Instant now) {
        List<Consumed> portions = LotRefund.portions(charged.consumed(), tally.total(), amount);
        LotRefund.Result result = LotRefund.giveBack(account.bucket(charged.bucket()), charged.bucket(), portions, account.period(), now,
                account.storedLotCount());
        long ofAllowance = portions.stream().filter(c -> c.part() == LotView.Part.ALLOWANCE).mapToLong(Consumed::amount).sum();
        List<Object> lots = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (LotRefund.Share share : result.shares()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lotId", share.from().lotId());
            m.put("amount", share.amount());
            m.put("outcome", share.outcome().wireName());
            lots.add(m);
            switch (share.outcome()) {
                case EXPIRED -> why.add(share.amount() + " tokens of lot " + share.from().lotId() + " lapsed: it expired at "
                        + share.from().expiresAt());
                case PERIOD_ENDED -> why.add(share.amount() + " allowance tokens lapsed: their period ended ("
                        + share.from().lotId() + ")");
                default -> { }
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("lots", lots);
        if (result.lapsed() > 0) {
            metadata.put("lapsed", result.lapsed());
        }
        if (why.size() > MAX_LAPSES_DESCRIBED) {
            // The metadata names every lot; the description stays readable.
            int more = why.size() - MAX_LAPSES_DESCRIBED;
            why = new ArrayList<>(why.subList(0, MAX_LAPSES_DESCRIBED));
            why.add("and " + more + " more lots lapsed (see metadata)");
        }
        String description = reason + (why.isEmpty() ? "" : " (" + String.join("; ", why) + ")");
        return new Given(result.after(), result.returned(), ofAllowance, result.lapsed(), description, StrictJson.write(metadata));
    }

    /**
     * A charge written before lots (its entry names none): tokens go back to the part they came from, purchased first
     * (into the unlotted purchased tokens); the allowance part of a charge made in an earlier period lapses.
     */
    private static Given toParts(Account account, LedgerEntry charged, RefundTally tally, long amount, String reason) {
        long toPurchased = Math.min(amount, -charged.purchasedDelta() - tally.refundedPurchased());
        long toAllowance = amount - toPurchased;
        boolean lapses = !account.period().contains(charged.createdAt());
        long returnedAllowance = lapses ? 0 : toAllowance;
        long lapsed = lapses ? toAllowance : 0;
        String description = reason + (lapsed > 0 ? " (" + lapsed + " allowance tokens lapsed: their period ended)" : "");
        // Debt is repaid first: allowance tokens that repay it move to the purchased part (see BucketBalance#settling).
        BucketBalance.Settled settled = account.bucket(charged.bucket()).plus(new Split(returnedAllowance, toPurchased));
        return new Given(settled.after(), new Split(returnedAllowance - settled.fromAllowance(), toPurchased + settled.fromAllowance()),
                toAllowance, lapsed, description, null);
    }
}
