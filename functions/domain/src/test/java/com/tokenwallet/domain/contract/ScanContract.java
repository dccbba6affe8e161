package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.created;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The segmented scan the monthly jobs walk every account with, and the checkpoints and leases of their segments. */
public interface ScanContract extends ContractSupport {

    @Test
    default void theSegments_returnEveryAccountExactlyOnce_inPagesOfAtMostTheLimit() {
        try (Fresh f = fresh()) {
            Map<AccountId, Account> accounts = new HashMap<>();
            for (int i = 0; i < 45; i++) {
                Account a = created(f.wallet(), f.samples(), "scan-" + i, 10);
                if (i % 3 == 0) {
                    a = applied(f.wallet(), f.samples().debit(a, 1, Optional.of("k-" + i)));
                }
                accounts.put(a.id(), a);
            }
            for (int segments : List.of(1, 4, 7)) {
                for (int limit : List.of(1, 5, 100)) {
                    Map<AccountId, Integer> seen = new HashMap<>();
                    for (int segment = 0; segment < segments; segment++) {
                        for (Account a : wholeSegment(f.stores().scan(), segment, segments, limit)) {
                            seen.merge(a.id(), 1, Integer::sum);
                            assertThat(a).as("the scan reads accounts as they are").isEqualTo(accounts.get(a.id()));
                        }
                    }
                    assertThat(seen.keySet()).as("%d segments, pages of %d", segments, limit).isEqualTo(accounts.keySet());
                    assertThat(seen.values()).as("exactly once").containsOnly(1);
                }
            }
        }
    }

    /**
     * The monthly reset reads only accounts on calendar periods (DynamoDB's sparse index CalendarAccounts, SQLite's
     * partial index): an account on a subscription in force is not scanned, it leaves the scan when its
     * subscription starts and comes back when it lapses.
     */
    @Test
    default void theScan_readsOnlyAccountsOnCalendarPeriods_anAccountOnASubscriptionLeavesAndComesBack() {
        try (Fresh f = fresh()) {
            Instant now = f.samples().now();
            Account calendar = created(f.wallet(), f.samples(), "scan-calendar", 10);
            Account subscribed = created(f.wallet(), f.samples(), "scan-subscribed", 10);
            com.tokenwallet.domain.account.Subscription active = new com.tokenwallet.domain.account.Subscription("sub_1", "active", "solo",
                    now.minusSeconds(86_400), 1_700_000_000L);
            subscribed = applied(f.wallet(), new com.tokenwallet.domain.port.WalletStore.AccountWrite(subscribed,
                    subscribed.withBilling(subscribed.billing().withSubscription(active)), List.of(), Optional.empty(), List.of()));
            assertThat(allSegments(f.stores().scan(), 3, 2)).as("the subscribed account is out").containsExactly(calendar.id());

            Account lapsed = applied(f.wallet(), new com.tokenwallet.domain.port.WalletStore.AccountWrite(subscribed,
                    subscribed.withBilling(subscribed.billing().withSubscription(new com.tokenwallet.domain.account.Subscription("sub_1",
                            "canceled", "solo", now.minusSeconds(86_400), 1_700_000_001L))), List.of(), Optional.empty(), List.of()));
            assertThat(allSegments(f.stores().scan(), 3, 2)).as("back on calendar periods").containsExactlyInAnyOrder(calendar.id(), lapsed.id());
        }
    }

    private static List<AccountId> allSegments(AccountScan scan, int segments, int limit) {
        List<AccountId> ids = new ArrayList<>();
        for (int segment = 0; segment < segments; segment++) {
            wholeSegment(scan, segment, segments, limit).forEach(a -> ids.add(a.id()));
        }
        return ids;
    }

    private static List<Account> wholeSegment(AccountScan scan, int segment, int segments, int limit) {
        List<Account> all = new ArrayList<>();
        Optional<String> position = Optional.empty();
        for (int page = 0; page < 10_000; page++) {
            AccountScan.Page p = scan.scan(segment, segments, position, limit);
            assertThat(p.accounts().size()).as("at most the limit").isLessThanOrEqualTo(limit);
            all.addAll(p.accounts());
            if (p.next().isEmpty()) {
                return all;
            }
            position = p.next();
        }
        throw new AssertionError("the segment never ended");
    }

    @Test
    default void aSegmentsLease_isHeldByOneOwnerAtATime_andEverySaveNeedsIt() {
        try (Fresh f = fresh()) {
            AccountScan scan = f.stores().scan();
            String job = "quota-reset#2026-12";
            Instant now = f.samples().now();
            Instant until = now.plusSeconds(60);

            assertThat(scan.checkpoints(job)).isEmpty();
            assertThat(scan.claim(job, 2, 4, "worker-a", until, now)).contains(Checkpoint.start(2, 4));
            assertThat(scan.claim(job, 2, 4, "worker-b", until, now.plusSeconds(30))).as("a live lease").isEmpty();
            assertThat(scan.claim(job, 2, 4, "worker-a", until.plusSeconds(60), now.plusSeconds(30))).as("its owner again").isPresent();

            Checkpoint midway = new Checkpoint(2, 4, Optional.of("somewhere"), false, 7, 5, 1, 1);
            assertThat(scan.save(job, midway, "worker-a", false)).isTrue();
            assertThat(scan.save(job, Checkpoint.start(2, 4), "worker-b", false)).as("not its lease").isFalse();
            assertThat(scan.save(job, Checkpoint.start(3, 4), "worker-a", false)).as("a segment never claimed").isFalse();
            assertThat(scan.checkpoints(job)).containsExactly(midway);

            // The lease ran out: another worker takes the segment over, where the first one got to.
            assertThat(scan.claim(job, 2, 4, "worker-b", now.plusSeconds(300), now.plusSeconds(121))).contains(midway);
            assertThat(scan.save(job, midway, "worker-a", false)).as("taken over").isFalse();
            Checkpoint done = new Checkpoint(2, 4, Optional.empty(), true, 9, 6, 2, 1);
            assertThat(scan.save(job, done, "worker-b", true)).isTrue();
            // Released: anyone may claim it at once (and finds it done).
            assertThat(scan.claim(job, 2, 4, "worker-c", now.plusSeconds(400), now.plusSeconds(122))).contains(done);

            assertThat(scan.claim(job, 0, 4, "worker-d", until, now)).contains(Checkpoint.start(0, 4));
            assertThat(scan.checkpoints(job)).extracting(Checkpoint::segment).containsExactly(0, 2);
            assertThat(scan.checkpoints("another-job")).isEmpty();
        }
    }

    @Test
    default void concurrentClaims_ofOneSegment_fromSeveralInstances_leaveOneOwner() throws Exception {
        try (Fresh f = fresh(); StoreSet b = f.stores().anotherInstance(); StoreSet c = f.stores().anotherInstance()) {
            List<AccountScan> instances = List.of(f.stores().scan(), b.scan(), c.scan());
            Instant now = f.samples().now();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Callable<Boolean>> claims = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    AccountScan scan = instances.get(i % instances.size());
                    String owner = "worker-" + i;
                    claims.add(() -> scan.claim("race", 0, 1, owner, now.plusSeconds(60), now).isPresent());
                }
                long winners = 0;
                for (Future<Boolean> claim : pool.invokeAll(claims, 60, TimeUnit.SECONDS)) {
                    winners += claim.get() ? 1 : 0;
                }
                assertThat(winners).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
