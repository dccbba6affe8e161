package com.tokenwallet.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.usage.UsageReport.BucketUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Usage per interval and bucket, and the export's reads, from an account's ledger through the store's window reads. */
class LedgerHistoryTest {
    private static final Instant DAY1 = Instant.parse("2026-11-01T00:00:00Z");
    private static final AccountId PAT = AccountId.of("pat");

    private final MutableClock clock = new MutableClock(DAY1);
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    private final TransactionIds ids = new TransactionIds(clock);
    private final List<LedgerEntry> ledger = new ArrayList<>();

    private void at(String isoInstant, EntryType type, String bucket, long allowanceDelta, long purchasedDelta, String operation) {
        clock.set(Instant.parse(isoInstant));
        ledger.add(new LedgerEntry(ids.next(), PAT, type, bucket, allowanceDelta + purchasedDelta, allowanceDelta, purchasedDelta,
                operation, null, null, null, clock.instant()));
    }

    private void stored() {
        Account account = new Account(PAT, null, "free", Period.calendarMonthOf(DAY1),
                Map.of("credits", new BucketBalance(0, 0, 0)), DAY1, 1);
        store.create(account, ledger);
    }

    @Test
    void usage_sumsEachKindPerDayAndBucket_andListsEveryDayOfTheWindow() {
        // given
        at("2026-11-01T08:00:00Z", EntryType.SIGNUP_GRANT, "credits", 0, 10, null);
        at("2026-11-01T09:00:00Z", EntryType.DEBIT, "credits", 0, -5, "text_interview");
        at("2026-11-01T09:30:00Z", EntryType.DEBIT, "credits", 0, -1, "ai_chat");
        at("2026-11-01T10:00:00Z", EntryType.REFUND, "credits", 0, 1, null);
        at("2026-11-01T11:00:00Z", EntryType.HOLD, "credits", 0, 0, "ai_chat");
        at("2026-11-01T23:59:59.999Z", EntryType.CAPTURE, "credits", 0, -1, "ai_chat");
        at("2026-11-03T00:00:00Z", EntryType.PURCHASE, "credits", 0, 160, null);
        at("2026-11-03T01:00:00Z", EntryType.CLAWBACK, "credits", 0, -10, null);
        at("2026-11-03T02:00:00Z", EntryType.PLAN_RESET, "mockup", 3, 0, null);
        at("2026-11-03T03:00:00Z", EntryType.DEBIT, "mockup", -1, 0, "mockup");
        at("2026-11-03T04:00:00Z", EntryType.DEBIT, "credits", 0, -2, null);
        at("2026-11-04T00:00:00Z", EntryType.GRANT, "credits", 0, 99, null);
        stored();

        // when
        UsageReport report = new LedgerHistory(store).usage(PAT, new LedgerWindow(DAY1, Instant.parse("2026-11-04T00:00:00Z")), Granularity.DAY);

        // then
        assertThat(report.accountId()).isEqualTo(PAT);
        assertThat(report.intervals()).extracting(UsageReport.Interval::start).containsExactly(DAY1,
                Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-03T00:00:00Z"));
        assertThat(report.intervals().get(0).buckets()).containsOnlyKeys("credits");
        assertThat(report.intervals().get(0).buckets().get("credits"))
                .isEqualTo(new BucketUsage(7, 1, 10, 0, Map.of("text_interview", 5L, "ai_chat", 2L)));
        assertThat(report.intervals().get(1).buckets()).as("a day with no entries").isEmpty();
        assertThat(report.intervals().get(2).buckets()).containsOnlyKeys("credits", "mockup");
        assertThat(report.intervals().get(2).buckets().get("credits")).as("a debit by amount names no operation")
                .isEqualTo(new BucketUsage(2, 0, 0, 150, Map.of()));
        assertThat(report.intervals().get(2).buckets().get("mockup")).isEqualTo(new BucketUsage(1, 0, 3, 0, Map.of("mockup", 1L)));
    }

    @Test
    void usage_byHour_startsAtTheHourThatHoldsFrom() {
        at("2026-11-01T09:10:00Z", EntryType.DEBIT, "credits", 0, -5, "text_interview");
        at("2026-11-01T11:59:00Z", EntryType.DEBIT, "credits", 0, -1, "ai_chat");
        stored();

        UsageReport report = new LedgerHistory(store).usage(PAT,
                new LedgerWindow(Instant.parse("2026-11-01T09:05:00Z"), Instant.parse("2026-11-01T12:00:00Z")), Granularity.HOUR);

        assertThat(report.intervals()).extracting(UsageReport.Interval::start).containsExactly(
                Instant.parse("2026-11-01T09:00:00Z"), Instant.parse("2026-11-01T10:00:00Z"), Instant.parse("2026-11-01T11:00:00Z"));
        assertThat(report.intervals().get(0).buckets().get("credits").consumed()).isEqualTo(5);
        assertThat(report.intervals().get(1).buckets()).isEmpty();
        assertThat(report.intervals().get(2).buckets().get("credits").byOperation()).isEqualTo(Map.of("ai_chat", 1L));
    }

    @Test
    void aWindowHoldingMoreEntriesThanTheBound_isRefused_butOneAtTheBoundIsRead() {
        for (int i = 0; i < 25; i++) {
            at("2026-11-01T09:00:" + String.format("%02d", i) + "Z", EntryType.DEBIT, "credits", 0, -1, "ai_chat");
        }
        stored();
        LedgerWindow window = new LedgerWindow(DAY1, DAY1.plus(Duration.ofDays(1)));

        assertThatThrownBy(() -> new LedgerHistory(store, 24).usage(PAT, window, Granularity.DAY))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("more than 24 entries")
                .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("to");
        List<LedgerEntry> exported = new ArrayList<>();
        new LedgerHistory(store, 25).export(PAT, window, exported::add);
        assertThat(exported).containsExactlyElementsOf(ledger);
    }

    @Test
    void windows_areBoundedAndOrdered() {
        assertThatThrownBy(() -> new LedgerWindow(DAY1, DAY1.plus(Duration.ofDays(92)).plusMillis(1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 92 days");
        assertThat(new LedgerWindow(DAY1, DAY1.plus(Duration.ofDays(92))).to()).isEqualTo(DAY1.plus(Duration.ofDays(92)));
        assertThatThrownBy(() -> new LedgerWindow(DAY1, DAY1)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> new LedgerWindow(DAY1, DAY1.minusSeconds(1))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> new LedgerWindow(Instant.parse("1969-12-31T00:00:00Z"), DAY1.minusSeconds(1)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void anUnknownAccount_isNotFound() {
        assertThatThrownBy(() -> new LedgerHistory(store).usage(PAT, new LedgerWindow(DAY1, DAY1.plusSeconds(60)), Granularity.DAY))
                .isInstanceOf(AccountNotFoundException.class);
    }

    @Test
    void theWindow_isTheTransactionIdsTime() {
        clock.set(Instant.parse("2026-11-02T10:15:30.123Z"));
        String id = ids.next();
        assertThat(LedgerWindow.timeOf(id)).isEqualTo(Instant.parse("2026-11-02T10:15:30.123Z"));
        assertThat(new LedgerWindow(Instant.parse("2026-11-02T10:15:30.123Z"), Instant.parse("2026-11-02T10:15:30.124Z")).contains(id)).isTrue();
        assertThat(new LedgerWindow(Instant.parse("2026-11-02T10:15:30.124Z"), Instant.parse("2026-11-02T11:00:00Z")).contains(id)).isFalse();
        assertThat(new LedgerWindow(DAY1, Instant.parse("2026-11-02T10:15:30.123Z")).contains(id)).isFalse();
        assertThat(new LedgerWindow(DAY1, Instant.parse("2026-11-03T00:00:00Z")).contains("tx_1")).isFalse();
    }
}
