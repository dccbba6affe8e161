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
 * Stripe events, an operator settling an owed payment): moved to the current period (its unused allowance rolled
 * over by the plan's caps), with holds pending past their expiry released, and the tokens of lots expired by now
 * taken out (one {@code expiry} entry per lot, reference the lot's id). The entries and hold records that make this so go into the same write as the rule's own.
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
        Account.LotsExpired lots = rolled.account().expireLots(now);
        entries.addAll(lotExpiries(stored.id(), lots.lapses(), now, ids));
        return new Prepared(lots.account(), entries, sides);
    }

    /**
     * How many lots may each have an {@code expiry} entry of their own in one write. A write is one DynamoDB
     * transaction of at most 100 items, of which expired holds may take 50 (25 entries, 25 records); lots past this
     * bound lapse in one entry per bucket (no reference, the count in its description), in the same write.
     */
    static final int MAX_LOT_EXPIRY_ENTRIES = 24;

    private static List<LedgerEntry> lotExpiries(com.tokenwallet.domain.account.AccountId id,
                                                 List<com.tokenwallet.domain.account.BucketBalance.Lapse> lapses, Instant now,
                                                 TransactionIds ids) {
        List<LedgerEntry> entries = new ArrayList<>();
        java.util.Map<String, long[]> rest = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lapses.size(); i++) {
            com.tokenwallet.domain.account.Lot lot = lapses.get(i).lot();
            long lapsed = lapses.get(i).lapsed();
            if (i < MAX_LOT_EXPIRY_ENTRIES) {
                entries.add(new LedgerEntry(ids.next(), id, EntryType.EXPIRY, lot.bucket(), -lapsed, 0, -lapsed, null, lot.lotId(),
                        "lot " + lot.lotId() + " (" + lot.source().wireName() + ") expired at " + lot.expiresAt() + "; "
                                + lapsed + " tokens lapsed", null, now));
            } else {
                long[] sum = rest.computeIfAbsent(lot.bucket(), b -> new long[2]);
                sum[0]++;
                sum[1] += lapsed;
            }
        }
        rest.forEach((bucket, sum) -> entries.add(new LedgerEntry(ids.next(), id, EntryType.EXPIRY, bucket, -sum[1], 0, -sum[1], null,
                null, sum[0] + " more lots expired by " + now + "; " + sum[1] + " tokens lapsed", null, now)));
        return entries;
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
        // The unused allowance up to the plan's caps becomes a rollover lot (issue 15), the rest lapses below.
        AllowanceRollover.Rolled carried = AllowanceRollover.carry(account, plan, account.period(), next, now);
        List<LedgerEntry> entries = new ArrayList<>();
        for (AllowanceRollover.Carried c : carried.carried()) {
            entries.add(new LedgerEntry(ids.next(), account.id(), EntryType.PLAN_RESET, c.bucket(), 0, -c.tokens(), c.tokens(), null,
                    c.lot().lotId(), c.tokens() + " unused allowance of period " + account.period().id() + " rolled over"
                    + (c.lot().expiresAt() == null ? "" : ", expiring at " + c.lot().expiresAt()), null, now));
        }
        PlanAllowance.Replaced replaced = PlanAllowance.replace(carried.account().withPeriod(next), plan, catalog.buckets());
        replaced.deltas().forEach((bucket, delta) -> entries.add(new LedgerEntry(ids.next(), account.id(), EntryType.PLAN_RESET, bucket,
                delta.amount(), delta.allowance(), delta.purchased(), null, null, "period " + next.id() + ", plan " + plan.id(), null, now)));
        return new Rollover(replaced.account(), entries);
    }

    /** An account moved to the current period, and the ledger entries of the move (none if it was current). */
    public record Rollover(Account account, List<LedgerEntry> entries) {
    }
}
