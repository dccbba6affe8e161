package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-process guess of each account's state: newest version wins, least recently used goes first. */
class AccountSnapshotsTest {

    private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");

    private static Account account(String id, long version, long purchased) {
        return new Account(AccountId.of(id), null, "free", Period.calendarMonthOf(NOW),
                Map.of("credits", new BucketBalance(0, purchased, 0)), NOW, version);
    }

    @Test
    void remember_thenGet_returnsTheAccount() {
        AccountSnapshots snapshots = new AccountSnapshots(10);
        Account a = account("a", 1, 10);

        snapshots.remember(a);

        assertThat(snapshots.get(AccountId.of("a"))).contains(a);
        assertThat(snapshots.get(AccountId.of("b"))).isEmpty();
    }

    @Test
    void remember_neverPutsBackAnOlderVersion() {
        AccountSnapshots snapshots = new AccountSnapshots(10);
        Account newer = account("a", 5, 3);

        snapshots.remember(newer);
        snapshots.remember(account("a", 4, 9));

        assertThat(snapshots.get(AccountId.of("a"))).contains(newer);
    }

    @Test
    void remember_replacesWithANewerOrEqualVersion() {
        AccountSnapshots snapshots = new AccountSnapshots(10);
        snapshots.remember(account("a", 4, 9));
        Account newer = account("a", 5, 3);

        snapshots.remember(newer);

        assertThat(snapshots.get(AccountId.of("a"))).contains(newer);
    }

    @Test
    void beyondCapacity_theLeastRecentlyUsedIsForgotten() {
        AccountSnapshots snapshots = new AccountSnapshots(2);
        snapshots.remember(account("a", 1, 1));
        snapshots.remember(account("b", 1, 1));
        snapshots.get(AccountId.of("a"));

        snapshots.remember(account("c", 1, 1));

        assertThat(snapshots.get(AccountId.of("a"))).isPresent();
        assertThat(snapshots.get(AccountId.of("b"))).isEmpty();
        assertThat(snapshots.get(AccountId.of("c"))).isPresent();
    }

    @Test
    void forget_removesTheAccount() {
        AccountSnapshots snapshots = new AccountSnapshots(2);
        snapshots.remember(account("a", 1, 1));

        snapshots.forget(AccountId.of("a"));

        assertThat(snapshots.get(AccountId.of("a"))).isEmpty();
    }
}
