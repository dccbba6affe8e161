package com.tokenwallet.domain.usage;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.port.WalletStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reading an account's ledger over a {@link LedgerWindow}, page by page through {@link WalletStore#ledgerWindow}:
 * summed into a {@link UsageReport}, or handed entry by entry to an exporter. Bounded: a window spans at most
 * {@link LedgerWindow#MAX_SPAN} and one call reads at most {@link #MAX_ENTRIES} entries; a window that holds more
 * is refused (an {@link InvalidRequestException} on {@code to}, before anything is answered) and must be split.
 */
public final class LedgerHistory {
    /** Entries one call may read. */
    public static final int MAX_ENTRIES = 10_000;
    /** Entries per store read (DynamoDB cuts a page at 1 MB by itself; the next read goes on from there). */
    static final int PAGE = 1_000;

    private final WalletStore store;
    private final int maxEntries;

    public LedgerHistory(WalletStore store) {
        this(store, MAX_ENTRIES);
    }

    /** With a smaller bound, for tests. */
    public LedgerHistory(WalletStore store, int maxEntries) {
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("maxEntries " + maxEntries);
        }
        this.store = store;
        this.maxEntries = maxEntries;
    }

    /** The account's usage per interval of the window (every interval, empty ones included). */
    public UsageReport usage(AccountId id, LedgerWindow window, Granularity granularity) {
        List<LedgerEntry> entries = read(id, window);
        TreeMap<Instant, Map<String, Sums>> byInterval = new TreeMap<>();
        for (Instant start = granularity.start(window.from()); start.isBefore(window.to()); start = granularity.next(start)) {
            byInterval.put(start, new TreeMap<>());
        }
        for (LedgerEntry e : entries) {
            Instant start = granularity.start(LedgerWindow.timeOf(e.transactionId()));
            Map<String, Sums> buckets = byInterval.get(start);
            if (buckets == null) {
                throw new IllegalStateException("entry " + e.transactionId() + " is outside the window it was read from");
            }
            buckets.computeIfAbsent(e.bucket(), b -> new Sums()).add(e);
        }
        List<UsageReport.Interval> intervals = new ArrayList<>(byInterval.size());
        byInterval.forEach((start, buckets) -> {
            Map<String, UsageReport.BucketUsage> usage = new HashMap<>();
            buckets.forEach((bucket, sums) -> {
                if (sums.moved) {
                    usage.put(bucket, sums.freeze());
                }
            });
            intervals.add(new UsageReport.Interval(start, usage));
        });
        return new UsageReport(id, granularity, intervals);
    }

    /**
     * Every entry of the window, oldest first, to {@code sink}, once each. The whole window is read (and checked
     * against the bound) before the first entry is handed on, so a refused export has written nothing.
     */
    public void export(AccountId id, LedgerWindow window, Consumer<LedgerEntry> sink) {
        read(id, window).forEach(sink);
    }

    private List<LedgerEntry> read(AccountId id, LedgerWindow window) {
        if (store.findAccount(id).isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        List<LedgerEntry> entries = new ArrayList<>();
        Optional<String> after = Optional.empty();
        // Every page but the last holds at least one entry (an engine reports "more" only after an entry), so the
        // bound on entries bounds the reads too.
        for (int reads = 0; reads <= maxEntries + 1; reads++) {
            LedgerPage page = store.ledgerWindow(id, window, Math.min(PAGE, maxEntries + 1 - entries.size()), after);
            for (LedgerEntry e : page.entries()) {
                if (!window.contains(e.transactionId())) {
                    throw new IllegalStateException("the store answered entry " + e.transactionId() + " outside the window");
                }
                entries.add(e);
            }
            if (entries.size() > maxEntries) {
                throw new InvalidRequestException("to", "The ledger holds more than " + maxEntries
                        + " entries between 'from' and 'to'; ask for a shorter range.");
            }
            if (page.continueAfter().isEmpty() || page.entries().isEmpty()) {
                return entries;
            }
            after = page.continueAfter();
        }
        throw new IllegalStateException("the ledger window of " + id.value() + " never ended");
    }

    /** One bucket's sums in one interval, while they are being added up. */
    private static final class Sums {
        long consumed;
        long refunded;
        long granted;
        long purchased;
        boolean moved;
        final Map<String, Long> byOperation = new TreeMap<>();

        void add(LedgerEntry e) {
            switch (e.type()) {
                case DEBIT, CAPTURE -> {
                    consumed = Math.addExact(consumed, -e.amount());
                    if (e.operation() != null) {
                        byOperation.merge(e.operation(), -e.amount(), Math::addExact);
                    }
                    moved = true;
                }
                case REFUND -> {
                    refunded = Math.addExact(refunded, e.amount());
                    moved = true;
                }
                case SIGNUP_GRANT, GRANT, ADJUSTMENT, PLAN_RESET -> {
                    granted = Math.addExact(granted, e.amount());
                    moved = true;
                }
                case PURCHASE, CLAWBACK -> {
                    purchased = Math.addExact(purchased, e.amount());
                    moved = true;
                }
                case HOLD, RELEASE, EXPIRY -> {
                    // They move held tokens only: nothing was consumed, returned or added.
                }
            }
        }

        UsageReport.BucketUsage freeze() {
            return new UsageReport.BucketUsage(consumed, refunded, granted, purchased, byOperation);
        }
    }
}
