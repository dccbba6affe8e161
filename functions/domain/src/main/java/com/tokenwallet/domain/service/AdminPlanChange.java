package com.tokenwallet.domain.service;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
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
 * Moves an account to another plan as an admin, with the allowance replaced now or at the next period. It always
 * writes an entry (plan_reset entries, or one of 0 tokens on the signup bucket), so the ledger records who changed
 * the plan and why. Once per Idempotency-Key if one is given.
 */
final class AdminPlanChange {
    private final AccountWriter writer;

    AdminPlanChange(AccountWriter writer) {
        this.writer = writer;
    }

    Answer changePlanAsAdmin(AdminCommands.PlanChange command, Function<AdminResults.PlanChanged, StoredResponse> render) {
        Plan plan = writer.catalog.plan(command.plan()).orElseThrow(() -> new InvalidRequestException("plan",
                "Unknown plan '" + command.plan() + "'. Known: " + new java.util.TreeSet<>(writer.catalog.plans().keySet()) + "."));
        return AdminWrites.write(writer, command.accountId(), command.idempotency(), (account, now) -> {
            String description = "plan " + account.plan() + " -> " + plan.id()
                    + (command.resetAllowance() ? ", allowance replaced now" : ", allowance at the next period")
                    + command.reason().map(r -> ": " + r).orElse("");
            String metadata = AdminWrites.metadata(command.admin(), null);
            Account after = account.withPlan(plan.id());
            List<LedgerEntry> entries = new ArrayList<>();
            if (command.resetAllowance()) {
                PlanAllowance.Replaced replaced = PlanAllowance.replace(after, plan, writer.catalog.buckets());
                after = replaced.account();
                replaced.deltas().forEach((bucket, delta) -> entries.add(new LedgerEntry(writer.ids.next(), account.id(),
                        EntryType.PLAN_RESET, bucket, delta.amount(), delta.allowance(), delta.purchased(), null, null, description, metadata, now)));
            }
            if (entries.isEmpty()) {
                entries.add(new LedgerEntry(writer.ids.next(), account.id(), EntryType.PLAN_RESET, writer.catalog.signupGrantBucket(), 0, 0, 0,
                        null, null, description, metadata, now));
            }
            return new Change(after, entries, List.of(), render.apply(new AdminResults.PlanChanged(after, account.plan(), entries)));
        });
    }
}
