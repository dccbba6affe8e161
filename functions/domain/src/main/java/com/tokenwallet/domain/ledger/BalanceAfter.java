package com.tokenwallet.domain.ledger;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * A bucket's parts right after a ledger entry: what {@code allowance}, {@code purchased} and {@code held} were once
 * the entry's write was applied (issue 15, balances as of an instant). Every entry written since issue 15 carries
 * them for every bucket of the account, stored in the same atomic write as the entry; entries written before have
 * none ({@code null} {@link LedgerEntry#balancesAfter()}), and are read by summing their deltas instead (see
 * BalancesAsOf).
 */
public record BalanceAfter(long allowance, long purchased, long held) {

    public static final BalanceAfter ZERO = new BalanceAfter(0, 0, 0);

    public static BalanceAfter of(BucketBalance b) {
        return new BalanceAfter(b.allowance(), b.purchased(), b.held());
    }

    /** The parts after a later entry of the same bucket: these plus its deltas. */
    public BalanceAfter plus(LedgerEntry e) {
        return new BalanceAfter(Math.addExact(allowance, e.allowanceDelta()), Math.addExact(purchased, e.purchasedDelta()),
                Math.addExact(held, e.heldDelta()));
    }

    /** The parts before an entry whose parts after it are these: these minus its deltas. */
    public BalanceAfter minus(LedgerEntry e) {
        return new BalanceAfter(Math.subtractExact(allowance, e.allowanceDelta()),
                Math.subtractExact(purchased, e.purchasedDelta()), Math.subtractExact(held, e.heldDelta()));
    }

    /** The bucket's debt after the entry: the purchased part below zero (issue 15), else 0. */
    public long debt() {
        return Math.max(0, -purchased);
    }

    /** The purchased part as the API shows it: 0 while there is debt ({@link #debt()} says how much). */
    public long purchasedWithoutDebt() {
        return Math.max(0, purchased);
    }

    /** What a new debit or hold could have used: {@code allowance + purchased - held}. */
    public long available() {
        return allowance + purchased - held;
    }

    /**
     * The entries of one write, each carrying the parts of every bucket of the account after it. The write stores
     * {@code after}, so the last entry gets {@code after}'s parts, and each earlier entry the parts before the next
     * one (its bucket's part minus the later entry's deltas). Entries keep their order.
     */
    public static List<LedgerEntry> stamp(Account after, List<LedgerEntry> entries) {
        Map<String, BalanceAfter> running = new TreeMap<>();
        after.buckets().forEach((name, b) -> running.put(name, of(b)));
        LedgerEntry[] out = new LedgerEntry[entries.size()];
        for (int i = entries.size() - 1; i >= 0; i--) {
            LedgerEntry e = entries.get(i);
            running.putIfAbsent(e.bucket(), ZERO);
            out[i] = e.withBalancesAfter(running);
            running.put(e.bucket(), running.get(e.bucket()).minus(e));
        }
        return new ArrayList<>(List.of(out));
    }

    /**
     * The stored form of an entry's parts, every bucket in name order: {@code credits:0/25/10,dol:3/0/0} (allowance,
     * purchased, held). Bucket names are {@code [a-z][a-z0-9_]*}, so the form is unambiguous and about 15 bytes a bucket.
     */
    public static String format(Map<String, BalanceAfter> parts) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(parts).forEach((bucket, p) -> {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(bucket).append(':').append(p.allowance()).append('/').append(p.purchased()).append('/').append(p.held());
        });
        return out.toString();
    }

    /** Reads {@link #format}'s form back. */
    public static Map<String, BalanceAfter> parse(String stored) {
        Map<String, BalanceAfter> parts = new TreeMap<>();
        if (stored.isEmpty()) {
            return parts;
        }
        for (String one : stored.split(",")) {
            int colon = one.indexOf(':');
            String[] n = one.substring(colon + 1).split("/");
            if (colon < 1 || n.length != 3) {
                throw new IllegalArgumentException("not a stored balance: " + stored);
            }
            parts.put(one.substring(0, colon), new BalanceAfter(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2])));
        }
        return parts;
    }
}
