package com.tokenwallet.domain.admin;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountAudit.LedgerTotals;
import com.tokenwallet.domain.port.AccountAudit.Parts;
import com.tokenwallet.domain.port.AccountAudit.StoredAccount;
import com.tokenwallet.domain.port.AccountAudit.StoredHold;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The invariant of SPEC 1, checked on stored data: for every account examined and every bucket, the ledger's
 * {@code allowanceDelta}s sum to the allowance, its {@code purchasedDelta}s to the purchased part and its
 * {@code heldDelta}s to {@code held}, which is also the sum of the account's pending holds; no part is negative;
 * no pending hold is past its expiry by more than {@link #EXPIRED_HOLD_GRACE} (the sweep runs every minute).
 *
 * <p>Bounded in accounts, time and reads, so it fits in an API request: it walks the account items from a cursor
 * and stops at whichever bound comes first, saying which, with the cursor to go on from. A mismatch is only
 * reported when the account's version was the same before and after its ledger was read (every write changes the
 * account and its entries in one transaction), so a write landing mid-check is re-read, not reported.
 */
public final class HealthCheck {
    public static final int DEFAULT_ACCOUNTS = 200;
    public static final int MAX_ACCOUNTS = 1_000;
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(5);
    /** Past this, a pending hold should have been settled by the every-minute sweep. */
    public static final Duration EXPIRED_HOLD_GRACE = Duration.ofMinutes(5);
    /** Ledger entries read per account; a longer ledger is reported as not checked. */
    public static final int MAX_ENTRIES_PER_ACCOUNT = 10_000;
    /** Items read in one run (account scan and ledgers together). */
    public static final long MAX_ITEMS_READ = 200_000;
    static final int SCAN_PAGE_ITEMS = 200;
    static final int MAX_EXAMPLES = 5;
    /** Re-reads of an account that keeps changing while its ledger is summed. */
    static final int MAX_SETTLE_ATTEMPTS = 3;

    private final AccountAudit audit;
    private final Clock clock;
    private final Duration timeBudget;

    public HealthCheck(AccountAudit audit, Clock clock, Duration timeBudget) {
        this.audit = audit;
        this.clock = clock;
        this.timeBudget = timeBudget;
    }

    /** Examines up to {@code maxAccounts} accounts after {@code cursor} (empty: from the start of the table). */
    public HealthReport run(Optional<String> cursor, int maxAccounts) {
        if (maxAccounts < 1 || maxAccounts > MAX_ACCOUNTS) {
            throw new com.tokenwallet.domain.InvalidRequestException("limit", "'limit' must be a whole number from 1 to " + MAX_ACCOUNTS + ".");
        }
        Run run = new Run(clock.instant().plus(timeBudget));
        Optional<String> position = cursor;
        String stoppedBy = null;
        boolean complete = false;
        // Each page reads at least one item, so the items bound also bounds the number of pages.
        while (stoppedBy == null) {
            if (run.examined >= maxAccounts) {
                stoppedBy = "accounts";
                break;
            }
            if (run.outOfTime()) {
                stoppedBy = "time";
                break;
            }
            if (run.itemsRead >= MAX_ITEMS_READ) {
                stoppedBy = "reads";
                break;
            }
            AccountAudit.Page page = audit.accounts(position, SCAN_PAGE_ITEMS);
            run.itemsRead += Math.max(1, page.itemsRead());
            boolean wholePage = true;
            for (StoredAccount account : page.accounts()) {
                if (run.examined >= maxAccounts || run.outOfTime() || run.itemsRead >= MAX_ITEMS_READ) {
                    wholePage = false;
                    break;
                }
                run.examine(account);
                position = Optional.of(account.position());
            }
            if (wholePage) {
                position = page.next();
                if (position.isEmpty()) {
                    complete = true;
                    break;
                }
            }
        }
        return new HealthReport(run.examined, run.itemsRead, run.entriesRead, complete, Optional.ofNullable(stoppedBy),
                complete ? Optional.empty() : position, run.mismatches.finding(), run.negative.finding(),
                run.expired.finding(), run.unreadable.finding(), run.notChecked.finding(), run.credit.finding());
    }

    /** The counters of one run. */
    private final class Run {
        final Instant deadline;
        final Instant now = clock.instant();
        int examined;
        long itemsRead;
        long entriesRead;
        final HealthReport.Tally mismatches = new HealthReport.Tally(MAX_EXAMPLES);
        final HealthReport.Tally negative = new HealthReport.Tally(MAX_EXAMPLES);
        final HealthReport.Tally expired = new HealthReport.Tally(MAX_EXAMPLES);
        final HealthReport.Tally unreadable = new HealthReport.Tally(MAX_EXAMPLES);
        final HealthReport.Tally notChecked = new HealthReport.Tally(MAX_EXAMPLES);
        final HealthReport.Tally credit = new HealthReport.Tally(MAX_EXAMPLES);

        Run(Instant deadline) {
            this.deadline = deadline;
        }

        boolean outOfTime() {
            return !clock.instant().isBefore(deadline);
        }

        void examine(StoredAccount account) {
            examined++;
            String id = account.id().value();
            if (account.problem().isPresent()) {
                unreadable.add(new HealthReport.Example(id, null, account.problem().get()));
                return;
            }
            account.buckets().forEach((bucket, parts) -> {
                if (parts.allowance() < 0) {
                    negative.add(new HealthReport.Example(id, bucket, "allowance is " + parts.allowance()));
                }
                if (parts.purchased() < 0 && parts.creditLimit() == 0) {
                    negative.add(new HealthReport.Example(id, bucket, "purchased is " + parts.purchased()));
                }
                if (parts.held() < 0) {
                    negative.add(new HealthReport.Example(id, bucket, "held is " + parts.held()));
                }
                String breach = parts.creditBreach();
                if (breach != null) {
                    credit.add(new HealthReport.Example(id, bucket, breach));
                }
            });
            for (StoredHold hold : account.holds()) {
                if (hold.expiresAt().plus(EXPIRED_HOLD_GRACE).isBefore(now)) {
                    expired.add(new HealthReport.Example(id, hold.bucket(), "hold " + hold.holdId() + " of " + hold.amount()
                            + " expired at " + hold.expiresAt() + " and is still pending"));
                }
            }
            checkLedger(account);
        }

        /** Compares the ledger with the account, re-reading the account when it changed while the ledger was read. */
        private void checkLedger(StoredAccount seen) {
            StoredAccount base = seen;
            for (int attempt = 0; attempt < MAX_SETTLE_ATTEMPTS; attempt++) {
                LedgerTotals totals = audit.ledgerTotals(base.id(), MAX_ENTRIES_PER_ACCOUNT);
                entriesRead += totals.entriesRead();
                itemsRead += totals.entriesRead();
                if (!totals.complete()) {
                    notChecked.add(new HealthReport.Example(base.id().value(), null, "the ledger has more than "
                            + MAX_ENTRIES_PER_ACCOUNT + " entries; not summed"));
                    return;
                }
                Map<String, String> disagreements = disagreements(base, totals);
                if (disagreements.isEmpty()) {
                    return;
                }
                Optional<StoredAccount> again = audit.account(base.id());
                itemsRead++;
                if (again.isEmpty()) {
                    return;
                }
                if (again.get().version() == base.version()) {
                    String id = base.id().value();
                    disagreements.forEach((bucket, detail) -> mismatches.add(new HealthReport.Example(id, bucket, detail)));
                    return;
                }
                base = again.get();
            }
            notChecked.add(new HealthReport.Example(seen.id().value(), null, "the account kept changing while its ledger was read"));
        }
    }

    /** Per bucket, what disagrees between the stored parts, the pending holds and the ledger's sums. */
    static Map<String, String> disagreements(StoredAccount account, LedgerTotals totals) {
        Map<String, Long> holdSums = new LinkedHashMap<>();
        account.holds().forEach(h -> holdSums.merge(h.bucket(), h.amount(), Long::sum));
        TreeSet<String> buckets = new TreeSet<>(account.buckets().keySet());
        buckets.addAll(totals.byBucket().keySet());
        buckets.addAll(holdSums.keySet());
        Map<String, String> out = new LinkedHashMap<>();
        for (String bucket : buckets) {
            Parts stored = account.buckets().getOrDefault(bucket, Parts.ZERO);
            Parts ledger = totals.of(bucket);
            long holds = holdSums.getOrDefault(bucket, 0L);
            if (!stored.sameSums(ledger) || stored.held() != holds) {
                out.put(bucket, "stored allowance " + stored.allowance() + ", purchased " + stored.purchased() + ", held "
                        + stored.held() + "; ledger sums allowance " + ledger.allowance() + ", purchased " + ledger.purchased()
                        + ", held " + ledger.held() + "; pending holds " + holds);
            }
        }
        return out;
    }
}
