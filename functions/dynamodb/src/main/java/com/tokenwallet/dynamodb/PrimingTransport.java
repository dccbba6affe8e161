package com.tokenwallet.dynamodb;

import com.tokenwallet.domain.json.StrictJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP transport of a DynamoDB client that SnapStart priming uses to run the success path of a write (an account
 * opened, then charged) without a byte leaving the process: it answers DynamoDB's JSON protocol in memory, so the
 * SDK marshals, signs and unmarshals, and the store reads and writes, exactly as over a socket, and no table changes.
 *
 * <p>It is not a model of DynamoDB: conditions are not evaluated (every write succeeds), an {@code Update} is
 * accepted and ignored, and only the operations a debit needs are answered ({@code BatchGetItem},
 * {@code TransactWriteItems}, {@code GetItem}, {@code Query}); anything else is a 400. Puts are kept by key so that a
 * later read finds the item. Written here because no library offers an in-process DynamoDB stand-in for production
 * code (the tests' FakeDynamoDb is a test-jar and models far more).
 */
public final class PrimingTransport implements SdkHttpClient {
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private final Map<String, Object> items = new LinkedHashMap<>();
    private int requests;

    /**
     * A client built the production way ({@link DynamoDbClients#overTransport}) over a new stand-in, with these
     * interceptors: the function's own kinds (a {@link DynamoDbCallCounter} of its own), so that
     * their code for a successful answer runs too (the function's writes to the real store during priming are all
     * refused, so nothing else reaches it).
     */
    public static software.amazon.awssdk.services.dynamodb.DynamoDbClient client(String region,
            List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        return DynamoDbClients.overTransport(new PrimingTransport(), region, interceptors);
    }

    /** How many requests it answered (for tests). */
    public synchronized int requests() {
        return requests;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                byte[] body = new byte[0];
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        body = in.readAllBytes();
                    }
                }
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                return answer(target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target, body);
            }

            @Override
            public void abort() {
                // Answered in the caller's thread: nothing to abort.
            }
        };
    }

    @Override
    public void close() {
    }

    private synchronized HttpExecuteResponse answer(String operation, byte[] body) throws IOException {
        requests++;
        Map<String, Object> in = StrictJson.object(new String(body, StandardCharsets.UTF_8));
        Map<String, Object> out = new LinkedHashMap<>();
        switch (operation) {
            case "BatchGetItem" -> {
                Map<String, Object> responses = new LinkedHashMap<>();
                List<Object> capacity = new ArrayList<>();
                for (var table : map(in.get("RequestItems")).entrySet()) {
                    List<Object> found = new ArrayList<>();
                    for (Object key : list(map(table.getValue()).get("Keys"))) {
                        Object item = items.get(key(table.getKey(), map(key)));
                        if (item != null) {
                            found.add(item);
                        }
                    }
                    responses.put(table.getKey(), found);
                    capacity.add(capacity(table.getKey()));
                }
                out.put("Responses", responses);
                out.put("UnprocessedKeys", Map.of());
                out.put("ConsumedCapacity", capacity);
            }
            case "GetItem" -> {
                String table = (String) in.get("TableName");
                Object item = items.get(key(table, map(in.get("Key"))));
                if (item != null) {
                    out.put("Item", item);
                }
                out.put("ConsumedCapacity", capacity(table));
            }
            case "Query" -> {
                out.put("Items", List.of());
                out.put("Count", 0);
                out.put("ScannedCount", 0);
                out.put("ConsumedCapacity", capacity((String) in.get("TableName")));
            }
            case "TransactWriteItems" -> {
                List<Object> capacity = new ArrayList<>();
                for (Object action : list(in.get("TransactItems"))) {
                    Map<String, Object> a = map(action);
                    if (a.get("Put") != null) {
                        Map<String, Object> put = map(a.get("Put"));
                        Map<String, Object> item = map(put.get("Item"));
                        items.put(key((String) put.get("TableName"), item), item);
                        capacity.add(capacity((String) put.get("TableName")));
                    } else if (a.get("Delete") != null) {
                        Map<String, Object> delete = map(a.get("Delete"));
                        items.remove(key((String) delete.get("TableName"), map(delete.get("Key"))));
                    }
                }
                out.put("ConsumedCapacity", capacity);
            }
            default -> {
                return response(400, Map.of("__type", "com.amazon.coral.validate#ValidationException",
                        "message", "SnapStart priming's stand-in does not answer " + operation));
            }
        }
        return response(200, out);
    }

    private static Map<String, Object> capacity(String table) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("TableName", table);
        c.put("CapacityUnits", 2);
        return c;
    }

    private static String key(String table, Map<String, Object> item) {
        return table + "\u0000" + item.get("PK") + "\u0000" + item.get("SK");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static HttpExecuteResponse response(int status, Map<String, Object> json) {
        byte[] bytes = StrictJson.write(json).getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        SdkHttpResponse headers = SdkHttpResponse.builder().statusCode(status).statusText(status == 200 ? "OK" : "Bad Request")
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .putHeader("x-amzn-RequestId", "snapstart-priming")
                .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                .build();
        return HttpExecuteResponse.builder().response(headers)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
    }
}
