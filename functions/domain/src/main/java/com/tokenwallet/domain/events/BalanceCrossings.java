package com.tokenwallet.domain.events;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.port.BalanceEvents;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WriteObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns committed writes into balance events: for each bucket, {@code wallet.balance.low} when the available
 * tokens went from above its threshold to at or below it, {@code wallet.balance.depleted} when they went from
 * above zero to zero (a write that does both sends both). Only writes that committed are looked at, and each
 * version change of an account is committed by exactly one writer, so each crossing is sent once by the process
 * that caused it (at most once: a crash between the commit and the publish loses it; see the README).
 *
 * <p>Both states are compared at the same instant with their expired holds released, as every rule sees an
 * account, so a hold that expired unnoticed neither hides a crossing nor fakes one.
 */
public final class BalanceCrossings implements WriteObserver {
    private final BalanceThresholds thresholds;
    private final BalanceEvents events;
    private final Clock clock;

    public BalanceCrossings(BalanceThresholds thresholds, BalanceEvents events, Clock clock) {
        this.thresholds = thresholds;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void applied(WalletStore.AccountWrite write) {
        List<BalanceEvent> crossed = crossings(write.before(), write.after(), clock.instant());
        if (!crossed.isEmpty()) {
            events.publish(crossed);
        }
    }

    /** The crossings from {@code before} to {@code after}, both seen at {@code now}. */
    public List<BalanceEvent> crossings(Account before, Account after, Instant now) {
        Account from = before.settle(now).account();
        Account to = after.settle(now).account();
        Set<String> buckets = new LinkedHashSet<>(from.buckets().keySet());
        buckets.addAll(to.buckets().keySet());
        List<BalanceEvent> out = new ArrayList<>();
        for (String bucket : buckets) {
            long was = from.bucket(bucket).available();
            long is = to.bucket(bucket).available();
            thresholds.low(bucket).filter(line -> was > line && is <= line).ifPresent(line ->
                    out.add(new BalanceEvent(BalanceEvent.Type.LOW, after.id(), bucket, line, was, is, after.version(), now)));
            if (was > 0 && is <= 0) {
                out.add(new BalanceEvent(BalanceEvent.Type.DEPLETED, after.id(), bucket, 0, was, is, after.version(), now));
            }
        }
        return out;
    }
}
