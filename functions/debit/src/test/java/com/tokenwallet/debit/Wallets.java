package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import java.util.List;
import java.util.Map;

/** Short calls the debit tests share: open an account, debit it, read its balance and whole ledger. */
final class Wallets {
    static final String SERVICE = "billing-backend";

    private Wallets() {
    }

    static void open(DebitHandler debit, String accountId) {
        var response = TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(accountId)
                .caller(SERVICE, "wallet:charge").json("{}").build());
        assertThat(response.getStatusCode()).isIn(200, 201);
    }

    static APIGatewayV2HTTPResponse debit(DebitHandler debit, String accountId, String key, String body) {
        return TestWallet.call(debit, ApiEvents.route(DebitHandler.DEBITS).account(accountId)
                .caller(SERVICE, "wallet:charge").idempotencyKey(key).json(body).build());
    }

    static long available(CheckHandler check, String accountId, String bucket) {
        var response = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account(accountId)
                .caller(SERVICE, "wallet:charge").build());
        assertThat(response.getStatusCode()).isEqualTo(200);
        return number(bucket(TestWallet.body(response), bucket).get("available"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> bucket(Map<String, Object> balance, String bucket) {
        return (Map<String, Object>) ((Map<String, Object>) balance.get("buckets")).get(bucket);
    }

    /** Every ledger entry of the account, newest first, following the cursor (bounded). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ledger(CheckHandler check, String accountId) {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            ApiEvents event = ApiEvents.route(CheckHandler.TRANSACTIONS).account(accountId).caller(SERVICE, "wallet:charge").query("limit", "100");
            if (cursor != null) {
                event.query("cursor", cursor);
            }
            var response = TestWallet.call(check, event.build());
            assertThat(response.getStatusCode()).isEqualTo(200);
            Map<String, Object> body = TestWallet.body(response);
            all.addAll((List<Map<String, Object>>) body.get("items"));
            cursor = (String) body.get("nextCursor");
            if (cursor == null) {
                return all;
            }
        }
        throw new AssertionError("more than 100 pages");
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }
}
