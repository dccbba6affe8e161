package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's life cycle: the default, file-backed store keeps what was written across a restart, one runner
 * owns a directory, and a failed start releases everything it had taken.
 */
class LocalServerRestartTest {

    @TempDir
    Path home;

    @TempDir
    Path dataDirectory;

    @Test
    @SuppressWarnings("unchecked")
    void accountsAndDebits_surviveARestart_onTheSameDataDirectory() {
        Path keyFile = home.resolve("jwt-key");
        LocalServer.Options options = LocalServer.Options.fileBacked(0, dataDirectory, keyFile);

        try (LocalServer first = LocalServer.start(options)) {
            assertThat(first.dataDescription()).contains(dataDirectory.resolve("wallet.db").toString()).contains("sqlite3 ");
            LocalApi api = new LocalApi(first.url());
            String backend = first.tokens().mint("backend", List.of("wallet:charge"), Duration.ofMinutes(5));
            assertThat(api.request("PUT", "/v1/accounts/durable").token(backend).send().status()).isEqualTo(201);
            assertThat(api.request("POST", "/v1/accounts/durable/debits").token(backend).idempotencyKey("k-1")
                    .json("{\"bucket\":\"credits\",\"amount\":4,\"description\":\"before the restart\"}").send().status()).isEqualTo(201);
        }

        try (LocalServer second = LocalServer.start(options)) {
            LocalApi api = new LocalApi(second.url());
            String owner = second.tokens().mint("durable", List.of("wallet:read"), Duration.ofMinutes(5));

            LocalApi.Reply balance = api.get("/v1/accounts/durable/balance", owner);
            LocalApi.Reply reopened = api.request("PUT", "/v1/accounts/durable").token(owner).send();

            assertThat(balance.status()).isEqualTo(200);
            Map<String, Object> credits = (Map<String, Object>) ((Map<String, Object>) balance.json().get("buckets")).get("credits");
            assertThat(((Number) credits.get("available")).longValue()).isEqualTo(6);
            assertThat(reopened.status()).as("the account still exists").isEqualTo(200);
        }
    }

    @Test
    void aSecondRunner_isRefused_whileTheFirstUsesTheDataDirectory() {
        Path keyFile = home.resolve("jwt-key");
        try (LocalServer first = LocalServer.start(LocalServer.Options.fileBacked(0, dataDirectory, keyFile))) {
            assertThat(first.port()).isPositive();

            assertThatThrownBy(() -> LocalServer.start(LocalServer.Options.fileBacked(0, dataDirectory, keyFile)))
                    .hasMessageContaining("in use by another token-wallet-local");
        }
    }

    @Test
    void aPortInUse_failsFast_andReleasesTheDataDirectory() {
        Path keyFile = home.resolve("jwt-key");
        try (LocalServer first = LocalServer.start(LocalServer.Options.inMemory(0, keyFile))) {
            assertThatThrownBy(() -> LocalServer.start(LocalServer.Options.fileBacked(first.port(), dataDirectory, keyFile)))
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
        }
        try (LocalServer again = LocalServer.start(LocalServer.Options.fileBacked(0, dataDirectory, keyFile))) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void aFailedStart_releasesItsPort_andItsDataDirectory() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            port = probe.getLocalPort();
        }
        // A directory where the database file should be: the store cannot open, after the port was bound.
        java.nio.file.Files.createDirectories(dataDirectory.resolve(LocalServer.DATABASE_FILE));
        LocalServer.Options unopenable = new LocalServer.Options(port, new LocalServer.Store.SqliteFile(dataDirectory),
                home.resolve("jwt-key"), null, null);

        assertThatThrownBy(() -> LocalServer.start(unopenable)).isInstanceOf(RuntimeException.class);
        java.nio.file.Files.delete(dataDirectory.resolve(LocalServer.DATABASE_FILE));

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        try (LocalServer next = LocalServer.start(LocalServer.Options.fileBacked(0, dataDirectory, home.resolve("jwt-key")))) {
            assertThat(next.port()).isPositive();
        }
    }

    @Test
    void aDynamoDbEndpointNobodyListensOn_failsTheStart_throughTheAdaptersClient() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            closed = probe.getLocalPort();
        }
        LocalServer.Options dynamo = LocalServer.Options.dynamoDb(0, java.net.URI.create("http://127.0.0.1:" + closed), "wallet-runner",
                home.resolve("jwt-key"));
        assertThat(dynamo.dataDirectory()).isNull();
        assertThat(dynamo.inMemory()).isFalse();

        // The table is described (and created when missing) at start: with nothing at the endpoint, the start fails.
        assertThatThrownBy(() -> LocalServer.start(dynamo))
                .hasMessageContaining("cannot use the DynamoDB table wallet-runner at http://127.0.0.1:" + closed)
                .hasStackTraceContaining("software.amazon.awssdk.core.exception.SdkClientException");
    }
}
