package com.tokenwallet.bench.reset;

import com.github.f4b6a3.ulid.UlidFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The quota reset written as a plain loop with the SDK alone: the requests the worker sends (QuotaResetShapesTest
 * proves it on a small fixture), without Micronaut, the handler, the domain model or the state machine's contract.
 * Per segment, at once: a page of the sparse index CalendarAccounts ({@code Scan}, keys only), the page's accounts by
 * key ({@code BatchGetItem}, 100 keys a call, eventually consistent), then on {@code threads} threads one
 * {@code TransactWriteItems} per account whose calendar period has ended: the account put with its new period, the
 * plan's allowance and its version + 1, conditioned on the version read, and one {@code plan_reset} entry per bucket
 * whose allowance changes (each with every bucket's parts after it, {@code balancesAfter}), conditioned on being new;
 * the next page when the page's writes are done.
 *
 * <p>It knows only the fixture's case ({@link ResetFixture}): no rollover lots (the default catalog's plans carry
 * nothing over), no expired holds or lots, no subscriptions. A write that finds the account changed (its version)
 * tries again on the item DynamoDB handed back, as the product does.
 */
public final class RawQuotaReset {
    static final int BATCH_GET_KEYS = 100;
    static final int MAX_ATTEMPTS = 64;
    static final String INDEX = "CalendarAccounts";

    /** What the loop did: every account seen was reset, skipped (not due) or failed. */
    public record Counts(long seen, long reset, long skipped, long failed) {
    }

    private final DynamoDbClient client;
    private final String table;
    private final String planId;
    private final Map<String, Long> planAllowance;
    private final Clock clock;
    private final UlidFactory ids = UlidFactory.newMonotonicInstance();

    /** {@code planAllowance}: the plan's allowance of each bucket, in the catalog's bucket order. */
    public RawQuotaReset(DynamoDbClient client, String table, String planId, Map<String, Long> planAllowance, Clock clock) {
        this.client = client;
        this.table = table;
        this.planId = planId;
        this.planAllowance = new LinkedHashMap<>(planAllowance);
        this.clock = clock;
    }

    /** Every segment of {@code totalSegments} at once, {@code threads} writers each, pages of {@code pageItems} keys. */
    public Counts run(int totalSegments, int threads, int pageItems, long timeoutSeconds) throws Exception {
        AtomicLong reset = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService segments = Executors.newFixedThreadPool(totalSegments);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int segment = 0; segment < totalSegments; segment++) {
                int s = segment;
                work.add(segments.submit(() -> {
                    segment(s, totalSegments, threads, pageItems, reset, skipped, failed);
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(timeoutSeconds, TimeUnit.SECONDS);
            }
        } finally {
            segments.shutdownNow();
        }
        return new Counts(reset.get() + skipped.get() + failed.get(), reset.get(), skipped.get(), failed.get());
    }

    private void segment(int segment, int totalSegments, int threads, int pageItems, AtomicLong reset, AtomicLong skipped,
                         AtomicLong failed) throws Exception {
        ExecutorService writers = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        try {
            Map<String, AttributeValue> start = null;
            while (true) {
                Map<String, AttributeValue> from = start;
                ScanResponse page = client.scan(b -> {
                    b.tableName(table).indexName(INDEX).segment(segment).totalSegments(totalSegments).limit(pageItems)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                    if (from != null) {
                        b.exclusiveStartKey(from);
                    }
                });
                List<Map<String, AttributeValue>> keys = new ArrayList<>(page.items().size());
                for (Map<String, AttributeValue> k : page.items()) {
                    keys.add(Map.of("PK", k.get("PK"), "SK", k.get("SK")));
                }
                Map<String, Map<String, AttributeValue>> byPk = new HashMap<>();
                for (int i = 0; i < keys.size(); i += BATCH_GET_KEYS) {
                    for (Map<String, AttributeValue> item : batchGet(keys.subList(i, Math.min(keys.size(), i + BATCH_GET_KEYS)))) {
                        byPk.put(item.get("PK").s(), item);
                    }
                }
                List<Map<String, AttributeValue>> accounts = new ArrayList<>(keys.size());
                for (Map<String, AttributeValue> k : keys) {
                    Map<String, AttributeValue> item = byPk.get(k.get("PK").s());
                    if (item != null) {
                        accounts.add(item);
                    }
                }
                if (writers == null || accounts.size() < 2) {
                    for (Map<String, AttributeValue> account : accounts) {
                        count(rollOver(account), reset, skipped, failed);
                    }
                } else {
                    List<Future<Integer>> writes = new ArrayList<>(accounts.size());
                    for (Map<String, AttributeValue> account : accounts) {
                        writes.add(writers.submit(() -> rollOver(account)));
                    }
                    for (Future<Integer> w : writes) {
                        count(w.get(), reset, skipped, failed);
                    }
                }
                if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                    return;
                }
                start = page.lastEvaluatedKey();
            }
        } finally {
            if (writers != null) {
                writers.shutdownNow();
            }
        }
    }

    private static void count(int result, AtomicLong reset, AtomicLong skipped, AtomicLong failed) {
        (result > 0 ? reset : result == 0 ? skipped : failed).incrementAndGet();
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(false).build());
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int round = 0; !pending.isEmpty() && round < 5; round++) {
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(request).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            found.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    /** 1: rolled over; 0: not due (or someone else rolled it over first); -1: failed. */
    private int rollOver(Map<String, AttributeValue> account) {
        Map<String, AttributeValue> item = account;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            if (now.getEpochSecond() < Long.parseLong(item.get("periodEnd").n())) {
                return 0;
            }
            try {
                List<TransactWriteItem> items = write(item, now);
                client.transactWriteItems(b -> b.transactItems(items).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                return 1;
            } catch (TransactionCanceledException e) {
                CancellationReason reason = e.hasCancellationReasons() ? e.cancellationReasons().get(0) : null;
                if (reason == null || !"ConditionalCheckFailed".equals(reason.code()) || !reason.hasItem() || reason.item().isEmpty()) {
                    return -1;
                }
                item = reason.item();
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The account put and its plan_reset entries. */
    private List<TransactWriteItem> write(Map<String, AttributeValue> item, Instant now) {
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        String periodId = month.toString();
        long version = Long.parseLong(item.get("version").n());
        Map<String, AttributeValue> buckets = new LinkedHashMap<>(item.get("buckets").m());
        List<String> visit = new ArrayList<>(planAllowance.keySet());
        buckets.keySet().stream().filter(b -> !planAllowance.containsKey(b)).forEach(visit::add);
        List<String[]> changed = new ArrayList<>();
        for (String bucket : visit) {
            Map<String, AttributeValue> parts = buckets.containsKey(bucket) ? buckets.get(bucket).m() : Map.of();
            long allowance = number(parts, "allowance");
            long purchased = number(parts, "purchased");
            long held = number(parts, "held");
            long next = Math.max(planAllowance.getOrDefault(bucket, 0L), held - purchased);
            if (next != allowance) {
                Map<String, AttributeValue> updated = new HashMap<>(parts);
                updated.put("allowance", n(next));
                updated.putIfAbsent("purchased", n(0));
                updated.putIfAbsent("held", n(0));
                buckets.put(bucket, AttributeValue.fromM(updated));
                changed.add(new String[]{bucket, Long.toString(next - allowance)});
            }
        }
        Map<String, AttributeValue> after = new HashMap<>(item);
        after.put("periodId", s(periodId));
        after.put("periodStart", n(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond()));
        after.put("periodEnd", n(month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond()));
        after.put("version", n(version + 1));
        after.put("buckets", AttributeValue.fromM(buckets));

        List<TransactWriteItem> items = new ArrayList<>(1 + changed.size());
        items.add(put(after, "#version = :before", Map.of(":before", n(version)), Map.of("#version", "version")));
        // Every bucket's parts after each entry: the last entry the account's, each earlier one before the next.
        TreeMap<String, long[]> running = new TreeMap<>();
        buckets.forEach((name, v) -> running.put(name, new long[]{number(v.m(), "allowance"), number(v.m(), "purchased"), number(v.m(), "held")}));
        String[] balancesAfter = new String[changed.size()];
        for (int i = changed.size() - 1; i >= 0; i--) {
            balancesAfter[i] = format(running);
            running.get(changed.get(i)[0])[0] -= Long.parseLong(changed.get(i)[1]);
        }
        String accountId = item.get("accountId").s();
        String createdAt = now.toString();
        for (int i = 0; i < changed.size(); i++) {
            String transactionId = "tx_" + ids.create();
            Map<String, AttributeValue> entry = new HashMap<>();
            entry.put("PK", item.get("PK"));
            entry.put("SK", s("TX#" + transactionId));
            entry.put("type", s("ledger"));
            entry.put("transactionId", s(transactionId));
            entry.put("accountId", s(accountId));
            entry.put("entryType", s("plan_reset"));
            entry.put("bucket", s(changed.get(i)[0]));
            entry.put("amount", AttributeValue.fromN(changed.get(i)[1]));
            entry.put("allowanceDelta", AttributeValue.fromN(changed.get(i)[1]));
            entry.put("purchasedDelta", n(0));
            entry.put("description", s("period " + periodId + ", plan " + planId));
            entry.put("createdAt", s(createdAt));
            entry.put("balancesAfter", s(balancesAfter[i]));
            items.add(put(entry, "attribute_not_exists(PK)", Map.of(), Map.of()));
        }
        return items;
    }

    private static String format(TreeMap<String, long[]> parts) {
        StringBuilder out = new StringBuilder();
        parts.forEach((bucket, p) -> {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(bucket).append(':').append(p[0]).append('/').append(p[1]).append('/').append(p[2]);
        });
        return out.toString();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values,
                                  Map<String, String> names) {
        Put.Builder put = Put.builder().tableName(table).item(item).conditionExpression(condition)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (!values.isEmpty()) {
            put.expressionAttributeValues(values);
        }
        if (!names.isEmpty()) {
            put.expressionAttributeNames(names);
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    private static long number(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
