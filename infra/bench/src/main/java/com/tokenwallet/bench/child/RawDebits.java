package com.tokenwallet.bench.child;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A debit written with the SDK alone: the same {@code TransactWriteItems} the wallet's store sends (TABLE.md's item
 * shapes, the same three puts and the same conditions), without Micronaut, the domain model or the wallet's JSON.
 * Used by the bare Lambda handler of the cold-start comparison and by the raw side of the throughput comparison.
 */
public final class RawDebits {
    static final String ACCOUNT_PREFIX = "ACCOUNT#";
    static final String ACCOUNT_SK = "ACCOUNT";
    static final String LEDGER_PREFIX = "TX#";
    static final String IDEMPOTENCY_PREFIX = "IDEMPOTENCY#";
    static final long RETENTION_SECONDS = 7L * 24 * 3600;
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RawDebits() {
    }

    /** The write, the account as it will be after it, and the response body stored with the idempotency key. */
    public record Prepared(TransactWriteItemsRequest request, Map<String, AttributeValue> accountAfter, String responseBody) {
    }

    public static Map<String, AttributeValue> accountKey(String accountId) {
        return key(ACCOUNT_PREFIX + accountId, ACCOUNT_SK);
    }

    public static Map<String, AttributeValue> idempotencyKey(String accountId, String key) {
        return key(ACCOUNT_PREFIX + accountId, IDEMPOTENCY_PREFIX + key);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk));
    }

    /**
     * Debits {@code amount} from {@code bucket} of the stored {@code account} item (allowance first, then purchased):
     * the account put conditioned on its version, the ledger entry put, and the idempotency record put conditioned on
     * the key being unused or expired, all returning the old item when their condition fails.
     */
    public static Prepared prepare(String table, Map<String, AttributeValue> account, String bucket, long amount,
                                   String description, String idempotencyKey, String fingerprint, Instant now) {
        String accountId = account.get("accountId").s();
        long version = Long.parseLong(account.get("version").n());
        Map<String, AttributeValue> buckets = new LinkedHashMap<>(account.get("buckets").m());
        Map<String, AttributeValue> balance = buckets.get(bucket).m();
        long allowance = Long.parseLong(balance.get("allowance").n());
        long purchased = Long.parseLong(balance.get("purchased").n());
        long held = Long.parseLong(balance.get("held").n());
        if (allowance + purchased - held < amount) {
            throw new IllegalStateException("insufficient tokens in " + bucket + " of " + accountId);
        }
        if (balance.containsKey("lots") && !balance.get("lots").m().isEmpty()) {
            throw new IllegalStateException("the raw debit knows no stored lots (bucket " + bucket + " of " + accountId + ")");
        }
        long fromAllowance = Math.min(allowance, amount);
        long fromPurchased = amount - fromAllowance;
        buckets.put(bucket, AttributeValue.fromM(Map.of("allowance", n(allowance - fromAllowance),
                "purchased", n(purchased - fromPurchased), "held", n(held))));
        Map<String, AttributeValue> after = new HashMap<>(account);
        after.put("buckets", AttributeValue.fromM(buckets));
        after.put("version", n(version + 1));
        long available = allowance - fromAllowance + purchased - fromPurchased - held;

        // The parts the debit took from, in burn-down order: the period's allowance (it expires at the period's end),
        // then the purchased tokens of no stored lot. As the entry keeps them ("consumed") and the receipt shows them.
        String periodEnd = Instant.ofEpochSecond(Long.parseLong(account.get("periodEnd").n())).toString();
        StringBuilder consumedEntry = new StringBuilder("{\"lots\":[");
        StringBuilder consumedReceipt = new StringBuilder("[");
        if (fromAllowance > 0) {
            String lotId = "allowance:" + bucket + ":" + account.get("periodId").s();
            consumedEntry.append("{\"lotId\":\"").append(jsonEscape(lotId)).append("\",\"part\":\"allowance\",\"source\":\"plan_allowance\",\"amount\":")
                    .append(fromAllowance).append('}');
            consumedReceipt.append("{\"lotId\":\"").append(jsonEscape(lotId)).append("\",\"source\":\"plan_allowance\",\"amount\":")
                    .append(fromAllowance).append(",\"expiresAt\":\"").append(periodEnd).append("\"}");
        }
        if (fromPurchased > 0) {
            String separator = fromAllowance > 0 ? "," : "";
            String lotId = "purchased:" + bucket;
            consumedEntry.append(separator).append("{\"lotId\":\"").append(jsonEscape(lotId))
                    .append("\",\"part\":\"unlotted_purchased\",\"source\":\"purchase\",\"amount\":").append(fromPurchased).append('}');
            consumedReceipt.append(separator).append("{\"lotId\":\"").append(jsonEscape(lotId)).append("\",\"source\":\"purchase\",\"amount\":")
                    .append(fromPurchased).append('}');
        }
        consumedEntry.append("]}");
        consumedReceipt.append(']');

        String transactionId = transactionId(now);
        String createdAt = now.toString();
        Map<String, AttributeValue> entry = new HashMap<>(key(ACCOUNT_PREFIX + accountId, LEDGER_PREFIX + transactionId));
        entry.put("type", s("ledger"));
        entry.put("transactionId", s(transactionId));
        entry.put("accountId", s(accountId));
        entry.put("entryType", s("debit"));
        entry.put("bucket", s(bucket));
        entry.put("amount", n(-amount));
        entry.put("allowanceDelta", n(-fromAllowance));
        entry.put("purchasedDelta", n(-fromPurchased));
        entry.put("description", s(description));
        entry.put("consumed", s(consumedEntry.toString()));
        entry.put("createdAt", s(createdAt));
        // Every bucket's parts after the debit, in bucket name order, as the store writes them with each entry.
        entry.put("balancesAfter", s(balancesAfter(buckets)));

        String body = "{\"transactionId\":\"" + transactionId + "\",\"accountId\":\"" + jsonEscape(accountId)
                + "\",\"bucket\":\"" + jsonEscape(bucket) + "\",\"amount\":" + amount + ",\"fromAllowance\":" + fromAllowance
                + ",\"fromPurchased\":" + fromPurchased + ",\"available\":" + available + ",\"consumed\":" + consumedReceipt
                + ",\"createdAt\":\"" + createdAt + "\"}";
        Map<String, AttributeValue> record = new HashMap<>(idempotencyKey(accountId, idempotencyKey));
        record.put("type", s("idempotency"));
        record.put("idempotencyKey", s(idempotencyKey));
        record.put("fingerprint", s(fingerprint));
        record.put("statusCode", n(201));
        record.put("body", s(body));
        record.put("createdAt", s(createdAt));
        record.put("expiresAt", n(now.getEpochSecond() + RETENTION_SECONDS));

        List<TransactWriteItem> items = List.of(
                put(table, after, "#version = :before", Map.of(":before", n(version)), Map.of("#version", "version")),
                put(table, entry, "attribute_not_exists(PK)", Map.of(), Map.of()),
                put(table, record, "attribute_not_exists(PK) OR #expires < :now",
                        Map.of(":now", n(now.getEpochSecond())), Map.of("#expires", "expiresAt")));
        TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(items)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        return new Prepared(request, after, body);
    }

    private static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition,
                                         Map<String, AttributeValue> values, Map<String, String> names) {
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

    /** "credits:0/9/0,dol:0/0/0": every bucket's allowance, purchased and held, in bucket name order. */
    static String balancesAfter(Map<String, AttributeValue> buckets) {
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(buckets).forEach((name, value) -> {
            Map<String, AttributeValue> parts = value.m();
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(name).append(':').append(parts.get("allowance").n()).append('/').append(parts.get("purchased").n())
                    .append('/').append(parts.get("held").n());
        });
        return out.toString();
    }

    /**
     * What the wallet fingerprints a keyed request by: route, path parameters (here only the account, in the form
     * the wallet writes them: {@code {accountId=...}}) and exact body.
     */
    public static String fingerprint(String routeKey, String accountId, String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((routeKey + "\n{accountId=" + accountId + "}\n" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code tx_} and 26 Crockford base-32 characters (48 bits of time, 80 random), as long as the wallet's ULIDs. */
    static String transactionId(Instant now) {
        char[] out = new char[26];
        long time = now.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        long a = RANDOM.nextLong();
        long b = RANDOM.nextLong();
        for (int i = 10; i < 26; i++) {
            long v = i < 22 ? a : b;
            out[i] = CROCKFORD[(int) (v & 31)];
            if (i < 22) {
                a >>>= 5;
            } else {
                b >>>= 5;
            }
        }
        return "tx_" + new String(out);
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
