package com.tokenwallet.bench.reset;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.tokenwallet.quotareset.QuotaResetHandler;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Lambda {@link Context} of one worker turn (one invocation by the state machine's Task state). The worker asks
 * it after each page whether more than {@link QuotaResetHandler#MARGIN} is left. With {@code pages > 0} the first
 * {@code pages - 1} answers are a second more than the margin and every later one the margin alone, so a turn reads
 * exactly {@code pages} pages (as an invocation whose time runs out would; the bench's segments are far smaller than
 * a real turn's three minutes); with {@code pages == 0} it always has the function's 300 s timeout left, and the
 * worker's own {@link QuotaResetHandler#TURN} bounds the turn.
 */
public final class TurnContext implements Context {
    static final int FUNCTION_TIMEOUT_MILLIS = 300_000;

    private final String requestId = UUID.randomUUID().toString();
    private final int pages;
    private final AtomicInteger asked = new AtomicInteger();

    public TurnContext(int pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("pages per turn must be 0 (the worker's own turn) or more");
        }
        this.pages = pages;
    }

    @Override
    public int getRemainingTimeInMillis() {
        if (pages == 0) {
            return FUNCTION_TIMEOUT_MILLIS;
        }
        int margin = (int) QuotaResetHandler.MARGIN.toMillis();
        return asked.getAndIncrement() < pages - 1 ? margin + 1_000 : margin;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/quota-reset";
    }

    @Override
    public String getLogStreamName() {
        return "bench";
    }

    @Override
    public String getFunctionName() {
        return "quota-reset";
    }

    @Override
    public String getFunctionVersion() {
        return "live";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:quota-reset:live";
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
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.err.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
