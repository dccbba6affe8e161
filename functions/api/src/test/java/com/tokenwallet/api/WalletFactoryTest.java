package com.tokenwallet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountDirectory;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.dynamodb.DynamoDbAdminReads;
import com.tokenwallet.dynamodb.DynamoDbWalletStore;
import com.tokenwallet.sqlite.SqliteAdminReads;
import com.tokenwallet.sqlite.SqliteWalletStore;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** wallet.store chooses the engine: DynamoDB unless told otherwise (Lambda), SQLite for the runner and the tests. */
class WalletFactoryTest {

    @Test
    void withoutWalletStore_theFunctionsRunOnDynamoDb() {
        // An endpoint nobody listens on: building the client connects to nothing.
        try (ApplicationContext context = WalletContexts.start(Map.of("wallet.table", "t", "wallet.dynamodb.endpoint", "http://127.0.0.1:9",
                "aws.region", "us-east-1"))) {
            assertThat(context.getBean(WalletStore.class)).isInstanceOf(DynamoDbWalletStore.class);
            assertThat(context.getBean(AccountScan.class)).isInstanceOf(DynamoDbWalletStore.class);
            assertThat(context.getBean(AccountAudit.class)).isInstanceOf(DynamoDbAdminReads.class);
            assertThat(context.getBean(AccountDirectory.class)).isInstanceOf(DynamoDbAdminReads.class);
            assertThat(context.getBean(WalletService.class)).isNotNull();
        }
    }

    @Test
    void walletStoreSqlite_buildsNoDynamoDbBean() {
        java.nio.file.Path file = TestWallet.freshDatabase();
        try (ApplicationContext context = WalletContexts.start(Map.of("wallet.store", "sqlite", "wallet.sqlite.path", file.toString()))) {
            assertThat(context.getBean(WalletStore.class)).isInstanceOf(SqliteWalletStore.class);
            assertThat(context.getBean(AccountScan.class)).isInstanceOf(SqliteWalletStore.class);
            assertThat(context.getBean(AccountAudit.class)).isInstanceOf(SqliteAdminReads.class);
            assertThat(context.getBean(AccountDirectory.class)).isInstanceOf(SqliteAdminReads.class);
            assertThat(context.getBean(WalletService.class)).isNotNull();
            assertThat(context.findBean(DynamoDbClient.class)).isEmpty();
            assertThat(context.findBean(DynamoDbWalletStore.class)).isEmpty();
            assertThat(context.findBean(DynamoDbAdminReads.class)).isEmpty();
        }
    }

    @Test
    void anUnknownEngine_failsTheStart_namingTheSetting() {
        try (ApplicationContext context = WalletContexts.start(Map.of("wallet.store", "postgres", "wallet.table", "t",
                "wallet.dynamodb.endpoint", "http://127.0.0.1:9", "aws.region", "us-east-1"))) {
            assertThatThrownBy(() -> context.getBean(WalletService.class))
                    .hasStackTraceContaining("Property [wallet.store] with value [postgres] does not equal required value: dynamodb")
                    .hasStackTraceContaining("does not equal required value: sqlite");
        }
    }
}
