package com.tokenwallet.packaged;

import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment of a function, as Lambda runs it for a published version behind its alias (the template
 * sets {@code AutoPublishAlias: live} and SnapStart): its JVM ({@link FunctionProcess}) and its Runtime API
 * ({@link RuntimeApi}), the variables Lambda sets, and the template's own. INIT runs as SnapStart runs it
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}): the client calls the CRaC resources' beforeCheckpoint,
 * asks the Runtime API for {@code /restore/next}, then calls afterRestore, before the first invocation.
 */
final class LambdaEnvironment implements AutoCloseable {
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(90);
    static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(60);

    final TemplateFunctions.Function function;
    private final RuntimeApi runtimeApi;
    private final FunctionProcess process;
    private int invocations;
    private int failedInvocations;

    /** A function's answer, and for API Gateway responses, their parts. */
    record Answer(RuntimeApi.Result result, Map<String, Object> json) {
        int status() {
            return ((Number) json.get("statusCode")).intValue();
        }

        @SuppressWarnings("unchecked")
        String header(String name) {
            Map<String, Object> headers = (Map<String, Object>) json.getOrDefault("headers", Map.of());
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null);
        }

        Map<String, Object> body() {
            try {
                return StrictJson.object((String) json.get("body"));
            } catch (IOException e) {
                throw new AssertionError("the body is not a JSON object: " + json.get("body"), e);
            }
        }
    }

    private LambdaEnvironment(TemplateFunctions.Function function, RuntimeApi runtimeApi, FunctionProcess process) {
        this.function = function;
        this.runtimeApi = runtimeApi;
        this.process = process;
    }

    /**
     * Starts the function and waits for its INIT.
     *
     * @param endpoints the AWS_ENDPOINT_URL_ variables: which fakes the SDK's clients talk to
     */
    static LambdaEnvironment start(TemplateFunctions.Function function, Intrinsics intrinsics, Map<String, String> endpoints,
                                   Path runtimeDir, Path workDir, String logName) throws IOException {
        String arn = "arn:aws:lambda:" + intrinsics.region() + ":" + intrinsics.accountId() + ":function:"
                + function.functionName() + ":live";
        RuntimeApi api = new RuntimeApi(arn, function.timeoutSeconds());
        Map<String, String> env = new LinkedHashMap<>();
        // What Lambda sets in every java21 execution environment (the reserved variables).
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("_HANDLER", function.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_REGION", intrinsics.region());
        env.put("AWS_DEFAULT_REGION", intrinsics.region());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/01/[1]0123456789abcdef0123456789abcdef");
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        // The execution role's temporary credentials: placeholders, which only the fakes on 127.0.0.1 ever see.
        env.put("AWS_ACCESS_KEY_ID", "ASIAPACKAGEDTEST0001");
        env.put("AWS_SECRET_ACCESS_KEY", "packaged-test-secret-access-key-not-real");
        env.put("AWS_SESSION_TOKEN", "packaged-test-session-token");
        env.putAll(function.environment());
        env.putAll(endpoints);
        FunctionProcess process = FunctionProcess.start(function, env, runtimeDir, workDir, logName);
        LambdaEnvironment environment = new LambdaEnvironment(function, api, process);
        try {
            String initError = api.awaitInit(INIT_TIMEOUT);
            if (initError != null) {
                throw new AssertionError(function.logicalId() + " failed INIT: " + initError + "\nstderr: "
                        + String.join("\n", process.stderr()) + "\nstdout: " + String.join("\n", process.stdout()));
            }
        } catch (TimeoutException | InterruptedException e) {
            environment.close();
            throw new AssertionError(function.logicalId() + " did not finish INIT in " + INIT_TIMEOUT + "; stderr: "
                    + String.join("\n", process.stderr()), e);
        }
        return environment;
    }

    /** Whether INIT went through SnapStart's checkpoint and restore. */
    boolean restored() {
        return runtimeApi.restored();
    }

    /** Invokes the function and returns its answer, parsed when it is a JSON object. */
    Answer invoke(String event) {
        RuntimeApi.Result result;
        try {
            result = runtimeApi.invoke(event, INVOKE_TIMEOUT);
        } catch (TimeoutException | InterruptedException e) {
            throw new AssertionError(function.logicalId() + " did not answer in " + INVOKE_TIMEOUT + " (alive: "
                    + process.isAlive() + ", log " + process.stdoutFile() + ")", e);
        }
        invocations++;
        if (result.error()) {
            failedInvocations++;
        }
        Map<String, Object> json = null;
        try {
            if (result.body().startsWith("{")) {
                json = StrictJson.object(result.body());
            }
        } catch (IOException e) {
            json = null;
        }
        return new Answer(result, json);
    }

    int invocations() {
        return invocations;
    }

    int failedInvocations() {
        return failedInvocations;
    }

    FunctionProcess process() {
        return process;
    }

    /** Ends the JVM while it waits for its next invocation (as Lambda ends an environment), then the Runtime API. */
    @Override
    public void close() {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runtimeApi.close();
        }
    }
}
