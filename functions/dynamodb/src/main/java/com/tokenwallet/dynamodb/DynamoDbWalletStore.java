package com.tokenwallet.dynamodb;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.WalletStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link WalletStore} on one DynamoDB table (item shapes in TABLE.md). Every account change is one
 * {@code TransactWriteItems}: the account put conditioned on its version, the ledger entries, and the
 * idempotency record conditioned on the key being unused (or expired). When a condition fails, DynamoDB hands
 * back the item that failed it ({@code ALL_OLD}), so a stale write learns the fresh state in the same call.
 *
 * <p>Transaction conflicts (two transactions on one item at once) are retried here with full jitter, a bounded
 * number of times; throttling and transport faults have already had the SDK's own retries and become
 * {@link StoreUnavailableException}.
 */
public final class DynamoDbWalletStore implements WalletStore, AccountScan {

    static final int MAX_CONFLICT_RETRIES = 6;
    static final long CONFLICT_BACKOFF_BASE_MILLIS = 10;
    static final long CONFLICT_BACKOFF_CAP_MILLIS = 400;
    private static final int MAX_UNPROCESSED_ROUNDS = 5;

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final JobCheckpoints checkpoints;

    public DynamoDbWalletStore(DynamoDbClient client, String table) {
        this(client, table, Clock.systemUTC());
    }

    public DynamoDbWalletStore(DynamoDbClient client, String table, Clock clock) {
        this.client = client;
        this.table = table;
        this.clock = clock;
        this.checkpoints = new JobCheckpoints(client, table, clock);
    }

    @Override
    public Optional<Account> findAccount(AccountId id) {
        GetItemResponse response = call("read the account", () -> client.getItem(b -> b.tableName(table)
                .key(Items.accountKey(id)).consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(Items.account(response.item())) : Optional.empty();
    }

    @Override
    public Snapshot readForWrite(AccountId id, Optional<IdempotencyKey> key) {
        if (key.isEmpty()) {
            return new Snapshot(findAccount(id), Optional.empty());
        }
        List<Map<String, AttributeValue>> found = batchGet(List.of(Items.accountKey(id), Items.idempotencyKey(id, key.get())),
                "read the account and idempotency key");
        Optional<Account> account = Optional.empty();
        Optional<IdempotencyRecord> record = Optional.empty();
        for (Map<String, AttributeValue> item : found) {
            String sk = item.get(WalletTable.SK).s();
            if (sk.equals(Items.ACCOUNT_SK)) {
                account = Optional.of(Items.account(item));
            } else {
                record = live(Items.idempotencyRecord(item));
            }
        }
        return new Snapshot(account, record);
    }

    /** Consistent reads of a few keys in one call (repeated, bounded, only for keys DynamoDB left unprocessed). */
    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, String what) {
        return batchGet(keys, what, true);
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, String what, boolean consistent) {
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(consistent).build());
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == MAX_UNPROCESSED_ROUNDS) {
                throw new StoreUnavailableException("DynamoDB left keys unprocessed " + round + " times; nothing was changed.");
            }
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = call(what, () -> client.batchGetItem(
                    BatchGetItemRequest.builder().requestItems(request).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()));
            found.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            if (!pending.isEmpty()) {
                sleep(backoff(round));
            }
        }
        return found;
    }

    @Override
    public CreateResult create(Account account, List<LedgerEntry> openingEntries) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(put(Items.account(account), "attribute_not_exists(PK)", Map.of()));
        openingEntries.forEach(e -> items.add(put(Items.ledgerEntry(e), "attribute_not_exists(PK)", Map.of())));
        try {
            transact(items);
            return new CreateResult.Created(account);
        } catch (TransactionCanceledException e) {
            Map<String, AttributeValue> existing = failedItem(e, 0);
            if (existing == null) {
                throw unavailable("create the account", e);
            }
            return new CreateResult.AlreadyExists(Items.account(existing));
        }
    }

    @Override
    public WriteResult write(AccountWrite write) {
        Account before = write.before();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(put(Items.account(write.after()), "#version = :before",
                Map.of(":before", Items.n(before.version())), Map.of("#version", "version")));
        write.entries().forEach(e -> items.add(put(Items.ledgerEntry(e), "attribute_not_exists(PK)", Map.of())));
        int tallyIndex = -1;
        int eventIndex = -1;
        int purchaseIndex = -1;
        int owedIndex = -1;
        for (SideWrite side : write.sides()) {
            switch (side) {
                case SideWrite.NewHold h -> items.add(put(Items.hold(h.hold()), "attribute_not_exists(PK)", Map.of()));
                case SideWrite.ResolveHold r -> items.add(resolveHold(before.id(), r));
                case SideWrite.Tally t -> {
                    tallyIndex = items.size();
                    items.add(t.before().version() == 0
                            ? put(Items.tally(before.id(), t.after()), "attribute_not_exists(PK)", Map.of())
                            : put(Items.tally(before.id(), t.after()), "#version = :before",
                                    Map.of(":before", Items.n(t.before().version())), Map.of("#version", "version")));
                }
                case SideWrite.EventApplied ev -> {
                    eventIndex = items.size();
                    items.add(put(Items.appliedEvent(before.id(), ev.eventId(), ev.type(), ev.at()), "attribute_not_exists(PK)", Map.of()));
                }
                case SideWrite.Purchase p -> {
                    purchaseIndex = items.size();
                    items.add(p.before().isEmpty()
                            ? put(Items.purchase(before.id(), p.after()), "attribute_not_exists(PK)", Map.of())
                            : put(Items.purchase(before.id(), p.after()), "#version = :before",
                                    Map.of(":before", Items.n(p.before().get().version())), Map.of("#version", "version")));
                }
                case SideWrite.Owed o -> {
                    owedIndex = items.size();
                    items.add(o.before().isEmpty()
                            ? put(DynamoDbPaymentRecords.owedItem(o.after()), "attribute_not_exists(PK)", Map.of())
                            : put(DynamoDbPaymentRecords.owedItem(o.after()), "#version = :before",
                                    Map.of(":before", Items.n(o.before().get().version())), Map.of("#version", "version")));
                }
            }
        }
        int recordIndex = -1;
        if (write.record().isPresent()) {
            recordIndex = items.size();
            // An expired record that TTL has not deleted yet does not hold its key any more.
            items.add(put(Items.idempotencyRecord(before.id(), write.record().get()),
                    "attribute_not_exists(PK) OR #expires < :now",
                    Map.of(":now", Items.n(clock.instant().getEpochSecond())), Map.of("#expires", WalletTable.TTL_ATTRIBUTE)));
        }
        try {
            transact(items);
            return new WriteResult.Applied(write.after());
        } catch (TransactionCanceledException e) {
            if (recordIndex >= 0) {
                Map<String, AttributeValue> used = failedItem(e, recordIndex);
                if (used != null) {
                    return new WriteResult.KeyUsed(Items.idempotencyRecord(used));
                }
            }
            if (eventIndex >= 0 && conditionFailed(e, eventIndex)) {
                return new WriteResult.EventAlreadyApplied();
            }
            if (((purchaseIndex >= 0 && conditionFailed(e, purchaseIndex)) || (owedIndex >= 0 && conditionFailed(e, owedIndex)))
                    && !conditionFailed(e, 0)) {
                return new WriteResult.PurchaseStale();
            }
            if (tallyIndex >= 0 && conditionFailed(e, tallyIndex) && !conditionFailed(e, 0)) {
                return new WriteResult.TallyStale();
            }
            if (conditionFailed(e, 0)) {
                Map<String, AttributeValue> current = failedItem(e, 0);
                return new WriteResult.Stale(current == null || current.isEmpty() ? Optional.empty() : Optional.of(Items.account(current)));
            }
            throw unavailable("write the account", e);
        }
    }

    @Override
    public LedgerPage ledger(AccountId id, int limit, Optional<String> afterTransactionId) {
        QueryResponse response = call("read the ledger", () -> client.query(b -> {
            b.tableName(table)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :tx)")
                    .expressionAttributeValues(Map.of(":pk", Items.s(Items.pk(id)), ":tx", Items.s(Items.LEDGER_PREFIX)))
                    .scanIndexForward(false)
                    .consistentRead(true)
                    .limit(limit)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            afterTransactionId.ifPresent(tx -> b.exclusiveStartKey(Items.ledgerKey(id, tx)));
        }));
        List<LedgerEntry> entries = response.items().stream().map(Items::ledgerEntry).toList();
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !entries.isEmpty();
        return new LedgerPage(entries, more ? Optional.of(entries.getLast().transactionId()) : Optional.empty());
    }

    /**
     * One Query of the ledger's sort key range up to the instant, {@code TX#<first possible id>..TX#<last id at asOf>},
     * newest first (issue 15, balances as of an instant): its first item records every bucket's parts, so the caller's
     * small Limit is all it reads.
     */
    @Override
    public LedgerPage ledgerAsOf(AccountId id, java.time.Instant asOf, int limit, Optional<String> afterTransactionId) {
        String last = com.tokenwallet.domain.ledger.LedgerWindow.lastTransactionIdAt(asOf);
        Optional<String> after = afterTransactionId.filter(tx -> tx.compareTo(last) <= 0);
        QueryResponse response = call("read the ledger up to an instant", () -> client.query(b -> {
            b.tableName(table)
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :first AND :last")
                    .expressionAttributeValues(Map.of(":pk", Items.s(Items.pk(id)),
                            ":first", Items.s(Items.LEDGER_PREFIX + com.tokenwallet.domain.ledger.LedgerWindow.LEDGER_START),
                            ":last", Items.s(Items.LEDGER_PREFIX + last)))
                    .scanIndexForward(false)
                    .consistentRead(true)
                    .limit(limit)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            after.ifPresent(tx -> b.exclusiveStartKey(Items.ledgerKey(id, tx)));
        }));
        List<LedgerEntry> entries = response.items().stream().map(Items::ledgerEntry).toList();
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !entries.isEmpty();
        return new LedgerPage(entries, more ? Optional.of(entries.getLast().transactionId()) : Optional.empty());
    }

    /**
     * One Query of the ledger's sort key range {@code TX#<first id>..TX#<last id>}, oldest first: transaction ids are
     * time-ordered ULIDs, so the window is a key range and the read costs what it holds.
     */
    @Override
    public LedgerPage ledgerWindow(AccountId id, com.tokenwallet.domain.ledger.LedgerWindow window, int limit,
                                   Optional<String> afterTransactionId) {
        Optional<String> after = afterTransactionId.filter(tx -> tx.compareTo(window.firstTransactionId()) >= 0);
        QueryResponse response = call("read a ledger window", () -> client.query(b -> {
            b.tableName(table)
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :first AND :last")
                    .expressionAttributeValues(Map.of(":pk", Items.s(Items.pk(id)),
                            ":first", Items.s(Items.LEDGER_PREFIX + window.firstTransactionId()),
                            ":last", Items.s(Items.LEDGER_PREFIX + window.lastTransactionId())))
                    .scanIndexForward(true)
                    .consistentRead(true)
                    .limit(limit)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            after.ifPresent(tx -> b.exclusiveStartKey(Items.ledgerKey(id, tx)));
        }));
        List<LedgerEntry> entries = response.items().stream().map(Items::ledgerEntry).toList();
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !entries.isEmpty();
        return new LedgerPage(entries, more ? Optional.of(entries.getLast().transactionId()) : Optional.empty());
    }

    @Override
    public List<AccountId> accountsWithHoldsExpiredBy(java.time.Instant now, int shard, int limit) {
        QueryResponse response = call("find expired holds", () -> client.query(b -> b.tableName(table)
                .indexName(WalletTable.PENDING_HOLDS_INDEX)
                .keyConditionExpression("#shard = :shard AND #next <= :now")
                .expressionAttributeNames(Map.of("#shard", WalletTable.HOLD_SHARD, "#next", WalletTable.NEXT_HOLD_EXPIRY))
                .expressionAttributeValues(Map.of(":shard", Items.s("HOLDS#" + shard), ":now", Items.n(now.getEpochSecond())))
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.items().stream()
                .map(item -> AccountId.of(item.get(WalletTable.PK).s().substring(Items.ACCOUNT_PREFIX.length())))
                .toList();
    }

    @Override
    public EventSnapshot readForEvent(AccountId id, String eventId, Optional<String> paymentId) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(List.of(Items.accountKey(id), Items.eventKey(id, eventId)));
        paymentId.ifPresent(p -> keys.add(Items.purchaseKey(id, p)));
        Optional<Account> account = Optional.empty();
        boolean applied = false;
        Optional<PurchaseRecord> purchase = Optional.empty();
        for (Map<String, AttributeValue> item : batchGet(keys, "read the account, the event and the purchase")) {
            String sk = item.get(WalletTable.SK).s();
            if (sk.equals(Items.ACCOUNT_SK)) {
                account = Optional.of(Items.account(item));
            } else if (sk.startsWith(Items.EVENT_PREFIX)) {
                applied = true;
            } else {
                purchase = Optional.of(Items.purchase(item));
            }
        }
        return new EventSnapshot(account, applied, purchase);
    }

    @Override
    public Optional<AccountId> accountByStripeCustomer(String customerId) {
        return accountByIndex(WalletTable.STRIPE_CUSTOMERS_INDEX, WalletTable.STRIPE_CUSTOMER_ID, customerId, "a Stripe customer");
    }

    @Override
    public Optional<AccountId> accountByPayment(String paymentId) {
        return accountByIndex(WalletTable.STRIPE_PAYMENTS_INDEX, WalletTable.PAYMENT_ID, paymentId, "a Stripe payment");
    }

    private Optional<AccountId> accountByIndex(String index, String attribute, String value, String what) {
        QueryResponse response = call("find the account of " + what, () -> client.query(b -> b.tableName(table)
                .indexName(index)
                .keyConditionExpression("#key = :value")
                .expressionAttributeNames(Map.of("#key", attribute))
                .expressionAttributeValues(Map.of(":value", Items.s(value)))
                .limit(1)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.items().stream().findFirst()
                .map(item -> AccountId.of(item.get(WalletTable.PK).s().substring(Items.ACCOUNT_PREFIX.length())));
    }

    /** BatchGetItem's limit on keys per call. */
    static final int BATCH_GET_KEYS = 100;

    /**
     * A page of a segment of the sparse index CalendarAccounts (keys only: accounts on calendar periods, never the
     * ledger or other items), then the page's accounts read by key ({@value #BATCH_GET_KEYS} a call), in the
     * index's order. Eventually consistent (half the read units): a roll-over is conditioned on the version it
     * read, so an account read stale is re-read and rolled over from its current state, never twice. An account gone since the index was read is left out. The position is the index's
     * LastEvaluatedKey (index key and table key).
     */
    @Override
    public AccountScan.Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit) {
        var response = call("scan the accounts on calendar periods", () -> client.scan(b -> {
            b.tableName(table).indexName(WalletTable.CALENDAR_ACCOUNTS_INDEX).segment(segment).totalSegments(totalSegments).limit(limit)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            startAfter.ifPresent(position -> b.exclusiveStartKey(scanPosition(position)));
        }));
        List<Map<String, AttributeValue>> keys = response.items().stream()
                .map(item -> Items.key(item.get(WalletTable.PK).s(), item.get(WalletTable.SK).s())).toList();
        Map<String, Account> byPk = new java.util.HashMap<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_KEYS) {
            for (Map<String, AttributeValue> item : batchGet(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_KEYS)), "read the page's accounts", false)) {
                byPk.put(item.get(WalletTable.PK).s(), Items.account(item));
            }
        }
        List<Account> accounts = keys.stream().map(k -> byPk.get(k.get(WalletTable.PK).s())).filter(java.util.Objects::nonNull).toList();
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(String.join("\n", response.lastEvaluatedKey().get(WalletTable.CALENDAR_ACCOUNT).s(),
                        response.lastEvaluatedKey().get(WalletTable.PK).s(), response.lastEvaluatedKey().get(WalletTable.SK).s()))
                : Optional.empty();
        return new AccountScan.Page(accounts, next);
    }

    /** The ExclusiveStartKey of a position {@link #scan} returned. */
    private static Map<String, AttributeValue> scanPosition(String position) {
        String[] parts = position.split("\n", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a position of the CalendarAccounts index: " + position);
        }
        Map<String, AttributeValue> key = new java.util.HashMap<>(Items.key(parts[1], parts[2]));
        key.put(WalletTable.CALENDAR_ACCOUNT, Items.s(parts[0]));
        return key;
    }

    @Override
    public List<AccountScan.Checkpoint> checkpoints(String job) {
        return checkpoints.all(job);
    }

    @Override
    public Optional<AccountScan.Checkpoint> claim(String job, int segment, int totalSegments, String owner,
                                                  java.time.Instant leaseUntil, java.time.Instant now) {
        return checkpoints.claim(job, segment, totalSegments, owner, leaseUntil, now);
    }

    @Override
    public boolean save(String job, AccountScan.Checkpoint checkpoint, String owner, boolean release) {
        return checkpoints.save(job, checkpoint, owner, release);
    }

    @Override
    public int shards() {
        return WalletTable.HOLD_SHARDS;
    }

    @Override
    public Optional<HoldRecord> findHold(AccountId id, String holdId) {
        GetItemResponse response = call("read the hold", () -> client.getItem(b -> b.tableName(table)
                .key(Items.holdKey(id, holdId)).consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(Items.hold(response.item())) : Optional.empty();
    }

    @Override
    public RefundContext readRefund(AccountId id, String transactionId) {
        List<Map<String, AttributeValue>> found = batchGet(List.of(Items.ledgerKey(id, transactionId), Items.tallyKey(id, transactionId)),
                "read the transaction and its refunds");
        Optional<LedgerEntry> entry = Optional.empty();
        RefundTally tally = RefundTally.none(transactionId);
        for (Map<String, AttributeValue> item : found) {
            if (item.get(WalletTable.SK).s().startsWith(Items.LEDGER_PREFIX)) {
                entry = Optional.of(Items.ledgerEntry(item));
            } else {
                tally = Items.tally(item);
            }
        }
        return new RefundContext(entry, tally);
    }

    private TransactWriteItem resolveHold(AccountId id, SideWrite.ResolveHold r) {
        Map<String, AttributeValue> values = new java.util.HashMap<>();
        values.put(":status", Items.s(r.status().wireName()));
        values.put(":pending", Items.s(HoldStatus.PENDING.wireName()));
        values.put(":captured", Items.n(r.captured()));
        values.put(":tx", Items.s(r.transactionId()));
        values.put(":at", Items.s(r.at().toString()));
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(Items.holdKey(id, r.holdId()))
                .updateExpression("SET #status = :status, captured = :captured, captureTransactionId = :tx, resolvedAt = :at")
                .conditionExpression("#status = :pending")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
    }

    // ---- the transaction, its retries and its failures

    /** Runs the transaction, retrying only when every cancellation reason is a transaction conflict. */
    private void transact(List<TransactWriteItem> items) {
        for (int attempt = 0; ; attempt++) {
            try {
                call("write", () -> client.transactWriteItems(b -> b.transactItems(items)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
                return;
            } catch (TransactionCanceledException e) {
                if (!onlyConflicts(e)) {
                    throw e;
                }
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw new StoreUnavailableException("The account stayed contended through " + (attempt + 1)
                            + " attempts; nothing was charged. Retry with the same Idempotency-Key.", e);
                }
                sleep(backoff(attempt));
            }
        }
    }

    private static boolean onlyConflicts(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        boolean conflict = false;
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if ("TransactionConflict".equals(code)) {
                conflict = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return conflict;
    }

    private static boolean conditionFailed(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    /** The item that failed the condition at {@code index}, as DynamoDB returned it, or null. */
    private static Map<String, AttributeValue> failedItem(TransactionCanceledException e, int index) {
        if (!conditionFailed(e, index)) {
            return null;
        }
        CancellationReason reason = e.cancellationReasons().get(index);
        return reason.hasItem() ? reason.item() : Map.of();
    }

    private StoreUnavailableException unavailable(String what, TransactionCanceledException e) {
        return new StoreUnavailableException("DynamoDB refused to " + what + " (" + reasons(e) + "); nothing was changed.", e);
    }

    private static String reasons(TransactionCanceledException e) {
        return e.hasCancellationReasons() ? e.cancellationReasons().stream().map(CancellationReason::code).toList().toString() : "no reasons";
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (TransactionCanceledException e) {
            throw e;
        } catch (SdkException e) {
            throw new StoreUnavailableException("Could not " + what + " in DynamoDB: " + e.getClass().getSimpleName()
                    + ". Whether a write committed is unknown; retry with the same Idempotency-Key.", e);
        }
    }

    private Optional<IdempotencyRecord> live(IdempotencyRecord record) {
        return record.expiresAt().isAfter(clock.instant()) ? Optional.of(record) : Optional.empty();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        return put(item, condition, values, Map.of());
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

    /** Full jitter: a random wait up to an exponentially growing, capped bound. */
    static long backoff(int attempt) {
        long bound = Math.min(CONFLICT_BACKOFF_CAP_MILLIS, CONFLICT_BACKOFF_BASE_MILLIS << Math.min(attempt, 20));
        return ThreadLocalRandom.current().nextLong(bound + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting to retry; nothing was charged.", e);
        }
    }
}
