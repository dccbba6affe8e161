package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda {@link Context} of SnapStart priming's own invocations, which go through {@code handleRequest} as
 * Lambda's do. No route reads it; its logger writes nothing (priming writes nothing to the function's output).
 */
final class PrimingLambdaContext implements Context {
    static final PrimingLambdaContext INSTANCE = new PrimingLambdaContext();

    private static final LambdaLogger SILENT = new LambdaLogger() {
        @Override
        public void log(String message) {
        }

        @Override
        public void log(byte[] message) {
        }
    };

    private PrimingLambdaContext() {
    }

    @Override
    public String getAwsRequestId() {
        return "snapstart-priming";
    }

    @Override
    public String getLogGroupName() {
        return "snapstart-priming";
    }

    @Override
    public String getLogStreamName() {
        return "snapstart-priming";
    }

    @Override
    public String getFunctionName() {
        return "snapstart-priming";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "snapstart-priming";
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
        return 60_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return SILENT;
    }
}
