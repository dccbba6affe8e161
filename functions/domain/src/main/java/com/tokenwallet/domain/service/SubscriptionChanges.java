package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.AccountWriter.Prepared;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Stripe's changes to an account that are not ledger events of their own: its plan and its customer. */
final class SubscriptionChanges {
    private final AccountWriter writer;

    SubscriptionChanges(AccountWriter writer) {
        this.writer = writer;
    }

    Account changePlan(AccountId id, String planId, boolean replaceAllowanceNow) {
        Plan plan = writer.catalog.plan(planId).orElseThrow(() -> new InvalidRequestException("plan", "Unknown plan " + planId + "."));
        return writer.writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> {
            if (prepared.entries().isEmpty() && stored.plan().equals(plan.id()) && !replaceAllowanceNow) {
                return Optional.empty();
            }
            Account after = prepared.account().withPlan(plan.id());
            List<LedgerEntry> entries = new ArrayList<>(prepared.entries());
            if (replaceAllowanceNow) {
                PlanAllowance.Replaced replaced = PlanAllowance.replace(after, plan, writer.catalog.buckets());
                after = replaced.account();
                replaced.deltas().forEach((bucket, delta) -> entries.add(writer.entry(id, EntryType.PLAN_RESET, bucket, delta.allowance(), delta.purchased(), null,
                        "plan changed to " + plan.id(), now)));
            }
            return Optional.of(new Prepared(after, entries, prepared.sides()));
        }).orElseGet(() -> writer.current(id));
    }

    String linkStripeCustomer(AccountId id, String customerId) {
        return writer.writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> stored.billing().stripeCustomerId() != null
                ? Optional.empty()
                : Optional.of(new Prepared(prepared.account().withBilling(prepared.account().billing().withCustomer(customerId)),
                        prepared.entries(), prepared.sides())))
                .or(() -> writer.store.findAccount(id))
                .map(a -> a.billing().stripeCustomerId())
                .orElseThrow(() -> new AccountNotFoundException(id));
    }
}
