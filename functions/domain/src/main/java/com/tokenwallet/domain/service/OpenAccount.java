package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.Results.Opened;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Opens an account with its plan's allowance and the signup grant, exactly once. */
final class OpenAccount {
    private final AccountWriter writer;

    OpenAccount(AccountWriter writer) {
        this.writer = writer;
    }

    Opened open(CreateAccountCommand command) {
        Catalog catalog = writer.catalog;
        Instant now = writer.clock.instant();
        Plan plan = catalog.planOrDefault(catalog.defaultPlan());
        Map<String, BucketBalance> buckets = new LinkedHashMap<>();
        List<LedgerEntry> opening = new ArrayList<>();
        for (String bucket : catalog.buckets()) {
            long allowance = plan.allowanceFor(bucket);
            buckets.put(bucket, new BucketBalance(allowance, 0, 0));
            if (allowance > 0) {
                opening.add(writer.entry(command.accountId(), EntryType.PLAN_RESET, bucket, allowance, 0, null, "plan " + plan.id(), now));
            }
        }
        if (catalog.signupGrantTokens() > 0) {
            String bucket = catalog.signupGrantBucket();
            buckets.put(bucket, buckets.get(bucket).plusPurchased(catalog.signupGrantTokens()));
            opening.add(writer.entry(command.accountId(), EntryType.SIGNUP_GRANT, bucket, 0, catalog.signupGrantTokens(), null, "signup grant", now));
        }
        Account account = new Account(command.accountId(), command.email().orElse(null), plan.id(),
                Period.calendarMonthOf(now), buckets, now, 1);
        return switch (writer.store.create(account, com.tokenwallet.domain.ledger.BalanceAfter.stamp(account, opening))) {
            case WalletStore.CreateResult.Created created -> {
                writer.snapshots.remember(created.account());
                yield new Opened(created.account(), true);
            }
            case WalletStore.CreateResult.AlreadyExists existing -> {
                writer.snapshots.remember(existing.account());
                yield new Opened(existing.account(), false);
            }
        };
    }
}
