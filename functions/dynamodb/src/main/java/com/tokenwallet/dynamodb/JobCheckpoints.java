package com.tokenwallet.dynamodb;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A job's per-segment checkpoints ({@code PK = JOB#<job>}, {@code SK = SEGMENT#<n>}) and their leases. The lease
 * ({@code leaseOwner}, {@code leaseUntil} in epoch milliseconds) is taken with one conditional UpdateItem, and
 * every save is conditioned on still holding it, so two workers on one segment cannot both move its checkpoint.
 */
final class JobCheckpoints {
    static final String JOB_PREFIX = "JOB#";
    static final String SEGMENT_PREFIX = "SEGMENT#";
    /** Kept a year after their last write, then DynamoDB's TTL removes them. */
    static final long RETENTION_SECONDS = 366L * 24 * 3600;
    /** A job's checkpoints fit in a few pages (about 200 bytes each, 1 MB a page); this bounds the loop. */
    private static final int MAX_QUERY_PAGES = 1_000;

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("#type", "type"), Map.entry("#total", "totalSegments"), Map.entry("#position", "position"),
            Map.entry("#done", "done"), Map.entry("#seen", "seen"), Map.entry("#reset", "reset"),
            Map.entry("#skipped", "skipped"), Map.entry("#failed", "failed"), Map.entry("#owner", "leaseOwner"),
            Map.entry("#until", "leaseUntil"), Map.entry("#updated", "updatedAt"), Map.entry("#expires", WalletTable.TTL_ATTRIBUTE));

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;

    JobCheckpoints(DynamoDbClient client, String table, Clock clock) {
        this.client = client;
        this.table = table;
        this.clock = clock;
    }

    List<Checkpoint> all(String job) {
        List<Checkpoint> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < MAX_QUERY_PAGES; page++) {
            Map<String, AttributeValue> from = start;
            QueryResponse response = call("read the job's checkpoints", () -> client.query(b -> {
                b.tableName(table).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :segment)")
                        .expressionAttributeValues(Map.of(":pk", Items.s(JOB_PREFIX + job), ":segment", Items.s(SEGMENT_PREFIX)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            }));
            response.items().forEach(item -> found.add(checkpoint(item)));
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                found.sort(Comparator.comparingInt(Checkpoint::segment));
                return found;
            }
            start = response.lastEvaluatedKey();
        }
        throw new StoreUnavailableException(job + " has more checkpoints than " + MAX_QUERY_PAGES + " pages; nothing was changed.");
    }

    Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":type", Items.s("checkpoint"));
        values.put(":total", Items.n(totalSegments));
        values.put(":false", AttributeValue.fromBool(false));
        values.put(":zero", Items.n(0));
        values.put(":owner", Items.s(owner));
        values.put(":until", Items.n(leaseUntil.toEpochMilli()));
        values.put(":now", Items.n(now.toEpochMilli()));
        values.put(":updated", Items.s(clock.instant().toString()));
        values.put(":expires", Items.n(clock.instant().getEpochSecond() + RETENTION_SECONDS));
        try {
            UpdateItemResponse response = call("claim a job segment", () -> client.updateItem(b -> b.tableName(table)
                    .key(key(job, segment))
                    .updateExpression("SET #type = :type, #total = if_not_exists(#total, :total), #done = if_not_exists(#done, :false), "
                            + "#seen = if_not_exists(#seen, :zero), #reset = if_not_exists(#reset, :zero), "
                            + "#failed = if_not_exists(#failed, :zero), #owner = :owner, #until = :until, #updated = :updated, "
                            + "#expires = :expires")
                    .conditionExpression("attribute_not_exists(PK) OR attribute_not_exists(#owner) OR #until < :now OR #owner = :owner")
                    .expressionAttributeNames(names("#type", "#total", "#done", "#seen", "#reset", "#failed", "#owner", "#until",
                            "#updated", "#expires"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
            return Optional.of(checkpoint(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    boolean save(String job, Checkpoint checkpoint, String owner, boolean release) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":done", AttributeValue.fromBool(checkpoint.done()));
        values.put(":seen", Items.n(checkpoint.seen()));
        values.put(":reset", Items.n(checkpoint.reset()));
        values.put(":skipped", Items.n(checkpoint.skipped()));
        values.put(":failed", Items.n(checkpoint.failed()));
        values.put(":owner", Items.s(owner));
        values.put(":updated", Items.s(clock.instant().toString()));
        values.put(":expires", Items.n(clock.instant().getEpochSecond() + RETENTION_SECONDS));
        StringBuilder set = new StringBuilder("SET #done = :done, #seen = :seen, #reset = :reset, #skipped = :skipped, "
                + "#failed = :failed, #updated = :updated, #expires = :expires");
        List<String> remove = new ArrayList<>();
        checkpoint.position().ifPresentOrElse(p -> {
            set.append(", #position = :position");
            values.put(":position", Items.s(p));
        }, () -> remove.add("#position"));
        if (release) {
            remove.add("#owner");
            remove.add("#until");
        }
        String update = set + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        List<String> used = new ArrayList<>(List.of("#done", "#seen", "#reset", "#skipped", "#failed", "#updated", "#expires", "#position", "#owner"));
        if (release) {
            used.add("#until");
        }
        try {
            call("save a job checkpoint", () -> client.updateItem(b -> b.tableName(table)
                    .key(key(job, checkpoint.segment()))
                    .updateExpression(update)
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(names(used.toArray(String[]::new)))
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            // A releasing save whose answer was lost is retried by the SDK, and the retry finds the lease gone: it was
            // this save's own first attempt if the item holds exactly what it wrote, at its time, with no owner.
            return release && e.hasItem() && !e.item().containsKey("leaseOwner")
                    && values.get(":updated").equals(e.item().get("updatedAt")) && checkpoint.equals(checkpoint(e.item()));
        }
    }

    private static Map<String, AttributeValue> key(String job, int segment) {
        return Items.key(JOB_PREFIX + job, SEGMENT_PREFIX + segment);
    }

    private static Map<String, String> names(String... placeholders) {
        Map<String, String> names = new HashMap<>();
        for (String p : placeholders) {
            names.put(p, NAMES.get(p));
        }
        return names;
    }

    /** A checkpoint item; one saved before {@code skipped} existed counts what was neither reset nor failed as skipped. */
    static Checkpoint checkpoint(Map<String, AttributeValue> item) {
        String sk = item.get(WalletTable.SK).s();
        int segment = Integer.parseInt(sk.substring(SEGMENT_PREFIX.length()));
        long seen = number(item, "seen", 0);
        long reset = number(item, "reset", 0);
        long failed = number(item, "failed", 0);
        long skipped = number(item, "skipped", seen - reset - failed);
        AttributeValue done = item.get("done");
        return new Checkpoint(segment, (int) number(item, "totalSegments", 0),
                item.containsKey("position") ? Optional.of(item.get("position").s()) : Optional.empty(),
                done != null && Boolean.TRUE.equals(done.bool()), seen, reset, skipped, failed);
    }

    private static long number(Map<String, AttributeValue> item, String name, long otherwise) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? otherwise : Long.parseLong(v.n());
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new StoreUnavailableException("Could not " + what + " in DynamoDB: " + e.getClass().getSimpleName()
                    + "; the job goes on from its last checkpoint.", e);
        }
    }
}
