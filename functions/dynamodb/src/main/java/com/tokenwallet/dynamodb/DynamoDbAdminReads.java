package com.tokenwallet.dynamodb;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The admin's reads on the wallet table: accounts by e-mail address through the sparse index AccountEmails (a
 * Query, never a scan), and the health report's raw reads. Those read account items without building a domain
 * {@code Account} (whose constructor refuses a corrupted item: the report must show it, not fail on it), and sum a
 * ledger with a projected, paginated Query. Every read is bounded by its caller.
 */
public final class DynamoDbAdminReads implements AccountDirectory, AccountAudit {
    /** Items per ledger Query page when summing. */
    static final int LEDGER_PAGE = 1_000;
    /** A scan position is {@code PK\nSK} of a key this class returned; anything else is refused. */
    private static final int MAX_POSITION_LENGTH = 2_048;

    private final DynamoDbClient client;
    private final String table;

    public DynamoDbAdminReads(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public List<AccountId> accountsByEmail(String normalizedEmail, int limit) {
        QueryResponse response = call("find accounts by e-mail address", () -> client.query(b -> b.tableName(table)
                .indexName(WalletTable.ACCOUNT_EMAILS_INDEX)
                .keyConditionExpression("#email = :email")
                .expressionAttributeNames(Map.of("#email", WalletTable.EMAIL_NORMALIZED))
                .expressionAttributeValues(Map.of(":email", Items.s(normalizedEmail)))
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.items().stream().map(item -> item.get(WalletTable.PK).s())
                .filter(pk -> pk.startsWith(Items.ACCOUNT_PREFIX))
                .map(pk -> AccountId.of(pk.substring(Items.ACCOUNT_PREFIX.length())))
                .distinct().toList();
    }

    @Override
    public Page accounts(Optional<String> after, int maxItems) {
        Optional<Map<String, AttributeValue>> start = after.map(DynamoDbAdminReads::startKey);
        ScanResponse response = call("scan the accounts", () -> client.scan(b -> {
            b.tableName(table).limit(maxItems).consistentRead(true)
                    .filterExpression("SK = :account")
                    .expressionAttributeValues(Map.of(":account", Items.s(Items.ACCOUNT_SK)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            start.ifPresent(b::exclusiveStartKey);
        }));
        List<StoredAccount> accounts = response.items().stream().map(DynamoDbAdminReads::stored).toList();
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(position(response.lastEvaluatedKey())) : Optional.empty();
        return new Page(accounts, response.scannedCount() == null ? accounts.size() : response.scannedCount(), next);
    }

    @Override
    public Optional<StoredAccount> account(AccountId id) {
        GetItemResponse response = call("read the account", () -> client.getItem(b -> b.tableName(table)
                .key(Items.accountKey(id)).consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(stored(response.item())) : Optional.empty();
    }

    @Override
    public LedgerTotals ledgerTotals(AccountId id, int maxEntries) {
        Map<String, Parts> sums = new LinkedHashMap<>();
        long read = 0;
        Map<String, AttributeValue> startKey = null;
        // Each page reads at least one entry or ends the ledger, so maxEntries bounds the pages.
        do {
            Map<String, AttributeValue> from = startKey;
            int pageLimit = (int) Math.min(LEDGER_PAGE, maxEntries - read + 1);
            QueryResponse page = call("sum the ledger", () -> client.query(b -> {
                b.tableName(table)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :tx)")
                        .expressionAttributeValues(Map.of(":pk", Items.s(Items.pk(id)), ":tx", Items.s(Items.LEDGER_PREFIX)))
                        .projectionExpression("#bucket, allowanceDelta, purchasedDelta, heldDelta")
                        .expressionAttributeNames(Map.of("#bucket", "bucket"))
                        .consistentRead(true)
                        .limit(pageLimit)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            }));
            for (Map<String, AttributeValue> item : page.items()) {
                read++;
                if (read > maxEntries) {
                    return new LedgerTotals(sums, read, false);
                }
                String bucket = item.containsKey("bucket") ? item.get("bucket").s() : "?";
                sums.merge(bucket, new Parts(number(item, "allowanceDelta"), number(item, "purchasedDelta"), number(item, "heldDelta")),
                        (a, b) -> a.plus(b.allowance(), b.purchased(), b.held()));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return new LedgerTotals(sums, read, true);
    }

    /** An account item's numbers as stored, or the reason it cannot be read as an account. */
    static StoredAccount stored(Map<String, AttributeValue> item) {
        String pk = item.get(WalletTable.PK).s();
        String position = position(item);
        String rawId = pk.startsWith(Items.ACCOUNT_PREFIX) ? pk.substring(Items.ACCOUNT_PREFIX.length()) : pk;
        AccountId id;
        try {
            id = AccountId.of(rawId);
        } catch (InvalidRequestException e) {
            return new StoredAccount(AccountId.of("invalid-id"), position, 0, Map.of(), List.of(),
                    Optional.of("the item's key " + abbreviate(pk) + " is not an account id"));
        }
        try {
            long version = number(item, "version");
            Map<String, Parts> buckets = new LinkedHashMap<>();
            for (Map.Entry<String, AttributeValue> b : item.get("buckets").m().entrySet()) {
                Map<String, AttributeValue> parts = b.getValue().m();
                // Issue 15: the credit limit (absent: 0) and the stored lots' remaining tokens, for the credit invariant.
                long inLots = 0;
                int negativeLots = 0;
                if (parts.containsKey("lots")) {
                    for (AttributeValue lot : parts.get("lots").m().values()) {
                        long remaining = number(lot.m(), "remaining");
                        inLots += remaining;
                        negativeLots += remaining < 0 ? 1 : 0;
                    }
                }
                buckets.put(b.getKey(), new Parts(number(parts, "allowance"), number(parts, "purchased"), number(parts, "held"),
                        parts.containsKey("creditLimit") ? number(parts, "creditLimit") : 0, inLots, negativeLots));
            }
            List<StoredHold> holds = new ArrayList<>();
            if (item.containsKey("holds")) {
                for (Map.Entry<String, AttributeValue> h : item.get("holds").m().entrySet()) {
                    Map<String, AttributeValue> hold = h.getValue().m();
                    holds.add(new StoredHold(h.getKey(), hold.get("bucket").s(), number(hold, "amount"),
                            Instant.parse(hold.get("expiresAt").s())));
                }
            }
            return new StoredAccount(id, position, version, buckets, holds, Optional.empty());
        } catch (RuntimeException e) {
            return new StoredAccount(id, position, 0, Map.of(), List.of(),
                    Optional.of("the item cannot be read as an account: " + e.getClass().getSimpleName()));
        }
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null) {
            if (name.equals("heldDelta")) {
                return 0;  // written only when non-zero
            }
            throw new IllegalStateException("no " + name);
        }
        return Long.parseLong(v.n());
    }

    private static String position(Map<String, AttributeValue> key) {
        return key.get(WalletTable.PK).s() + "\n" + key.get(WalletTable.SK).s();
    }

    /** The key a position names; a position not in the form this class writes is an invalid cursor. */
    private static Map<String, AttributeValue> startKey(String position) {
        String[] key = position.split("\n", -1);
        if (position.length() > MAX_POSITION_LENGTH || key.length != 2 || key[0].isEmpty() || key[1].isEmpty()
                || position.chars().anyMatch(c -> c != '\n' && Character.isISOControl(c))) {
            throw new InvalidRequestException("cursor", "'cursor' is not a cursor this API returned.");
        }
        Map<String, AttributeValue> start = new HashMap<>();
        start.put(WalletTable.PK, Items.s(key[0]));
        start.put(WalletTable.SK, Items.s(key[1]));
        return start;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException("Could not " + what + " in DynamoDB: " + e.getClass().getSimpleName()
                    + "; nothing was changed.", e);
        }
    }
}
