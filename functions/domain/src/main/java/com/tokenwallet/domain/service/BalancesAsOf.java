package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.ledger.BalanceAfter;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.service.Results.BalanceAt;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The balance per bucket as it was at an instant (issue 15, {@code GET .../balance?asOf=}), from the ledger: for
 * each bucket, the parts recorded by its newest entry at or before the instant ({@link LedgerEntry#balanceAfter()}).
 * One read of the ledger's key range up to the instant, newest first, not a replay: its first page
 * ({@link #FIRST_PAGE} entries) answers when every bucket has an entry among them, the usual case; otherwise it reads
 * on in pages of {@link #PAGE}, never more than {@link #MAX_ENTRIES} entries in all, and refuses with 409
 * {@code as_of_too_deep} when a bucket's newest entry lies deeper (nothing is guessed).
 *
 * <p>Entries written before issue 15 carry no parts: a bucket's parts are then those of its newest entry that does,
 * plus the deltas of its newer entries without; a bucket with none back to the ledger's start (within the same bound)
 * is the sum of its entries' deltas, as every bucket starts at zero. A bucket without any entry at or before the
 * instant was zero. The instant is read to the millisecond; an entry made within it counts.
 */
final class BalancesAsOf {
    static final int FIRST_PAGE = 20;
    static final int PAGE = 100;
    static final int MAX_ENTRIES = 1_000;

    private final AccountWriter writer;

    BalancesAsOf(AccountWriter writer) {
        this.writer = writer;
    }

    BalanceAt at(AccountId id, Instant asOf) {
        Instant at = asOf.truncatedTo(ChronoUnit.MILLIS);
        Instant now = writer.clock.instant();
        if (at.isAfter(now)) {
            throw new InvalidRequestException("asOf", "'asOf' must not be in the future (now is " + now + ").");
        }
        if (at.toEpochMilli() < 0) {
            throw new InvalidRequestException("asOf", "'asOf' must not be before 1970-01-01T00:00:00Z.");
        }
        Account account = writer.current(id);
        if (at.isBefore(account.createdAt().truncatedTo(ChronoUnit.MILLIS))) {
            throw new AccountNotFoundException(id, "Account " + id.value() + " was opened at " + account.createdAt()
                    + ", after asOf " + asOf + ".");
        }
        Set<String> buckets = new LinkedHashSet<>(account.buckets().keySet());
        Map<String, BalanceAfter> found = new HashMap<>();
        Map<String, BalanceAfter> unstamped = new HashMap<>();
        Optional<String> after = Optional.empty();
        int read = 0;
        int limit = FIRST_PAGE;
        while (true) {
            LedgerPage page = writer.store.ledgerAsOf(id, at, limit, after);
            for (LedgerEntry e : page.entries()) {
                read++;
                buckets.add(e.bucket());
                if (found.containsKey(e.bucket())) {
                    continue;
                }
                BalanceAfter newer = unstamped.getOrDefault(e.bucket(), BalanceAfter.ZERO);
                if (e.balanceAfter() != null) {
                    found.put(e.bucket(), new BalanceAfter(e.balanceAfter().allowance() + newer.allowance(),
                            e.balanceAfter().purchased() + newer.purchased(), e.balanceAfter().held() + newer.held()));
                } else {
                    unstamped.put(e.bucket(), newer.plus(e));
                }
            }
            if (found.keySet().containsAll(buckets) || page.continueAfter().isEmpty()) {
                break;
            }
            if (read >= MAX_ENTRIES) {
                Set<String> missing = new LinkedHashSet<>(buckets);
                missing.removeAll(found.keySet());
                throw new ConflictException("as_of_too_deep", "The newest entry at or before asOf of bucket(s) " + missing
                        + " lies more than " + MAX_ENTRIES + " entries deep in the ledger; ask for a later instant, or read "
                        + "the transactions' export.");
            }
            after = page.continueAfter();
            limit = Math.min(PAGE, MAX_ENTRIES - read);
        }
        Map<String, BalanceAfter> parts = new LinkedHashMap<>();
        for (String bucket : buckets) {
            parts.put(bucket, found.getOrDefault(bucket, unstamped.getOrDefault(bucket, BalanceAfter.ZERO)));
        }
        return new BalanceAt(account, at, parts, read);
    }
}
