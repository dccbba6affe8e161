package com.tokenwallet.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the one DynamoDB client a function uses: the URL-connection HTTP client (the quickest to start). */
public final class DynamoDbClients {

    /** Far under the functions' timeout, so a stuck call ends as a 503 the caller can retry with its key. */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(4);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /**
     * A local endpoint (the fake DynamoDB server of the tests and the benchmark, LocalStack, the runner's
     * {@code serve --dynamodb-endpoint}) runs on the developer's machine, where a busy CPU can stall a call for
     * seconds: generous bounds there, so a loaded machine does not look like an outage.
     */
    static final Duration LOCAL_API_CALL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration LOCAL_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    private DynamoDbClients() {
    }

    /**
     * @param endpoint a local DynamoDB (for example {@code http://127.0.0.1:8000}), or null for AWS
     * @param region   the region, or null for {@code AWS_REGION} (us-east-1 when talking to a local endpoint)
     */
    public static DynamoDbClient create(String endpoint, String region, List<ExecutionInterceptor> interceptors) {
        var builder = configured(endpoint == null ? API_CALL_TIMEOUT : LOCAL_API_CALL_TIMEOUT,
                endpoint == null ? ATTEMPT_TIMEOUT : LOCAL_ATTEMPT_TIMEOUT, interceptors)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build());
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint))
                    .region(Region.of(region != null ? region : "us-east-1"))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            if (region != null) {
                builder.region(Region.of(region));
            }
            builder.credentialsProvider(credentials());
        }
        return builder.build();
    }

    /**
     * The client Lambda gets (AWS's time bounds, the SDK's default retries, the same interceptors) over another HTTP
     * transport: tests answer it with an in-process fake of DynamoDB's API. The credentials are placeholders and the
     * endpoint a name that never resolves, so nothing sent this way can reach AWS.
     */
    public static DynamoDbClient overTransport(SdkHttpClient transport, String region, List<ExecutionInterceptor> interceptors) {
        return configured(API_CALL_TIMEOUT, ATTEMPT_TIMEOUT, interceptors)
                .httpClient(transport)
                .endpointOverride(URI.create("https://dynamodb." + region + ".fake.invalid"))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fake", "fake")))
                .build();
    }

    private static DynamoDbClientBuilder configured(Duration callTimeout, Duration attemptTimeout, List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout)
                .apiCallAttemptTimeout(attemptTimeout);
        interceptors.forEach(override::addExecutionInterceptor);
        return DynamoDbClient.builder().overrideConfiguration(override.build());
    }

    /** In Lambda the credentials are in the environment; reading them there skips the provider chain's probing. */
    private static AwsCredentialsProvider credentials() {
        if (System.getenv("AWS_ACCESS_KEY_ID") != null && System.getenv("AWS_SECRET_ACCESS_KEY") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
