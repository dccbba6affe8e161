package com.tokenwallet.dynamodb.testing;

import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.WalletTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * An in-memory model of the part of DynamoDB's HTTP API this project uses (JSON 1.0 protocol, {@code X-Amz-Target:
 * DynamoDB_20120810.<Operation>}), answering with the documented response and error shapes: GetItem, BatchGetItem,
 * PutItem, UpdateItem, DeleteItem, TransactWriteItems (with ClientRequestToken idempotency), Query and Scan (indexes,
 * pages, segments, filters, projections), CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables and the
 * TTL settings. Expressions are parsed and evaluated ({@link Expressions}), not matched.
 *
 * <p>It exists because nothing DynamoDB-compatible can run here: DynamoDB Local's licence forbids it, LocalStack needs
 * Docker, and dynalite has no transactions. Reach it two ways: in-process through {@link #httpClient()} (a
 * DynamoDbClient built over it with {@link #client(ExecutionInterceptor...)}), or from another JVM through
 * {@link FakeDynamoDbServer} and {@code AWS_ENDPOINT_URL_DYNAMODB}.
 *
 * <p>Every request is recorded ({@link #requests()}) and faults can be scripted per operation
 * ({@link #failNext(String, Fault, int)}). Requests are carried out one at a time, each atomically. Unlike
 * DynamoDB: indexes are always current, a new table is ACTIVE at once, TTL is never enforced (DynamoDB's deletion lags
 * by days; code must not rely on it either), and transactions never conflict unless a fault says so.
 */
public final class FakeDynamoDb {
    public static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);
    private static final AtomicInteger TABLE_NAMES = new AtomicInteger();
    /** The request log keeps the latest requests only, so a long suite on one shared fake stays small. */
    static final int MAX_RECORDED = 10_000;

    private final Tables tables = new Tables();
    private final Operations operations = new Operations(tables);
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();
    private int sequence;
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    /** In insertion order, so expired tokens are dropped from the head. */
    private final Map<String, Token> tokens = new LinkedHashMap<>();

    private record Token(String fingerprint, Map<String, Object> response, Instant at) {
    }

    /** What a transport does with an answer: send it, or, by a fault, drop the connection or stay silent first. */
    record Answer(int status, byte[] body, boolean drop, Duration silence) {
    }

    // ---- ways in

    /** An SDK HTTP client whose requests this fake answers in-process, with no socket. */
    public SdkHttpClient httpClient() {
        return new FakeSdkHttpClient(this);
    }

    /** A client built the production way ({@link DynamoDbClients}) over {@link #httpClient()}. */
    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClients.overTransport(httpClient(), "us-east-1", List.of(interceptors));
    }

    /** Serves this fake over HTTP on a free port of 127.0.0.1, for other processes. */
    public FakeDynamoDbServer serve() {
        return serveOn(0);
    }

    /** Serves this fake over HTTP on 127.0.0.1:{@code port} (0 for a free one). */
    public FakeDynamoDbServer serveOn(int port) {
        return new FakeDynamoDbServer(this, port);
    }

    /** Creates a new, empty wallet table ({@link WalletTable#createTableRequest(String)}) and returns its name. */
    public String createWalletTable() {
        String name = "wallet-test-" + TABLE_NAMES.incrementAndGet();
        try (DynamoDbClient admin = client()) {
            admin.createTable(WalletTable.createTableRequest(name));
        } catch (ResourceInUseException e) {
            // The first call of a JVM loads many classes and can outlast the 1.5 s attempt bound on a busy machine;
            // the SDK's retry then finds the table its first attempt created. The name is this call's own.
        }
        return name;
    }

    // ---- faults

    /** The next {@code times} requests of {@code operation} (e.g. "TransactWriteItems") meet {@code fault}. */
    public synchronized FakeDynamoDb failNext(String operation, Fault fault, int times) {
        Deque<Fault> queue = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
        return this;
    }

    public FakeDynamoDb failNext(String operation, Fault fault) {
        return failNext(operation, fault, 1);
    }

    public synchronized int pendingFaults() {
        return faults.values().stream().mapToInt(Deque::size).sum();
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    // ---- the request log

    /** The requests received since the last {@link #clearRequests()}, oldest first (the latest 10,000 at most). */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<RecordedRequest> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    /** The operations received, in order. */
    public synchronized List<String> operations() {
        return requests.stream().map(RecordedRequest::operation).toList();
    }

    public synchronized void clearRequests() {
        requests.clear();
    }

    /** Every item of a table, read directly (not a request, not recorded): for asserting what a test left behind. */
    /**
     * Makes the table's replicas lag: until {@link #catchUp}, Query and Scan on a global secondary index, and
     * GetItem and BatchGetItem without ConsistentRead, answer from the items as they are now (DynamoDB propagates to
     * an index and to a read replica asynchronously); consistent reads and every write see the current table.
     */
    public synchronized FakeDynamoDb lag(String table) {
        tables.require(table).lag();
        return this;
    }

    /** The table's indexes and eventually consistent reads answer from its current items again. */
    public synchronized FakeDynamoDb catchUp(String table) {
        tables.require(table).catchUp();
        return this;
    }

    public synchronized List<Map<String, AttributeValue>> items(String table) {
        return tables.require(table).all();
    }

    // ---- the protocol

    /** Answers one request; called by the transports, one request at a time. */
    synchronized Answer handle(String target, byte[] body) {
        String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : String.valueOf(target);
        Deque<Fault> queue = faults.get(operation);
        Fault fault = queue == null ? null : queue.poll();
        Map<String, Object> request = Map.of();
        Answer answer;
        String error = null;
        try {
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                throw DynamoDbError.unknownOperation(String.valueOf(target));
            }
            request = parse(body);
            Map<String, Object> response = respond(operation, request, fault);
            answer = new Answer(200, Json.write(response), fault != null && fault.kind == Fault.Kind.COMMIT_THEN_DROP,
                    fault != null && fault.kind == Fault.Kind.COMMIT_THEN_SILENCE ? fault.silence : null);
        } catch (DynamoDbError e) {
            error = e.name();
            answer = new Answer(e.status, Json.write(e.body()), false, null);
        }
        if (fault != null && fault.kind == Fault.Kind.SILENCE) {
            answer = new Answer(0, new byte[0], false, fault.silence);
        }
        boolean withheld = answer.drop() || answer.silence() != null;
        if (requests.size() == MAX_RECORDED) {
            requests.removeFirst();
        }
        requests.add(new RecordedRequest(++sequence, operation, request, withheld ? 0 : answer.status(), withheld ? null : error,
                fault == null ? null : fault.toString()));
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] body) {
        Object parsed;
        try {
            parsed = Json.parse(body.length == 0 ? "{}".getBytes() : body);
        } catch (RuntimeException e) {
            throw DynamoDbError.serialization("the request body");
        }
        if (!(parsed instanceof Map)) {
            throw DynamoDbError.serialization("the request body");
        }
        return (Map<String, Object>) parsed;
    }

    private Map<String, Object> respond(String operation, Map<String, Object> request, Fault fault) {
        if (fault != null && fault.kind == Fault.Kind.SILENCE) {
            return Map.of();
        }
        if (fault != null && fault.kind == Fault.Kind.ERROR) {
            throw fault.error;
        }
        if (fault != null && fault.kind == Fault.Kind.TRANSACTION_CONFLICT) {
            List<Map<String, Object>> reasons = new ArrayList<>();
            int n = Json.array(request, "TransactItems").size();
            for (int i = 0; i < n; i++) {
                reasons.add(i == fault.count ? Map.of("Code", "TransactionConflict", "Message", "Transaction is ongoing for the item")
                        : Map.of("Code", "None"));
            }
            throw DynamoDbError.transactionCanceled(reasons);
        }
        return switch (operation) {
            case "GetItem" -> operations.getItem(request);
            case "BatchGetItem" -> operations.batchGetItem(request,
                    fault != null && fault.kind == Fault.Kind.UNPROCESSED_KEYS ? fault.count : 0);
            case "PutItem" -> operations.putItem(request);
            case "UpdateItem" -> operations.updateItem(request);
            case "DeleteItem" -> operations.deleteItem(request);
            case "TransactWriteItems" -> transactWriteItems(request);
            case "Query" -> operations.query(request);
            case "Scan" -> operations.scan(request);
            case "CreateTable" -> tables.createTable(request);
            case "DescribeTable" -> tables.describeTable(request);
            case "UpdateTable" -> tables.updateTable(request);
            case "DeleteTable" -> tables.deleteTable(request);
            case "ListTables" -> tables.listTables(request);
            case "UpdateTimeToLive" -> tables.updateTimeToLive(request);
            case "DescribeTimeToLive" -> tables.describeTimeToLive(request);
            default -> throw DynamoDbError.unknownOperation(TARGET_PREFIX + operation);
        };
    }

    /**
     * A ClientRequestToken makes TransactWriteItems idempotent for 10 minutes: the same token with the same items
     * answers as the first call did and writes nothing; with other items it is IdempotentParameterMismatchException.
     */
    private Map<String, Object> transactWriteItems(Map<String, Object> request) {
        String token = Json.string(request, "ClientRequestToken");
        String fingerprint = new String(Json.write(request.get("TransactItems")), java.nio.charset.StandardCharsets.UTF_8);
        Instant now = Instant.now();
        for (var oldest = tokens.entrySet().iterator(); oldest.hasNext(); ) {
            if (!oldest.next().getValue().at().plus(IDEMPOTENCY_WINDOW).isBefore(now)) {
                break;
            }
            oldest.remove();
        }
        if (token != null && tokens.containsKey(token)) {
            Token earlier = tokens.get(token);
            if (!earlier.fingerprint().equals(fingerprint)) {
                throw DynamoDbError.idempotentParameterMismatch();
            }
            return earlier.response();
        }
        Map<String, Object> response = operations.transactWriteItems(request);
        if (token != null) {
            tokens.put(token, new Token(fingerprint, new LinkedHashMap<>(response), now));
        }
        return response;
    }
}
