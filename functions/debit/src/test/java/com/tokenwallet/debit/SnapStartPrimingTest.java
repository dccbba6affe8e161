package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The debit function's SnapStart priming on the production adapter over a fake DynamoDB: its success path (accounts
 * opened and charged on a twin whose DynamoDB answers in memory) succeeds, and nothing of it reaches the table, the
 * function's output or the function's own state: its writes to the real store are all refused, the table is
 * unchanged, and a debit afterwards is still one TransactWriteItems.
 */
class SnapStartPrimingTest {
    private static final String CHAT = "{\"operation\":\"ai_chat\"}";

    @Test
    void priming_succeedsOnItsTwin_andChangesNothingOutsideIt() {
        FakeDynamoDb dynamo = new FakeDynamoDb();
        String table = dynamo.createWalletTable();
        try (FakeDynamoDbWallet wallet = new FakeDynamoDbWallet(dynamo, table)) {
            DebitHandler debit = wallet.handler(DebitHandler::new);
            Wallets.open(debit, "bystander");
            assertThat(Wallets.debit(debit, "bystander", "before", CHAT).getStatusCode()).isEqualTo(201);
            List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> before = dynamo.items(table);
            dynamo.clearRequests();

            PrintStream out = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                debit.priming().prime();
                debit.priming().restore();
            } finally {
                System.setOut(out);
            }

            // The twin: the accounts opened (201), each charged twice, 50 of them twice more, held once and one key
            // replayed (201 each).
            assertThat(debit.successPrimingEvents()).hasSize(DebitHandler.LOCAL_ACCOUNTS * 2 + DebitHandler.FULL_ACCOUNTS * 4);
            assertThat(debit.successPrimingAnswers()).isEqualTo(Map.of(201,
                    (long) DebitHandler.LOCAL_ACCOUNTS + debit.successPrimingEvents().size()));
            assertThat(printed.toString(StandardCharsets.UTF_8)).as("priming writes nothing to the function's log").isEmpty();
            assertThat(dynamo.items(table)).as("priming changed nothing").isEqualTo(before);
            assertThat(dynamo.requests("TransactWriteItems")).as("its writes to the real store were all refused")
                    .isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(400));
            assertThat(dynamo.requests()).extracting(RecordedRequest::body).allSatisfy(body ->
                    assertThat(body.toString()).doesNotContain("snapstart-priming-local"));

            dynamo.clearRequests();
            assertThat(Wallets.debit(debit, "bystander", "after", CHAT).getStatusCode()).isEqualTo(201);
            assertThat(dynamo.operations()).containsExactly("TransactWriteItems");
        }
    }
}
