package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: {@code token} prints only a JWT that the server accepts; bad arguments exit 2 with the usage. */
class MainTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                environment, home);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void token_printsOnlyAJwt_thatVerifiesWithTheSameKey() throws Exception {
        Path keyFile = home.resolve("keys/local-jwt-key");

        int code = run(Map.of(LocalTokens.KEY_FILE_ENV, keyFile.toString()),
                "token", "--sub", "alice", "--scope", "wallet:charge wallet:admin", "--ttl", "600");

        assertThat(code).isEqualTo(Main.EXIT_OK);
        assertThat(stdout().lines().toList()).hasSize(1);
        String jwt = stdout().trim();
        assertThat(jwt).matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
        LocalTokens.Verified verified = LocalTokens.fromKeyFile(keyFile).verify(jwt);
        assertThat(verified.claims()).containsEntry("sub", "alice").containsEntry("iss", "token-wallet-local")
                .containsEntry("aud", "token-wallet").containsEntry("scope", "wallet:charge wallet:admin");
        assertThat(Long.parseLong(verified.claims().get("exp")) - Long.parseLong(verified.claims().get("iat"))).isEqualTo(600);
        assertThat(verified.scopes()).containsExactly("wallet:charge", "wallet:admin");
        assertThat(stderr()).isEmpty();
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(keyFile)).doesNotContain(jwt);
    }

    @Test
    void token_usesTheHomeKeyFile_whenNoOverrideIsSet() throws Exception {
        int code = run(Map.of(), "token", "--sub=bob", "--scope=wallet:read");

        assertThat(code).isEqualTo(Main.EXIT_OK);
        Path keyFile = home.resolve(".token-wallet/local-jwt-key");
        assertThat(keyFile).exists();
        assertThat(LocalTokens.fromKeyFile(keyFile).verify(stdout().trim()).claims()).containsEntry("sub", "bob");
        long lifetime = Long.parseLong(LocalTokens.fromKeyFile(keyFile).verify(stdout().trim()).claims().get("exp"))
                - Long.parseLong(LocalTokens.fromKeyFile(keyFile).verify(stdout().trim()).claims().get("iat"));
        assertThat(lifetime).isEqualTo(3600);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "frobnicate",
            "token",
            "token --sub alice",
            "token --scope wallet:read",
            "token --sub alice --scope wallet:read --ttl abc",
            "token --sub alice --scope wallet:read --ttl 0",
            "token --sub alice --scope wallet:read --ttl 99999999",
            "token --sub alice --scope wallet:read --sub bob",
            "token --sub alice --scope wallet:read --verbose",
            "token --sub alice --scope",
            "serve --port 70000",
            "serve --port x",
            "serve --in-memory --data-dir /tmp/never-used",
            "serve --in-memory=yes",
            "serve extra",
            "serve --dynamodb-endpoint http://127.0.0.1:4566",
            "serve --table wallet",
            "serve --dynamodb-endpoint ftp://127.0.0.1:4566 --table wallet",
            "serve --dynamodb-endpoint not-a-url --table wallet",
            "serve --dynamodb-endpoint http://127.0.0.1:4566 --table wallet --in-memory",
            "serve --dynamodb-endpoint http://127.0.0.1:4566 --table wallet --data-dir /tmp/never-used",
    })
    void badArguments_printTheUsageOnStderr_andExit2(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");

        int code = run(Map.of(LocalTokens.KEY_FILE_ENV, home.resolve("key").toString()), args);

        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("Usage:").contains("serve [--port N] [--data-dir DIR | --in-memory]");
    }

    @Test
    void help_printsTheUsageOnStdout() {
        int code = run(Map.of(), "--help");

        assertThat(code).isEqualTo(Main.EXIT_OK);
        assertThat(stdout()).contains("Usage:").contains("default 3000").contains("{\"message\":\"Forbidden\"}")
                .contains("serve --dynamodb-endpoint URL --table NAME").contains("sqlite3 DIR/wallet.db");
    }
}
