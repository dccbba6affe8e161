package com.tokenwallet.domain.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountAudit.LedgerTotals;
import com.tokenwallet.domain.port.AccountAudit.Parts;
import com.tokenwallet.domain.port.AccountAudit.StoredAccount;
import com.tokenwallet.domain.port.AccountAudit.StoredHold;
import com.tokenwallet.domain.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The health report on stored data: what it finds, and the bounds it keeps (accounts, time, re-reads). */
class HealthCheckTest {
    private final MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    private final FakeAudit audit = new FakeAudit();
    private final HealthCheck check = new HealthCheck(audit, clock, Duration.ofSeconds(5));

    @Test
    void aHealthyTable_isReportedCompleteWithNothingFound() {
        for (int i = 0; i < 7; i++) {
            audit.healthy("acct-" + i, 10);
        }
        HealthReport report = check.run(Optional.empty(), 100);

        assertThat(report.complete()).isTrue();
        assertThat(report.accountsExamined()).isEqualTo(7);
        assertThat(report.next()).isEmpty();
        assertThat(report.stoppedBy()).isEmpty();
        assertThat(List.of(report.ledgerMismatches(), report.negativeParts(), report.expiredHolds(), report.unreadable()))
                .allSatisfy(f -> assertThat(f.count()).isZero());
    }

    @Test
    void findsEachKindOfProblem_withExamples() {
        audit.healthy("fine", 10);
        audit.put("drifted", 1, Map.of("credits", new Parts(0, 50, 0)), List.of(), Map.of("credits", new Parts(0, 10, 0)));
        audit.put("negative", 1, Map.of("credits", new Parts(0, -5, 0)), List.of(), Map.of("credits", new Parts(0, -5, 0)));
        audit.put("stale-hold", 1, Map.of("credits", new Parts(0, 10, 4)),
                List.of(new StoredHold("hold_1", "credits", 4, clock.instant().minus(Duration.ofMinutes(30)))),
                Map.of("credits", new Parts(0, 10, 4)));
        audit.put("fresh-hold", 1, Map.of("credits", new Parts(0, 10, 4)),
                List.of(new StoredHold("hold_2", "credits", 4, clock.instant().minus(Duration.ofMinutes(1)))),
                Map.of("credits", new Parts(0, 10, 4)));
        audit.put("held-drift", 1, Map.of("credits", new Parts(0, 10, 3)), List.of(), Map.of("credits", new Parts(0, 10, 3)));
        audit.unreadable("broken", "lacks number attribute version");

        HealthReport report = check.run(Optional.empty(), 100);

        assertThat(report.ledgerMismatches().examples()).extracting(HealthReport.Example::accountId)
                .containsExactlyInAnyOrder("drifted", "held-drift");
        assertThat(report.ledgerMismatches().examples()).filteredOn(e -> e.accountId().equals("drifted")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("stored allowance 0, purchased 50").contains("ledger sums allowance 0, purchased 10"));
        assertThat(report.negativeParts().count()).isEqualTo(1);
        assertThat(report.negativeParts().examples().getFirst()).isEqualTo(new HealthReport.Example("negative", "credits", "purchased is -5"));
        assertThat(report.expiredHolds().examples()).extracting(HealthReport.Example::accountId).containsExactly("stale-hold");
        assertThat(report.unreadable().examples()).extracting(HealthReport.Example::accountId).containsExactly("broken");
        assertThat(report.accountsExamined()).isEqualTo(7);
    }

    @Test
    void stopsAtTheAccountBound_andTheCursorGoesOnWhereItStopped() {
        for (int i = 0; i < 25; i++) {
            audit.healthy(String.format("acct-%02d", i), 1);
        }
        List<String> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        for (int run = 0; run < 10; run++) {
            HealthReport report = check.run(cursor, 10);
            seen.add(report.accountsExamined() + (report.complete() ? "!" : ""));
            if (report.complete()) {
                break;
            }
            assertThat(report.stoppedBy()).contains("accounts");
            cursor = report.next();
        }
        assertThat(seen).containsExactly("10", "10", "5!");
        assertThat(audit.ledgerReads).hasSize(25).doesNotHaveDuplicates();
    }

    @Test
    void stopsWhenItsTimeIsSpent() {
        for (int i = 0; i < 20; i++) {
            audit.healthy("acct-" + i, 1);
        }
        audit.onLedgerRead = () -> clock.advance(Duration.ofSeconds(1));

        HealthReport report = check.run(Optional.empty(), 1000);

        assertThat(report.complete()).isFalse();
        assertThat(report.stoppedBy()).contains("time");
        assertThat(report.accountsExamined()).isEqualTo(5);
        assertThat(report.next()).isPresent();
    }

    @Test
    void anAccountWrittenWhileItsLedgerIsRead_isReReadNotReported() {
        audit.put("busy", 1, Map.of("credits", new Parts(0, 10, 0)), List.of(), Map.of("credits", new Parts(0, 9, 0)));
        // The scan saw version 1 (10 purchased); a debit commits version 2 (9) before the ledger is summed.
        audit.accounts.get("busy").afterScan = new StoredAccount(AccountId.of("busy"), "busy", 2,
                Map.of("credits", new Parts(0, 9, 0)), List.of(), Optional.empty());

        HealthReport report = check.run(Optional.empty(), 10);

        assertThat(report.ledgerMismatches().count()).isZero();
        assertThat(report.notChecked().count()).isZero();
    }

    /** Accounts in key order, one per page item, with their ledger sums. */
    private static final class FakeAudit implements AccountAudit {
        final TreeMap<String, Entry> accounts = new TreeMap<>();
        final List<String> ledgerReads = new ArrayList<>();
        Runnable onLedgerRead = () -> { };

        static final class Entry {
            StoredAccount scanned;
            StoredAccount afterScan;
            LedgerTotals totals;
        }

        void healthy(String id, long purchased) {
            put(id, 1, Map.of("credits", new Parts(0, purchased, 0)), List.of(), Map.of("credits", new Parts(0, purchased, 0)));
        }

        void put(String id, long version, Map<String, Parts> buckets, List<StoredHold> holds, Map<String, Parts> ledger) {
            Entry e = new Entry();
            e.scanned = new StoredAccount(AccountId.of(id), id, version, buckets, holds, Optional.empty());
            e.totals = new LedgerTotals(ledger, 3, true);
            accounts.put(id, e);
        }

        void unreadable(String id, String problem) {
            Entry e = new Entry();
            e.scanned = new StoredAccount(AccountId.of(id), id, 0, Map.of(), List.of(), Optional.of(problem));
            accounts.put(id, e);
        }

        @Override
        public Page accounts(Optional<String> after, int maxItems) {
            var tail = after.isPresent() ? accounts.tailMap(after.get(), false) : accounts;
            List<StoredAccount> page = tail.values().stream().limit(4).map(e -> e.scanned).toList();
            Optional<String> next = tail.size() > page.size() ? Optional.of(page.getLast().position()) : Optional.empty();
            return new Page(page, page.size(), next);
        }

        @Override
        public Optional<StoredAccount> account(AccountId id) {
            Entry e = accounts.get(id.value());
            return Optional.ofNullable(e.afterScan != null ? e.afterScan : e.scanned);
        }

        @Override
        public LedgerTotals ledgerTotals(AccountId id, int maxEntries) {
            ledgerReads.add(id.value());
            onLedgerRead.run();
            return accounts.get(id.value()).totals;
        }
    }

}
