package com.tokenwallet.packaged;

/**
 * Lambda's Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}): an asynchronous invocation
 * ({@code X-Amz-Invocation-Type: Event}) is queued, 202; or, once {@link #refuse} was called, the service is throttled
 * (429 TooManyRequestsException), as when the function's reserved concurrency and queue are exhausted.
 */
final class FakeLambdaApi extends RecordingServer {
    private volatile boolean refusing;

    /** From now on every Invoke is refused. */
    void refuse() {
        refusing = true;
    }

    void accept() {
        refusing = false;
    }

    @Override
    protected Answer answer(Request request) {
        if (!request.method().equals("POST") || !request.path().startsWith("/2015-03-31/functions/")
                || !request.path().endsWith("/invocations")) {
            return new Answer(404, "{\"Type\":\"User\",\"message\":\"no such resource\"}", "application/json");
        }
        if (refusing) {
            return new Answer(429, "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\",\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}",
                    "application/json");
        }
        return new Answer("Event".equals(request.invocationType()) ? 202 : 200, "", "application/json");
    }
}
