package com.tokenwallet.domain.ledger;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bucket's parts right after a ledger entry: what {@code allowance}, {@code purchased} and {@code held} were once
 * the entry's write was applied (issue 15, balances as of an instant). Every entry written since issue 15 carries
 * one, stored in the same atomic write as the entry; entries written before have none ({@code null} in
 * {@link LedgerEntry#balanceAfter()}), and are read by summing their deltas instead (see BalancesAsOf).
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

    /** What a new debit or hold could have used: {@code allowance + purchased - held}. */
    public long available() {
        return allowance + purchased - held;
    }

    /**
     * The entries of one write, each carrying its bucket's parts after it. The write stores {@code after}, so the last
     * entry of each bucket gets that bucket's parts in {@code after}, and each earlier entry of the bucket the parts
     * before the next one (after minus the later entries' deltas). Entries keep their order.
     */
    public static List<LedgerEntry> stamp(Account after, List<LedgerEntry> entries) {
        Map<String, BalanceAfter> running = new HashMap<>();
        LedgerEntry[] out = new LedgerEntry[entries.size()];
        for (int i = entries.size() - 1; i >= 0; i--) {
            LedgerEntry e = entries.get(i);
            BalanceAfter parts = running.computeIfAbsent(e.bucket(), b -> of(after.bucket(b)));
            out[i] = e.withBalanceAfter(parts);
            running.put(e.bucket(), parts.minus(e));
        }
        return new ArrayList<>(List.of(out));
    }
}
