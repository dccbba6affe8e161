package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB round trips per request of the real handlers on the production adapter, proven on the request log of
 * the fake DynamoDB they talk to (every HTTP attempt is there), and counted by the SDK interceptor they ship with.
 */
class CallCountTest {

    private static final String CHAT = "{\"operation\":\"ai_chat\"}";
    private static FakeDynamoDb dynamo;
    private static FakeDynamoDbWallet wallet;
    private static FakeDynamoDbWallet coldInstance;
    private static DebitHandler debit;
    private static CheckHandler check;

    @BeforeAll
    static void start() {
        dynamo = new FakeDynamoDb();
        String table = dynamo.createWalletTable();
        wallet = new FakeDynamoDbWallet(dynamo, table);
        coldInstance = new FakeDynamoDbWallet(dynamo, table);
        debit = wallet.handler(DebitHandler::new);
        check = wallet.handler(CheckHandler::new);
        Wallets.open(debit, "counted");
        assertThat(Wallets.debit(debit, "counted", "first", CHAT).getStatusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        coldInstance.close();
        wallet.close();
    }

    @Test
    void aDebitInTheSteadyState_isOneTransactWriteItems_ofTheAccountItsEntryAndItsKey() {
        dynamo.clearRequests();
        wallet.counter.reset();

        assertThat(Wallets.debit(debit, "counted", "steady-1", CHAT).getStatusCode()).isEqualTo(201);

        assertThat(dynamo.operations()).containsExactly("TransactWriteItems");
        RecordedRequest tx = dynamo.requests().getFirst();
        assertThat(tx.status()).isEqualTo(200);
        assertThat(tx.list("TransactItems")).hasSize(3);
        assertThat(tx.string("TransactItems", 0, "Put", "Item", "SK", "S")).isEqualTo("ACCOUNT");
        assertThat(tx.string("TransactItems", 0, "Put", "ConditionExpression")).isEqualTo("#version = :before");
        assertThat(tx.string("TransactItems", 1, "Put", "Item", "SK", "S")).startsWith("TX#");
        assertThat(tx.string("TransactItems", 2, "Put", "Item", "SK", "S")).isEqualTo("IDEMPOTENCY#steady-1");
        // The balances after the entry (issue 15, ?asOf=) are an attribute of the entry's own Put: no item, no call more.
        assertThat(tx.string("TransactItems", 1, "Put", "Item", "balancesAfter", "S")).startsWith("credits:");
        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
    }

    @Test
    void aBalanceAsOfAnInstant_isOneGetItemAndOneQueryOfOneItem() {
        dynamo.clearRequests();
        wallet.counter.reset();
        var response = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account("counted")
                .caller("svc", "wallet:charge").query("asOf", java.time.Instant.now().toString()).build());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(dynamo.operations()).containsExactly("GetItem", "Query");
        assertThat(dynamo.requests("Query").getFirst().body()).containsEntry("Limit", java.math.BigDecimal.ONE)
                .containsEntry("ScanIndexForward", false);
        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("GetItem", 1L, "Query", 1L));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} stored lots")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 20, 100})
    void aDebitThatBurnsStoredLots_isStillOneTransactWriteItems_andItsWriteUnitsAreMeasured(int lots) {
        String account = "lots-" + lots;
        Wallets.open(debit, account);
        var service = wallet.bean(com.tokenwallet.domain.service.WalletService.class);
        for (int i = 0; i < lots; i++) {
            service.grant(new com.tokenwallet.domain.admin.AdminCommands.Grant(com.tokenwallet.domain.account.AccountId.of(account),
                    "credits", 2, "lot " + i, "ops", java.util.Optional.empty(), new com.tokenwallet.domain.admin.AdminCommands.LotTerms(
                            java.util.Optional.of(java.time.Instant.parse("2999-01-01T00:00:00Z").plusSeconds(i)), java.util.Optional.of(10),
                            java.util.Optional.of(new java.math.BigDecimal("0.0125")))),
                    r -> new com.tokenwallet.domain.idempotency.StoredResponse(201, "{}"));
        }
        dynamo.clearRequests();
        wallet.counter.reset();

        var response = Wallets.debit(debit, account, "burn-1", "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"one\"}");

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(dynamo.operations()).containsExactly("TransactWriteItems");
        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
        double units = wallet.counter.consumedWriteCapacityUnits();
        assertThat(units).isPositive();
        // A figure, not a bound: the account item grows with its lots. Kept in target/ (the console is the logs').
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "debit-wcu-by-stored-lots.jsonl"),
                    "{\"storedLots\":" + lots + ",\"debitWriteUnits\":" + units + "}\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Issue 15: a debit that burns every stored lot keeps them all in its entry (the refund gives them back), and is
     * still one call; its refund is still one read (the entry and its tally) and one write. Figures, not bounds:
     * target/debit-wcu-by-consumed-lots.jsonl.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} lots burned, then refunded")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 20, 100})
    void aDebitThatBurnsManyLots_isOneCall_andItsRefundIsOneReadAndOneWrite(int lots) {
        String account = "burn-" + lots;
        com.tokenwallet.domain.account.AccountId id = com.tokenwallet.domain.account.AccountId.of(account);
        Wallets.open(debit, account);
        var service = wallet.bean(com.tokenwallet.domain.service.WalletService.class);
        for (int i = 0; i < lots; i++) {
            service.grant(new com.tokenwallet.domain.admin.AdminCommands.Grant(id, "credits", 2, "lot " + i, "ops", java.util.Optional.empty(),
                    new com.tokenwallet.domain.admin.AdminCommands.LotTerms(java.util.Optional.of(java.time.Instant.parse("2999-01-01T00:00:00Z")
                            .plusSeconds(i)), java.util.Optional.of(10), java.util.Optional.of(new java.math.BigDecimal("0.0125")))),
                    r -> new com.tokenwallet.domain.idempotency.StoredResponse(201, "{}"));
        }
        dynamo.clearRequests();
        wallet.counter.reset();

        var response = Wallets.debit(debit, account, "burn-all", "{\"bucket\":\"credits\",\"amount\":" + 2 * lots + ",\"description\":\"all\"}");

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
        double debitUnits = wallet.counter.consumedWriteCapacityUnits();
        String transactionId = (String) com.tokenwallet.api.testing.TestWallet.body(response).get("transactionId");
        dynamo.clearRequests();
        wallet.counter.reset();

        service.refund(new com.tokenwallet.domain.command.HoldCommands.Refund(id, transactionId, java.util.OptionalLong.empty(), "failed",
                new com.tokenwallet.domain.idempotency.Idempotency(new com.tokenwallet.domain.idempotency.IdempotencyKey("refund-all"), "f")),
                r -> new com.tokenwallet.domain.idempotency.StoredResponse(201, "{}"));

        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("BatchGetItem", 1L, "TransactWriteItems", 1L));
        double refundUnits = wallet.counter.consumedWriteCapacityUnits();
        var account1 = wallet.bean(com.tokenwallet.domain.port.WalletStore.class).findAccount(id).orElseThrow();
        assertThat(account1.storedLotCount()).as("every used-up lot created again").isEqualTo(lots);
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "debit-wcu-by-consumed-lots.jsonl"),
                    "{\"lotsConsumed\":" + lots + ",\"debitWriteUnits\":" + debitUnits + ",\"refundWriteUnits\":" + refundUnits + "}\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aReplayIsAtMostOneCallAndNoWrite() {
        assertThat(Wallets.debit(debit, "counted", "replayed", CHAT).getStatusCode()).isEqualTo(201);

        dynamo.clearRequests();
        wallet.counter.reset();
        Wallets.debit(debit, "counted", "replayed", CHAT);
        assertThat(dynamo.requests()).hasSizeLessThanOrEqualTo(1);
        assertThat(dynamo.operations()).doesNotContain("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem");
        assertThat(wallet.counter.writeCalls()).isZero();

        // Another instance, which never saw this account or key: one consistent read answers it.
        DebitHandler cold = coldInstance.handler(DebitHandler::new);
        dynamo.clearRequests();
        coldInstance.counter.reset();
        var replay = Wallets.debit(cold, "counted", "replayed", CHAT);
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(dynamo.operations()).containsExactly("BatchGetItem");
        assertThat(dynamo.requests().getFirst().at("RequestItems")).isNotNull();
        assertThat(coldInstance.counter.snapshot()).isEqualTo(Map.of("BatchGetItem", 1L));
    }

    @Test
    void aBalanceReadIsOneGetItem() {
        dynamo.clearRequests();
        wallet.counter.reset();
        Wallets.available(check, "counted", "credits");
        assertThat(dynamo.operations()).containsExactly("GetItem");
        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("GetItem", 1L));
    }
}
