package com.tokenwallet.local;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client of {@code serve --dynamodb-endpoint URL}: the endpoint given, the SDK's standard credentials
 * chain (environment, profile, ...) so that a real AWS endpoint works with the developer's credentials, falling back to
 * dummy credentials for an endpoint on this machine (LocalStack accepts any), the region from {@code AWS_REGION} or
 * us-east-1. The store and the admin reads on it are the production adapter's (functions/dynamodb).
 */
final class RunnerDynamoDbClient {
    private RunnerDynamoDbClient() {
    }

    static DynamoDbClient create(URI endpoint) {
        String region = System.getenv("AWS_REGION");
        AwsCredentialsProviderChain.Builder credentials = AwsCredentialsProviderChain.builder()
                .reuseLastProviderEnabled(true)
                .addCredentialsProvider(DefaultCredentialsProvider.builder().build());
        if (isLoopback(endpoint)) {
            credentials.addCredentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        }
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region))
                .credentialsProvider(credentials.build())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(30)).apiCallAttemptTimeout(Duration.ofSeconds(10)).build())
                .build();
    }

    static boolean isLoopback(URI endpoint) {
        String host = endpoint.getHost();
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1"));
    }
}
