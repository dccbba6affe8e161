package com.tokenwallet.quotareset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.testing.LocalDynamoDb;
import io.micronaut.context.ApplicationContext;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run that cannot finish in its invocation fails, so Lambda retries it; the retry finishes from the checkpoints. */
class QuotaResetRetryTest {

    @Test
    void anIncompleteRunFailsAndTheRetryCompletes() {
        QuotaResetTest.TestClock clock = new QuotaResetTest.TestClock();
        clock.now.set(Instant.parse("2026-11-15T12:00:00Z"));
        String table = LocalDynamoDb.shared().createTable();
        ApplicationContext context = WalletContexts.start(Map.of("wallet.table", table, "wallet.dynamodb.endpoint",
                LocalDynamoDb.shared().endpoint(), "wallet.reset.segments", 2, "wallet.reset.threads", 2), new DynamoDbCallCounter(), clock);
        try {
            DebitHandler debit = new DebitHandler(context);
            for (int i = 0; i < 5; i++) {
                assertThat(TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account("retry-" + i)
                        .caller("svc", "wallet:charge").json("{}").build()).getStatusCode()).isEqualTo(201);
            }
            clock.now.set(Instant.parse("2026-12-01T00:00:01Z"));
            QuotaResetHandler handler = new QuotaResetHandler(context);

            // 60 s left is all margin: no time to work, so the run is incomplete and must fail for a retry.
            assertThatThrownBy(() -> handler.handleRequest(null, remaining(60_000)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("resumes on the retry");
            String summary = handler.handleRequest(null, remaining(900_000));
            assertThat(summary).contains("\"complete\":true").contains("\"AccountsSeen\":5").contains("\"AccountsReset\":5");
        } finally {
            context.close();
        }
    }

    private static Context remaining(int millis) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> millis;
                    case "getAwsRequestId" -> "test-request";
                    default -> null;
                });
    }
}
