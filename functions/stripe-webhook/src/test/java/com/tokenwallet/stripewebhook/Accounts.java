package com.tokenwallet.stripewebhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads and writes of the wallet's own API that the webhook tests check the events' effects with. */
final class Accounts {
    static final String SERVICE = "billing-backend";
    private final DebitHandler debit;
    private final CheckHandler check;

    Accounts(TestWallet wallet) {
        this.debit = wallet.handler(DebitHandler::new);
        this.check = wallet.handler(CheckHandler::new);
    }

    void open(String accountId) {
        var response = TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(accountId)
                .caller(SERVICE, "wallet:charge").json("{}").build());
        assertThat(response.getStatusCode()).isIn(200, 201);
    }

    void debit(String accountId, String bucket, long amount, String key) {
        var response = TestWallet.call(debit, ApiEvents.route(DebitHandler.DEBITS).account(accountId).caller(SERVICE, "wallet:charge")
                .idempotencyKey(key).json("{\"bucket\":\"" + bucket + "\",\"amount\":" + amount + ",\"description\":\"test\"}").build());
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    }

    Map<String, Object> balance(String accountId) {
        var response = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account(accountId).caller(SERVICE, "wallet:charge").build());
        assertThat(response.getStatusCode()).isEqualTo(200);
        return TestWallet.body(response);
    }

    /** {@code GET .../lots}: the lots with tokens left, in burn-down order. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> lots(String accountId) {
        var response = TestWallet.call(check, ApiEvents.route(CheckHandler.LOTS).account(accountId).caller(SERVICE, "wallet:charge").build());
        assertThat(response.getStatusCode()).isEqualTo(200);
        return (List<Map<String, Object>>) TestWallet.body(response).get("items");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> bucket(String accountId, String bucket) {
        return (Map<String, Object>) ((Map<String, Object>) balance(accountId).get("buckets")).get(bucket);
    }

    long purchased(String accountId, String bucket) {
        return ((Number) bucket(accountId, bucket).get("purchased")).longValue();
    }

    long allowance(String accountId, String bucket) {
        return ((Number) bucket(accountId, bucket).get("allowance")).longValue();
    }

    /** Every ledger entry, newest first (bounded paging). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ledger(String accountId) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 50; page++) {
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
        throw new AssertionError("more than 50 pages of ledger");
    }

    List<Map<String, Object>> entries(String accountId, String type) {
        return ledger(accountId).stream().filter(e -> type.equals(e.get("type"))).toList();
    }

    /** SPEC's invariant: per bucket, the ledger sums to allowance + purchased, and no part is negative. */
    @SuppressWarnings("unchecked")
    void assertInvariant(String accountId) {
        Map<String, Object> buckets = (Map<String, Object>) balance(accountId).get("buckets");
        List<Map<String, Object>> ledger = ledger(accountId);
        buckets.forEach((name, value) -> {
            Map<String, Object> b = (Map<String, Object>) value;
            long allowance = ((Number) b.get("allowance")).longValue();
            long purchased = ((Number) b.get("purchased")).longValue();
            long allowanceSum = ledger.stream().filter(e -> name.equals(e.get("bucket"))).mapToLong(e -> ((Number) e.get("allowanceDelta")).longValue()).sum();
            long purchasedSum = ledger.stream().filter(e -> name.equals(e.get("bucket"))).mapToLong(e -> ((Number) e.get("purchasedDelta")).longValue()).sum();
            assertThat(allowance).as("%s %s allowance", accountId, name).isEqualTo(allowanceSum).isNotNegative();
            assertThat(purchased).as("%s %s purchased", accountId, name).isEqualTo(purchasedSum).isNotNegative();
        });
    }
}
