package com.tokenwallet.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.sqlite.testing.SqliteDump;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * SPEC section 1's invariant, checked from outside: through the API, the ledger (every page) sums to the balance
 * per bucket and part, and no part is negative; in the store's tables, each bucket's {@code held} is the sum of the
 * account's pending holds, the hold records with status pending are exactly those holds, and the ledger rows'
 * {@code held_delta}s sum to {@code held}. The API's ledger items do not carry {@code heldDelta}; if they ever do,
 * their sum is checked against the balance's {@code held} as well.
 */
final class Invariants {

    private Invariants() {
    }

    /** Every row of one account, from every table of the wallet's database (SqliteDump's plain rows). */
    static List<Map<String, Object>> items(Path database, String accountId) {
        return SqliteDump.rows(database.toString()).stream().filter(r -> accountId.equals(r.get("account_id"))).toList();
    }

    static List<Map<String, Object>> rows(Path database, String table, String accountId) {
        return items(database, accountId).stream().filter(r -> table.equals(r.get("table"))).toList();
    }

    static Map<String, Object> holdItem(Path database, String accountId, String holdId) {
        return rows(database, "holds", accountId).stream().filter(r -> holdId.equals(r.get("hold_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no hold record " + holdId));
    }

    /** The ledger rows of the store (not the API's view), with every column. */
    static List<Map<String, Object>> ledgerItems(Path database, String accountId) {
        return rows(database, "ledger", accountId);
    }

    static long n(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? 0 : ((Number) v).longValue();
    }

    static void assertHold(CheckHandler check, Path database, String accountId, Clock clock) {
        // ---- through the API
        Map<String, Object> balance = Api.balance(check, accountId);
        List<Map<String, Object>> ledger = Api.ledger(check, accountId);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> buckets = (Map<String, Map<String, Object>>) balance.get("buckets");
        Set<String> names = new TreeSet<>(buckets.keySet());
        ledger.forEach(e -> names.add((String) e.get("bucket")));
        boolean apiHasHeldDelta = ledger.stream().anyMatch(e -> e.containsKey("heldDelta"));
        for (String bucket : names) {
            Map<String, Object> b = buckets.get(bucket);
            assertThat(b).as("bucket %s of the ledger is in the balance", bucket).isNotNull();
            long allowance = Api.number(b.get("allowance"));
            long purchased = Api.number(b.get("purchased"));
            long held = Api.number(b.get("held"));
            long available = Api.number(b.get("available"));
            assertThat(List.of(allowance, purchased, held, available)).as("%s: nothing negative %s", bucket, b).allMatch(v -> v >= 0);
            assertThat(available).as("%s: available = allowance + purchased - held", bucket).isEqualTo(allowance + purchased - held);
            List<Map<String, Object>> ofBucket = ledger.stream().filter(e -> bucket.equals(e.get("bucket"))).toList();
            assertThat(ofBucket.stream().mapToLong(e -> Api.number(e.get("amount"))).sum())
                    .as("%s: the ledger's amounts sum to allowance + purchased", bucket).isEqualTo(allowance + purchased);
            assertThat(ofBucket.stream().mapToLong(e -> Api.number(e.get("allowanceDelta"))).sum())
                    .as("%s: allowance deltas", bucket).isEqualTo(allowance);
            assertThat(ofBucket.stream().mapToLong(e -> Api.number(e.get("purchasedDelta"))).sum())
                    .as("%s: purchased deltas", bucket).isEqualTo(purchased);
            if (apiHasHeldDelta) {
                assertThat(ofBucket.stream().mapToLong(e -> e.containsKey("heldDelta") ? Api.number(e.get("heldDelta")) : 0).sum())
                        .as("%s: held deltas (API)", bucket).isEqualTo(held);
            }
        }

        // ---- in the store
        List<Map<String, Object>> items = items(database, accountId);
        List<Map<String, Object>> pending = items.stream().filter(i -> "pending_holds".equals(i.get("table"))).toList();
        Map<String, Long> pendingByBucket = new HashMap<>();
        Map<String, Long> unexpiredByBucket = new HashMap<>();
        Instant now = clock.instant();
        for (Map<String, Object> h : pending) {
            long amount = n(h, "amount");
            assertThat(amount).as("hold %s holds at least one token", h.get("hold_id")).isPositive();
            pendingByBucket.merge((String) h.get("bucket"), amount, Long::sum);
            if (now.isBefore(Instant.parse((String) h.get("expires_at")))) {
                unexpiredByBucket.merge((String) h.get("bucket"), amount, Long::sum);
            }
        }
        Map<String, Long> heldDeltas = new HashMap<>();
        items.stream().filter(i -> "ledger".equals(i.get("table")))
                .forEach(i -> heldDeltas.merge((String) i.get("bucket"), n(i, "held_delta"), Long::sum));
        for (Map<String, Object> stored : items.stream().filter(i -> "balances".equals(i.get("table"))).toList()) {
            String bucket = (String) stored.get("bucket");
            long storedHeld = n(stored, "held");
            long storedAllowance = n(stored, "allowance");
            long storedPurchased = n(stored, "purchased");
            assertThat(List.of(storedAllowance, storedPurchased, storedHeld)).as("stored %s: nothing negative", bucket).allMatch(v -> v >= 0);
            assertThat(storedHeld).as("stored %s: held is the sum of the pending holds %s", bucket, pending)
                    .isEqualTo(pendingByBucket.getOrDefault(bucket, 0L));
            assertThat(heldDeltas.getOrDefault(bucket, 0L)).as("stored %s: the ledger's heldDeltas sum to held", bucket).isEqualTo(storedHeld);
            assertThat(Api.number(buckets.get(bucket).get("held")))
                    .as("%s: the balance shows as held what is pending and not yet expired", bucket)
                    .isEqualTo(unexpiredByBucket.getOrDefault(bucket, 0L));
        }
        Set<String> pendingRecords = new TreeSet<>();
        items.stream().filter(i -> "holds".equals(i.get("table")) && "pending".equals(i.get("status")))
                .forEach(i -> pendingRecords.add((String) i.get("hold_id")));
        Set<String> pendingHolds = new TreeSet<>();
        pending.forEach(h -> pendingHolds.add((String) h.get("hold_id")));
        assertThat(pendingRecords).as("hold records with status pending are the account's pending holds").isEqualTo(pendingHolds);
    }
}
