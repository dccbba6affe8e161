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
 * The balance per bucket as it was at an instant (issue 15, {@code GET .../balance?asOf=}), from the ledger: every
 * entry records the parts of every bucket of the account after it ({@link LedgerEntry#balancesAfter()}), so the newest
 * entry at or before the instant answers for all buckets. One read of the ledger's key range up to the instant, newest
 * first, of {@link #FIRST_PAGE} entry, not a replay. (The entries of one write are in transaction id order, so the
 * newest one of a write is its last, whose parts are what the write stored.)
 *
 * <p>Entries written before issue 15 carry no parts: the answer is then the parts of the newest entry that does, plus
 * the deltas of the newer entries without; if none does back to the ledger's start, the sum of all the entries' deltas
 * (every bucket starts at zero). That fallback reads on in pages of {@link #PAGE}, never more than
 * {@link #MAX_ENTRIES} entries, and refuses with 409 {@code as_of_too_deep} beyond (nothing is guessed). A bucket
 * without any entry at or before the instant was zero. The instant is read to the millisecond; an entry made within
 * it counts.
 */
final class BalancesAsOf {
    /** Entries of the first read: the newest entry at or before the instant answers alone (one item, one read unit). */
    static final int FIRST_PAGE = 1;
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
                    + ", after asOf " + at + ".");
        }
        Map<String, BalanceAfter> newer = new HashMap<>();
        Map<String, BalanceAfter> recorded = null;
        Optional<String> after = Optional.empty();
        int read = 0;
        int limit = FIRST_PAGE;
        while (recorded == null) {
            LedgerPage page = writer.store.ledgerAsOf(id, at, limit, after);
            for (LedgerEntry e : page.entries()) {
                read++;
                if (e.balancesAfter() != null) {
                    recorded = e.balancesAfter();
                    break;
                }
                newer.put(e.bucket(), newer.getOrDefault(e.bucket(), BalanceAfter.ZERO).plus(e));
            }
            if (recorded != null) {
                break;
            }
            if (page.continueAfter().isEmpty()) {
                recorded = Map.of();
            } else if (read >= MAX_ENTRIES) {
                throw new ConflictException("as_of_too_deep", "The ledger's entries up to asOf were written before entries "
                        + "recorded balances, and they are more than " + MAX_ENTRIES + "; ask for a later instant, or sum the "
                        + "transactions' export.");
            } else {
                after = page.continueAfter();
                limit = Math.min(PAGE, MAX_ENTRIES - read);
            }
        }
        Set<String> buckets = new LinkedHashSet<>(account.buckets().keySet());
        buckets.addAll(recorded.keySet());
        buckets.addAll(newer.keySet());
        Map<String, BalanceAfter> parts = new LinkedHashMap<>();
        for (String bucket : buckets) {
            BalanceAfter base = recorded.getOrDefault(bucket, BalanceAfter.ZERO);
            BalanceAfter delta = newer.getOrDefault(bucket, BalanceAfter.ZERO);
            parts.put(bucket, new BalanceAfter(base.allowance() + delta.allowance(), base.purchased() + delta.purchased(),
                    base.held() + delta.held()));
        }
        return new BalanceAt(account, at, parts, read);
    }
}
