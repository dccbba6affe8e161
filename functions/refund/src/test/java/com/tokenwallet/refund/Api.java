package com.tokenwallet.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Short calls the refund tests share, as a trusted backend ({@code wallet:charge}) makes them. */
final class Api {
    static final String SERVICE = "billing-backend";
    static final String CHARGE = "wallet:charge";

    private Api() {
    }

    static void open(DebitHandler debit, String accountId) {
        var response = TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(accountId)
                .caller(SERVICE, CHARGE).json("{}").build());
        assertThat(response.getStatusCode()).as(response.getBody()).isIn(200, 201);
    }

    static APIGatewayV2HTTPResponse debit(DebitHandler debit, String accountId, String key, String body) {
        return TestWallet.call(debit, ApiEvents.route(DebitHandler.DEBITS).account(accountId)
                .caller(SERVICE, CHARGE).idempotencyKey(key).json(body).build());
    }

    /** A debit of {@code amount} credits that must succeed; returns its transaction id. */
    static String debited(DebitHandler debit, String accountId, String key, long amount) {
        var response = debit(debit, accountId, key, credits(amount));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        return (String) TestWallet.body(response).get("transactionId");
    }

    static APIGatewayV2HTTPResponse hold(DebitHandler debit, String accountId, String key, String body) {
        return TestWallet.call(debit, ApiEvents.route(DebitHandler.HOLDS).account(accountId)
                .caller(SERVICE, CHARGE).idempotencyKey(key).json(body).build());
    }

    /** A hold of {@code amount} credits for {@code ttlSeconds} that must succeed; returns its hold id. */
    static String held(DebitHandler debit, String accountId, String key, long amount, long ttlSeconds) {
        var response = hold(debit, accountId, key, holdBody(amount, ttlSeconds));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        return (String) TestWallet.body(response).get("holdId");
    }

    /** Capture with a JSON body, or with no body at all when {@code body} is null. */
    static APIGatewayV2HTTPResponse capture(DebitHandler debit, String accountId, String holdId, String key, String body) {
        ApiEvents event = ApiEvents.route(DebitHandler.CAPTURE).account(accountId).pathParameter("holdId", holdId)
                .caller(SERVICE, CHARGE).idempotencyKey(key);
        if (body != null) {
            event.json(body);
        }
        return TestWallet.call(debit, event.build());
    }

    static APIGatewayV2HTTPResponse release(RefundHandler refund, String accountId, String holdId, String key) {
        return TestWallet.call(refund, ApiEvents.route(RefundHandler.RELEASE).account(accountId).pathParameter("holdId", holdId)
                .caller(SERVICE, CHARGE).idempotencyKey(key).build());
    }

    static APIGatewayV2HTTPResponse refund(RefundHandler refund, String accountId, String key, String body) {
        return TestWallet.call(refund, ApiEvents.route(RefundHandler.REFUNDS).account(accountId)
                .caller(SERVICE, CHARGE).idempotencyKey(key).json(body).build());
    }

    static String refundBody(String transactionId, Long amount) {
        return "{\"transactionId\":\"" + transactionId + "\"" + (amount == null ? "" : ",\"amount\":" + amount)
                + ",\"reason\":\"the job failed\"}";
    }

    static String credits(long amount) {
        return "{\"bucket\":\"credits\",\"amount\":" + amount + ",\"description\":\"test charge\"}";
    }

    static String holdBody(long amount, long ttlSeconds) {
        return "{\"bucket\":\"credits\",\"amount\":" + amount + ",\"description\":\"render\",\"ttlSeconds\":" + ttlSeconds + "}";
    }

    static Map<String, Object> balance(CheckHandler check, String accountId) {
        var response = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account(accountId).caller(SERVICE, CHARGE).build());
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return TestWallet.body(response);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> bucket(Map<String, Object> balance, String bucket) {
        return (Map<String, Object>) ((Map<String, Object>) balance.get("buckets")).get(bucket);
    }

    static long available(CheckHandler check, String accountId, String bucket) {
        return number(bucket(balance(check, accountId), bucket).get("available"));
    }

    static long heldTokens(CheckHandler check, String accountId, String bucket) {
        return number(bucket(balance(check, accountId), bucket).get("held"));
    }

    /** Every ledger entry of the account through the API, newest first, following the cursor (bounded). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ledger(CheckHandler check, String accountId) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            ApiEvents event = ApiEvents.route(CheckHandler.TRANSACTIONS).account(accountId).caller(SERVICE, CHARGE).query("limit", "100");
            if (cursor != null) {
                event.query("cursor", cursor);
            }
            var response = TestWallet.call(check, event.build());
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            Map<String, Object> body = TestWallet.body(response);
            all.addAll((List<Map<String, Object>>) body.get("items"));
            cursor = (String) body.get("nextCursor");
            if (cursor == null) {
                return all;
            }
        }
        throw new AssertionError("more than 100 pages");
    }

    static String code(APIGatewayV2HTTPResponse response) {
        return (String) TestWallet.body(response).get("code");
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    static long number(APIGatewayV2HTTPResponse response, String field) {
        return number(TestWallet.body(response).get(field));
    }

    static String string(APIGatewayV2HTTPResponse response, String field) {
        return (String) TestWallet.body(response).get(field);
    }
}
