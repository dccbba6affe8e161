package com.tokenwallet.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.tokenwallet.api.CurrentInvocation;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.api.testing.ApiEvents;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * micronaut-function-aws's MicronautRequestHandler.handleRequest hands every invocation's Lambda Context to the
 * context's LambdaContextFactory. The library's registers it (and its logger) as new singletons each time, so bean
 * definitions pile up and every lookup gets slower; ours ({@link CurrentInvocation}) registers nothing. Counted
 * (bean definitions, deterministic) and timed (medians far apart, so that noise cannot fail it, while the defect's
 * growth of several ms a call after thousands of calls cannot pass).
 */
class InvocationCostTest {

    static final int WARM_UP = 2_000;
    static final int INVOCATIONS = 20_000;
    static final int WINDOW = 1_000;

    @Test
    void handleRequest_keepsTheBeanCountAndTheTimePerCallFlat_over20000Invocations() {
        try (ApplicationContext context = context()) {
            CheckHandler handler = new CheckHandler(context);
            assertThat(context.getBean(LambdaContextFactory.class)).isInstanceOf(CurrentInvocation.class);
            APIGatewayV2HTTPEvent catalog = ApiEvents.route(CheckHandler.CATALOG).caller("alice", "wallet:read").build();
            Context lambda = new FakeLambdaContext();
            for (int i = 0; i < WARM_UP; i++) {
                assertThat(handler.handleRequest(catalog, lambda).getStatusCode()).isEqualTo(200);
            }
            int beansBefore = context.getAllBeanDefinitions().size();

            long[] nanos = new long[INVOCATIONS];
            for (int i = 0; i < INVOCATIONS; i++) {
                long started = System.nanoTime();
                int status = handler.handleRequest(catalog, lambda).getStatusCode();
                nanos[i] = System.nanoTime() - started;
                assertThat(status).isEqualTo(200);
            }

            assertThat(context.getAllBeanDefinitions()).as("bean definitions after %d more invocations", INVOCATIONS)
                    .hasSize(beansBefore);
            long first = median(Arrays.copyOfRange(nanos, 0, WINDOW));
            long last = median(Arrays.copyOfRange(nanos, INVOCATIONS - WINDOW, INVOCATIONS));
            assertThat(last).as("median ns of the last %d calls against the first %d (%d ns)", WINDOW, WINDOW, first)
                    .isLessThan(3 * first + 250_000);
        }
    }

    /** What the count above detects: the library's own factory adds bean definitions on every call. */
    @Test
    void theLibrarysFactory_addsBeanDefinitionsOnEveryInvocation() {
        try (ApplicationContext context = context()) {
            LambdaContextFactory library = new DefaultLambdaContextFactory(context);
            int before = context.getAllBeanDefinitions().size();
            Context lambda = new FakeLambdaContext();
            for (int i = 0; i < 1_000; i++) {
                library.registerSingletons(lambda);
            }
            assertThat(context.getAllBeanDefinitions().size() - before).isGreaterThanOrEqualTo(1_000);
        }
    }

    private static ApplicationContext context() {
        // The catalog route reads no account: the store's client is built (region, no endpoint) and never called.
        return WalletContexts.start(Map.of("wallet.table", "never-read", "aws.region", "us-east-1"));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A Lambda context with a logger, as the runtime passes one. */
    static final class FakeLambdaContext implements Context {
        private final LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
            }

            @Override
            public void log(byte[] message) {
            }
        };

        @Override
        public String getAwsRequestId() {
            return "8f5c7d2e-0000-4000-8000-000000000001";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/check";
        }

        @Override
        public String getLogStreamName() {
            return "2026/12/01/[$LATEST]0";
        }

        @Override
        public String getFunctionName() {
            return "check";
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:check:live";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 10_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return logger;
        }
    }
}
