package com.tokenwallet.dynamodb;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * The adapter's store tests on LocalStack's DynamoDB, where a Docker engine runs: the same tests that run on
 * FakeDynamoDb (nested below), through the production client pointed at the container. Where no Docker engine runs
 * (this machine and CI) JUnit skips the class with the reason "Docker is not available", also under CI=true: it is
 * the one skip the project allows. How to run it: README, "The DynamoDB adapter on LocalStack".
 *
 * <p>{@link Contract} runs the shared store contract (functions/domain's test-jar) against the adapter on the container.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackDynamoDbTest {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices("dynamodb");

    private static final AtomicInteger TABLES = new AtomicInteger();

    static DynamoDbUnderTest localStack() {
        return new DynamoDbUnderTest() {
            @Override
            public DynamoDbClient client(ExecutionInterceptor... interceptors) {
                return DynamoDbClients.create(LOCALSTACK.getEndpoint().toString(), LOCALSTACK.getRegion(), List.of(interceptors));
            }

            @Override
            public String createWalletTable() {
                String name = "wallet-localstack-" + TABLES.incrementAndGet();
                try (DynamoDbClient admin = client()) {
                    admin.createTable(WalletTable.createTableRequest(name));
                    admin.waiter().waitUntilTableExists(b -> b.tableName(name));
                } catch (ResourceInUseException e) {
                    // An SDK retry of a slow first attempt that did create it: the name is this call's own.
                }
                return name;
            }
        };
    }

    @Nested
    class Contract extends DynamoDbWalletStoreContractTest {
        @Override
        DynamoDbUnderTest dynamoDb() {
            return localStack();
        }
    }

    @Nested
    class Store extends DynamoDbWalletStoreTest {
        @Override
        DynamoDbUnderTest dynamoDb() {
            return localStack();
        }
    }

    @Nested
    class Billing extends BillingItemsTest {
        @Override
        DynamoDbUnderTest dynamoDb() {
            return localStack();
        }
    }

    @Nested
    class Checkpoints extends JobCheckpointsTest {
        @Override
        DynamoDbUnderTest dynamoDb() {
            return localStack();
        }
    }

    @Nested
    class AdminReads extends DynamoDbAdminReadsTest {
        @Override
        DynamoDbUnderTest dynamoDb() {
            return localStack();
        }
    }
}
