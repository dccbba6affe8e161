package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Lambda {@link Context} a handler gets, as far as a handler outside Lambda needs one: a function's names, a
 * request id of its own, 1024 MB, and {@link #getRemainingTimeInMillis()} 10 s (a subclass may answer otherwise).
 */
public class BenchContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final String version;
    private final String logGroup;
    private final String arn;

    /** The debit bench's context: function {@code bench}, version {@code $LATEST}. */
    public BenchContext() {
        this("bench", "$LATEST");
    }

    /** A context of the function {@code functionName}, invoked by its {@code version} (qualified ARN unless $LATEST). */
    protected BenchContext(String functionName, String version) {
        this.functionName = functionName;
        this.version = version;
        this.logGroup = "/aws/lambda/" + functionName;
        this.arn = "arn:aws:lambda:us-east-1:000000000000:function:" + functionName + ("$LATEST".equals(version) ? "" : ":" + version);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return logGroup;
    }

    @Override
    public String getLogStreamName() {
        return "bench";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return version;
    }

    @Override
    public String getInvokedFunctionArn() {
        return arn;
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
