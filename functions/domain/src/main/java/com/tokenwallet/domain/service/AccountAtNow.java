package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The account as every rule must see it at {@code now}, whoever writes it (the wallet's requests, its jobs, the
 * Stripe events, an operator settling an owed payment): moved to the current period, and with holds pending past
 * their expiry released. The entries and hold records that make this so go into the same write as the rule's own.
 */
public final class AccountAtNow {
    private AccountAtNow() {
    }

    /** The account at {@code now}, and the ledger entries and side writes of getting it there (none if it was). */
    public record Prepared(Account account, List<LedgerEntry> entries, List<SideWrite> sides) {
        public Prepared {
            entries = List.copyOf(entries);
            sides = List.copyOf(sides);
        }
    }

    public static Prepared of(Account stored, Instant now, Catalog catalog, TransactionIds ids) {
        Account.Settled settled = stored.settle(now);
        List<LedgerEntry> entries = new ArrayList<>();
        List<SideWrite> sides = new ArrayList<>();
        for (PendingHold hold : settled.expired()) {
            String transactionId = ids.next();
            entries.add(new LedgerEntry(transactionId, stored.id(), EntryType.EXPIRY, hold.bucket(), 0, 0, 0, null,
                    hold.holdId(), "hold expired at " + hold.expiresAt() + "; " + hold.amount() + " released", null, now, -hold.amount()));
            sides.add(new SideWrite.ResolveHold(hold.holdId(), HoldStatus.EXPIRED, 0, transactionId, now));
        }
        Rollover rolled = rollOver(settled.account(), now, catalog, ids);
        entries.addAll(rolled.entries());
        return new Prepared(rolled.account(), entries, sides);
    }

    /**
     * SPEC 4: an account whose calendar period has ended moves to the period containing {@code now}, its
     * allowance replaced by its plan's, with one {@code plan_reset} entry per bucket whose allowance changes. The
     * monthly job does the same for accounts nobody touches; whichever writes first wins (the write is
     * conditioned on the version), so it happens once. An allowance never drops below what holds need. An account
     * on a Stripe subscription is left alone: its period moves when its invoice is paid.
     */
    static Rollover rollOver(Account account, Instant now, Catalog catalog, TransactionIds ids) {
        if (!account.calendarPeriodEndedBy(now)) {
            return new Rollover(account, List.of());
        }
        Plan plan = catalog.planOrDefault(account.plan());
        Period next = Period.calendarMonthOf(now);
        PlanAllowance.Replaced replaced = PlanAllowance.replace(account.withPeriod(next), plan, catalog.buckets());
        List<LedgerEntry> entries = new ArrayList<>();
        replaced.deltas().forEach((bucket, delta) -> entries.add(new LedgerEntry(ids.next(), account.id(), EntryType.PLAN_RESET, bucket,
                delta, delta, 0, null, null, "period " + next.id() + ", plan " + plan.id(), null, now)));
        return new Rollover(replaced.account(), entries);
    }

    /** An account moved to the current period, and the ledger entries of the move (none if it was current). */
    record Rollover(Account account, List<LedgerEntry> entries) {
    }
}
