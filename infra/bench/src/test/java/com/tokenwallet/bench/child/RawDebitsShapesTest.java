package com.tokenwallet.bench.child;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import io.micronaut.context.ApplicationContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The raw side of the debit comparisons (section 3's throughput, section 2's bare handler) sends the request the
 * debit handler sends: the same {@code TransactWriteItems} (account put, ledger entry with its consumed lots and
 * every bucket's balances after it, idempotency record with the same fingerprint and receipt), compared whole as the
 * fake received it, with only what is new at each write masked (transaction ids, times, the SDK's ClientRequestToken).
 * Each side on its own fake, the same table and account names, the account opened by the handler.
 */
class RawDebitsShapesTest {
    static final String TABLE = "wallet-debit-shapes";

    @TempDir
    Path dir;

    @Test
    void aDebitOfPurchasedTokens_asTheBenchSendsIt_isTheHandlersRequest() throws Exception {
        assertSameRequest(null, DebitEvents.BUCKET, DebitEvents.DEBIT_BODY);
    }

    @Test
    void aDebitOfAllowanceAndPurchasedTokens_isTheHandlersRequest() throws Exception {
        // Plan solo: mockup's allowance is 3; a debit of 4 takes 3 from it, then 1 of the purchased tokens a grant gave.
        Path catalog = dir.resolve("catalog.json");
        try (InputStream in = CatalogLoader.class.getResourceAsStream(CatalogLoader.DEFAULT_RESOURCE)) {
            Files.writeString(catalog, new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\"")
                    .replace("\"signupGrant\": {\"bucket\": \"credits\", \"amount\": 10}", "\"signupGrant\": {\"bucket\": \"mockup\", \"amount\": 10}"));
        }
        assertSameRequest(catalog, "mockup", "{\"bucket\":\"mockup\",\"amount\":4,\"description\":\"bench debit\"}");
    }

    private void assertSameRequest(Path catalog, String bucket, String body) throws Exception {
        RecordedRequest handler = side(catalog, bucket, body, false);
        RecordedRequest raw = side(catalog, bucket, body, true);
        assertThat(handler.operation()).isEqualTo("TransactWriteItems");
        assertThat(raw.operation()).isEqualTo("TransactWriteItems");
        String handlerShape = canonical(handler.body()).toString();
        assertThat(canonical(raw.body()).toString()).isEqualTo(handlerShape);
        assertThat(handlerShape).contains("balancesAfter").contains("consumed").contains("fingerprint");
    }

    /** The one request of a debit of a fresh account, by the handler or by RawDebits on the account item as stored. */
    private static RecordedRequest side(Path catalog, String bucket, String body, boolean raw) throws Exception {
        FakeDynamoDb fake = new FakeDynamoDb();
        Map<String, Object> properties = new HashMap<>(Map.of("wallet.table", TABLE));
        if (catalog != null) {
            properties.put("wallet.catalog", catalog.toString());
        }
        try (DynamoDbClient client = fake.client()) {
            client.createTable(com.tokenwallet.dynamodb.WalletTable.createTableRequest(TABLE));
            try (ApplicationContext context = WalletContexts.start(properties, client)) {
                DebitHandler handler = new DebitHandler(context);
                assertThat(handler.handleRequest(DebitEvents.open("shapes"), new BenchContext()).getStatusCode()).isEqualTo(201);
                Map<String, AttributeValue> account = client.getItem(b -> b.tableName(TABLE).key(RawDebits.accountKey("shapes")).consistentRead(true)).item();
                fake.clearRequests();
                if (raw) {
                    long amount = Long.parseLong(body.replaceAll(".*\"amount\":(\\d+).*", "$1"));
                    RawDebits.Prepared debit = RawDebits.prepare(TABLE, account, bucket, amount, DebitEvents.DESCRIPTION, "key-1",
                            RawDebits.fingerprint(DebitEvents.DEBIT_ROUTE, "shapes", body), Instant.now());
                    client.transactWriteItems(debit.request());
                } else {
                    assertThat(handler.handleRequest(DebitEvents.event(DebitEvents.DEBIT_ROUTE, "shapes", null, "key-1", body), new BenchContext())
                            .getStatusCode()).isEqualTo(201);
                }
                List<RecordedRequest> requests = fake.requests();
                assertThat(requests).hasSize(1);
                return requests.getFirst();
            }
        }
    }

    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> {
                String key = (String) k;
                Object c = canonical(v);
                if (List.of("ClientRequestToken", "transactionId", "createdAt", "expiresAt", ":now").contains(key)
                        || (key.equals("SK") && c.toString().startsWith("{S=TX#"))) {
                    c = "<new>";
                } else if (key.equals("body")) {
                    c = c.toString().replaceAll("tx_[0-9A-Z]{26}", "<tx>").replaceAll("\"createdAt\":\"[^\"]+\"", "\"createdAt\":<new>");
                }
                sorted.put(key, c);
            });
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RawDebitsShapesTest::canonical).toList();
        }
        return String.valueOf(value);
    }
}
