package com.tokenwallet.quotareset;

import com.tokenwallet.domain.port.SegmentDispatcher;
import com.tokenwallet.domain.port.SegmentDispatcher.DispatchFailedException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Dispatches a segment as an asynchronous invocation ({@code InvocationType=Event}) of this very function, through
 * its alias: the alias's EventInvokeConfig (two retries, then the failure queue) then applies to the segment's
 * invocation, and the alias points at the published version SnapStart restores. Lambda queues the event and
 * answers 202. A deploy in the middle of a job moves the alias: the next hand-overs run the new code, which reads
 * the same checkpoints.
 */
public final class LambdaSegmentDispatcher implements SegmentDispatcher {
    static final int ACCEPTED = 202;
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private final LambdaClient client;
    private final String functionName;
    private final String qualifier;

    /**
     * @param qualifier the alias (or version) to invoke, or null for the unqualified function ($LATEST)
     */
    public LambdaSegmentDispatcher(LambdaClient client, String functionName, String qualifier) {
        if (functionName == null || functionName.isBlank()) {
            throw new IllegalArgumentException("the function to invoke has no name");
        }
        this.client = client;
        this.functionName = functionName;
        this.qualifier = qualifier == null || qualifier.isBlank() || "$LATEST".equals(qualifier) ? null : qualifier;
    }

    /**
     * The running function itself, from the variables Lambda sets ({@code AWS_LAMBDA_FUNCTION_NAME}), at the alias
     * {@code WALLET_RESET_ALIAS} (or, without one, at the running version, {@code AWS_LAMBDA_FUNCTION_VERSION}, to
     * which no alias's EventInvokeConfig applies). The client is built here, at start-up, so SnapStart's snapshot
     * holds it.
     */
    public static LambdaSegmentDispatcher fromEnvironment() {
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("AWS_LAMBDA_FUNCTION_NAME is not set: outside Lambda, build the handler with an "
                    + "ApplicationContext (its segments then run in this process)");
        }
        String alias = System.getenv("WALLET_RESET_ALIAS");
        return new LambdaSegmentDispatcher(client(null), name,
                alias != null && !alias.isBlank() ? alias : System.getenv("AWS_LAMBDA_FUNCTION_VERSION"));
    }

    /**
     * @param endpoint a local stand-in for the Lambda API (tests), or null for AWS (region and credentials from
     *                 the environment)
     */
    static LambdaClient client(URI endpoint) {
        var builder = LambdaClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(API_CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            builder.credentialsProvider(credentials());
        }
        return builder.build();
    }

    /** In Lambda the credentials are in the environment; reading them there skips the provider chain's probing. */
    private static AwsCredentialsProvider credentials() {
        if (System.getenv("AWS_ACCESS_KEY_ID") != null && System.getenv("AWS_SECRET_ACCESS_KEY") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** @throws DispatchFailedException when Lambda refused the invocation or could not be reached (after the SDK's retries) */
    @Override
    public void dispatch(SegmentTask task) {
        InvokeResponse response;
        try {
            response = client.invoke(b -> b.functionName(functionName).qualifier(qualifier)
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(SegmentPayload.json(task))));
        } catch (SdkException e) {
            throw new DispatchFailedException(task, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (response.statusCode() == null || response.statusCode() != ACCEPTED) {
            throw new DispatchFailedException(task, "Lambda answered status " + response.statusCode() + ", not " + ACCEPTED, null);
        }
    }
}
