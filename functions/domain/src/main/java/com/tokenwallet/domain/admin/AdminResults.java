package com.tokenwallet.domain.admin;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.ledger.LedgerEntry;
import java.util.List;
import java.util.Optional;

/** What the admin use cases answer. */
public final class AdminResults {
    private AdminResults() {
    }

    /** A grant or an adjustment: its ledger entry and the bucket after it. */
    public record Receipt(LedgerEntry entry, BucketBalance balance) {
    }

    /** A credit limit set: its {@code credit_limit} entry, the limit before, and the bucket after it. */
    public record CreditLimitSet(LedgerEntry entry, long previousCreditLimit, BucketBalance balance) {
    }

    /** A plan change: the account after it, the plan before, and the entries it wrote (at least one). */
    public record PlanChanged(Account account, String previousPlan, List<LedgerEntry> entries) {
        public PlanChanged {
            entries = List.copyOf(entries);
        }
    }

    /** What an operator sees of an account: its state (billing, pending holds) and its latest ledger entries. */
    public record AccountView(Account account, List<LedgerEntry> latestEntries, Optional<String> moreAfter) {
        public AccountView {
            latestEntries = List.copyOf(latestEntries);
        }
    }
}
