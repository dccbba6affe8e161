package com.tokenwallet.eventbridge;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** Builds the EventBridge client, as DynamoDbClients builds DynamoDB's: URL-connection HTTP, short timeouts. */
public final class EventBridgeClients {
    /**
     * The event is sent while the request that caused it waits: bounded well under the functions' timeout, so a
     * slow EventBridge delays one answer by at most this, and never turns a committed write into a 5xx.
     */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(700);

    private EventBridgeClients() {
    }

    /** @param endpoint a local fake (tests), or null for AWS; @param region null for {@code AWS_REGION}. */
    public static EventBridgeClient create(String endpoint, String region) {
        var builder = EventBridgeClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1)).build())
                .overrideConfiguration(o -> o.apiCallTimeout(API_CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT));
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

    private static AwsCredentialsProvider credentials() {
        if (System.getenv("AWS_ACCESS_KEY_ID") != null && System.getenv("AWS_SECRET_ACCESS_KEY") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
