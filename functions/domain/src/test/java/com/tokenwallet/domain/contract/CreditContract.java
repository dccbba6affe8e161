package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.created;
import static com.tokenwallet.domain.contract.ContractSupport.stored;
import static com.tokenwallet.domain.contract.ContractSupport.wholeLedger;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.ledger.BalanceAfter;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The credit limit (issue 15): a bucket's {@code creditLimit} and its debt (the unlotted purchased tokens below zero)
 * are part of the account, written and read with it in the same conditional write as every other part (a debit into
 * credit is still one write, one DynamoDB call); the credit portion a debit consumed is kept with its entry; the
 * entry's parts after it keep the negative purchased part; the audit reads the limit and the lots' tokens the credit
 * invariant checks; a {@code credit_limit} entry (amount 0) reads back as written.
 */
public interface CreditContract extends ContractSupport {

    private static AccountWrite setLimit(Samples s, Account before, long limit) {
        Account after = before.withBucket(Samples.BUCKET, before.bucket(Samples.BUCKET).withCreditLimit(limit));
        LedgerEntry entry = new LedgerEntry(s.txId(), before.id(), EntryType.CREDIT_LIMIT, Samples.BUCKET, 0, 0, 0, null, null,
                "trusted customer", "{\"admin\":\"ops\",\"creditLimit\":" + limit + ",\"previousCreditLimit\":"
                + before.bucket(Samples.BUCKET).creditLimit() + "}", s.now());
        return new AccountWrite(before, after, List.of(entry), Optional.empty());
    }

    private static AccountWrite debitWithLots(Samples s, Account before, long tokens) {
        Account.Debit debit = before.debit(Samples.BUCKET, tokens);
        LedgerEntry entry = new LedgerEntry(s.txId(), before.id(), EntryType.DEBIT, Samples.BUCKET, -tokens, -debit.split().fromAllowance(),
                -debit.split().fromPurchased(), "ai_chat", null, null, null, s.now()).withConsumed(debit.consumed());
        return new AccountWrite(before, debit.after(), List.of(entry), Optional.empty());
    }

    @Test
    default void aCreditLimitAndADebt_readBackAsWritten_byEveryRead_andAStaleWriteSeesThem() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "cora", 10);
            Account v2 = applied(f.wallet(), setLimit(f.samples(), v1, 50));
            assertThat(stored(f.wallet(), "cora").bucket(Samples.BUCKET).creditLimit()).isEqualTo(50);

            AccountWrite debit = debitWithLots(f.samples(), v2, 35);
            Account v3 = applied(f.wallet(), debit);

            BucketBalance b = v3.bucket(Samples.BUCKET);
            assertThat(b.purchased()).isEqualTo(-25);
            assertThat(b.debt()).isEqualTo(25);
            assertThat(b.available()).isEqualTo(25);
            assertThat(stored(f.wallet(), "cora")).isEqualTo(v3);
            assertThat(f.wallet().readForWrite(v1.id(), Optional.empty()).account()).contains(v3);
            try (StoreSet other = f.stores().anotherInstance()) {
                assertThat(other.wallet().findAccount(v1.id())).contains(v3);
            }
            assertThat(f.wallet().write(f.samples().debit(v2, 1))).isEqualTo(new WriteResult.Stale(Optional.of(v3)));

            // The credit portion is kept with the entry (a refund repays the debt from it); the parts after it are negative.
            LedgerEntry written = debit.entries().getFirst();
            LedgerEntry read = f.wallet().readRefund(v1.id(), written.transactionId()).entry().orElseThrow();
            assertThat(read).isEqualTo(written);
            assertThat(read.consumed()).extracting(Consumed::lotId, Consumed::source, Consumed::amount).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("purchased:credits", LotSource.PURCHASE, 10L),
                    org.assertj.core.groups.Tuple.tuple(BucketBalance.creditId(Samples.BUCKET), LotSource.CREDIT, 25L));
            assertThat(read.balanceAfter()).isEqualTo(new BalanceAfter(0, -25, 0));
        }
    }

    @Test
    default void aCreditLimitEntry_isAnEntryOfAmountZero_readBackAsWritten() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "clio", 3);
            AccountWrite write = setLimit(f.samples(), v1, 7);
            applied(f.wallet(), write);

            LedgerEntry entry = write.entries().getFirst();
            assertThat(wholeLedger(f.wallet(), "clio", 10)).first().isEqualTo(entry);
            assertThat(entry.type()).isEqualTo(EntryType.CREDIT_LIMIT);
            assertThat(entry.amount()).isZero();
            assertThat(entry.balanceAfter()).isEqualTo(new BalanceAfter(0, 3, 0));
        }
    }

    @Test
    default void theAudit_readsTheLimitAndTheLotsTokens_andTheLedgerSumsToTheDebt() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "cato", 4);
            Account v2 = applied(f.wallet(), setLimit(f.samples(), v1, 20));
            Account v3 = applied(f.wallet(), debitWithLots(f.samples(), v2, 10));
            // A granted lot of 9 repays the debt of 6 first: 3 tokens stay in it.
            Lot lot = new Lot("lot_repay", Samples.BUCKET, LotSource.GRANT, 9, 9, 50, null, null, "goodwill", f.samples().now());
            Account v4 = applied(f.wallet(), new AccountWrite(v3, v3.withBucket(Samples.BUCKET, v3.bucket(Samples.BUCKET).plusLot(lot)),
                    List.of(new LedgerEntry(f.samples().txId(), v3.id(), EntryType.GRANT, Samples.BUCKET, 9, 0, 9, null, "lot_repay", "goodwill",
                            null, f.samples().now())), Optional.empty()));
            assertThat(v4.bucket(Samples.BUCKET).lots()).extracting(Lot::lotId, Lot::granted, Lot::remaining)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("lot_repay", 9L, 3L));
            assertThat(v4.bucket(Samples.BUCKET).debt()).isZero();

            AccountAudit audit = f.stores().audit();
            AccountAudit.Parts v3Parts = new AccountAudit.Parts(0, -6, 0, 20, 0, 0);
            assertThat(v3Parts.creditBreach()).isNull();
            AccountAudit.Parts parts = audit.account(v1.id()).orElseThrow().buckets().get(Samples.BUCKET);
            assertThat(parts).isEqualTo(new AccountAudit.Parts(0, 3, 0, 20, 3, 0));
            assertThat(parts.creditBreach()).isNull();
            assertThat(audit.ledgerTotals(v1.id(), 100).of(Samples.BUCKET).sameSums(parts)).isTrue();
        }
    }
}
