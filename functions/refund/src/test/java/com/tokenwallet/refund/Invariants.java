package com.tokenwallet.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.dynamodb.testing.LocalDynamoDb;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * SPEC section 1's invariant, checked from outside: through the API, the ledger (every page) sums to the balance
 * per bucket and part, and no part is negative; in the table, each bucket's {@code held} is the sum of the
 * account item's pending holds, the HOLD# items with status pending are exactly those holds, and the ledger
 * items' {@code heldDelta}s sum to {@code held}. The API's ledger items do not carry {@code heldDelta}; if they
 * ever do, their sum is checked against the balance's {@code held} as well.
 */
final class Invariants {

    private static DynamoDbClient reader;

    private Invariants() {
    }

    static synchronized DynamoDbClient reader() {
        if (reader == null) {
            reader = LocalDynamoDb.shared().client(List.of());
        }
        return reader;
    }

    /** Every item of one account (all pages of a consistent query). */
    static List<Map<String, AttributeValue>> items(String table, String accountId) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < 1_000; page++) {
            Map<String, AttributeValue> from = start;
            QueryResponse response = reader().query(b -> {
                b.tableName(table).consistentRead(true).keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + accountId)));
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            all.addAll(response.items());
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return all;
            }
            start = response.lastEvaluatedKey();
        }
        throw new AssertionError("more than 1000 pages");
    }

    static Map<String, AttributeValue> accountItem(String table, String accountId) {
        return items(table, accountId).stream().filter(i -> i.get("SK").s().equals("ACCOUNT")).findFirst()
                .orElseThrow(() -> new AssertionError("no account item " + accountId));
    }

    static Map<String, AttributeValue> holdItem(String table, String accountId, String holdId) {
        return items(table, accountId).stream().filter(i -> i.get("SK").s().equals("HOLD#" + holdId)).findFirst()
                .orElseThrow(() -> new AssertionError("no hold item " + holdId));
    }

    /** The ledger items of the table (not the API's view), with every attribute. */
    static List<Map<String, AttributeValue>> ledgerItems(String table, String accountId) {
        return items(table, accountId).stream().filter(i -> i.get("SK").s().startsWith("TX#")).toList();
    }

    static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    static void assertHold(CheckHandler check, String table, String accountId, Clock clock) {
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

        // ---- in the table
        List<Map<String, AttributeValue>> items = items(table, accountId);
        Map<String, AttributeValue> account = items.stream().filter(i -> i.get("SK").s().equals("ACCOUNT")).findFirst().orElseThrow();
        Map<String, AttributeValue> storedBuckets = account.get("buckets").m();
        Map<String, AttributeValue> pending = account.containsKey("holds") ? account.get("holds").m() : Map.of();
        Map<String, Long> pendingByBucket = new HashMap<>();
        Map<String, Long> unexpiredByBucket = new HashMap<>();
        Instant now = clock.instant();
        pending.forEach((holdId, h) -> {
            long amount = Long.parseLong(h.m().get("amount").n());
            assertThat(amount).as("hold %s holds at least one token", holdId).isPositive();
            pendingByBucket.merge(h.m().get("bucket").s(), amount, Long::sum);
            if (now.isBefore(Instant.parse(h.m().get("expiresAt").s()))) {
                unexpiredByBucket.merge(h.m().get("bucket").s(), amount, Long::sum);
            }
        });
        Map<String, Long> heldDeltas = new HashMap<>();
        items.stream().filter(i -> i.get("SK").s().startsWith("TX#"))
                .forEach(i -> heldDeltas.merge(i.get("bucket").s(), n(i, "heldDelta"), Long::sum));
        for (Map.Entry<String, AttributeValue> e : storedBuckets.entrySet()) {
            String bucket = e.getKey();
            long storedHeld = Long.parseLong(e.getValue().m().get("held").n());
            long storedAllowance = Long.parseLong(e.getValue().m().get("allowance").n());
            long storedPurchased = Long.parseLong(e.getValue().m().get("purchased").n());
            assertThat(List.of(storedAllowance, storedPurchased, storedHeld)).as("stored %s: nothing negative", bucket).allMatch(v -> v >= 0);
            assertThat(storedHeld).as("stored %s: held is the sum of the pending holds %s", bucket, pending)
                    .isEqualTo(pendingByBucket.getOrDefault(bucket, 0L));
            assertThat(heldDeltas.getOrDefault(bucket, 0L)).as("stored %s: the ledger's heldDeltas sum to held", bucket).isEqualTo(storedHeld);
            assertThat(Api.number(buckets.get(bucket).get("held")))
                    .as("%s: the balance shows as held what is pending and not yet expired", bucket)
                    .isEqualTo(unexpiredByBucket.getOrDefault(bucket, 0L));
        }
        Set<String> pendingRecords = new TreeSet<>();
        items.stream().filter(i -> i.get("SK").s().startsWith("HOLD#") && i.get("status").s().equals("pending"))
                .forEach(i -> pendingRecords.add(i.get("holdId").s()));
        assertThat(pendingRecords).as("HOLD# items with status pending are the account's pending holds")
                .isEqualTo(new TreeSet<>(pending.keySet()));
    }
}
