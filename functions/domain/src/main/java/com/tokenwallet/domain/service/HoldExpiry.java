package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The background half of hold expiry (reads and writes already treat an expired hold as released): writes the
 * {@code expiry} entries of accounts whose holds expired.
 */
final class HoldExpiry {
    private final AccountWriter writer;

    HoldExpiry(AccountWriter writer) {
        this.writer = writer;
    }

    /** Every account's expired holds, shard by shard, until done or until {@code deadline}; returns how many. */
    int sweepExpiredHolds(Instant deadline, int accountsPerQuery) {
        int expired = 0;
        for (int shard = 0; shard < writer.store.shards(); shard++) {
            for (int round = 0; round < 1_000 && writer.clock.instant().isBefore(deadline); round++) {
                List<AccountId> due = writer.store.accountsWithHoldsExpiredBy(writer.clock.instant(), shard, accountsPerQuery);
                int settledNow = 0;
                for (AccountId id : due) {
                    if (!writer.clock.instant().isBefore(deadline)) {
                        return expired;
                    }
                    settledNow += settleExpiredHolds(id);
                }
                expired += settledNow;
                if (due.size() < accountsPerQuery || settledNow == 0) {
                    break;
                }
            }
        }
        return expired;
    }

    /**
     * Writes the expiry of one account's expired holds and lots (and its period roll-over, if due). Returns how many
     * holds and lots expired.
     */
    int settleExpiredHolds(AccountId id) {
        int[] expiring = {0};
        return writer.writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> {
            expiring[0] = stored.settle(now).expired().size() + stored.settle(now).account().expireLots(now).lapses().size();
            return expiring[0] == 0 ? Optional.empty() : Optional.of(prepared);
        }).isPresent() ? expiring[0] : 0;
    }
}
