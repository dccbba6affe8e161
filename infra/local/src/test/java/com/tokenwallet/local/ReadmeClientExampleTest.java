package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The README's JavaScript client, the exact code between its {@code client-example} markers, run with Node against
 * the local runner (in this JVM, on a free port of 127.0.0.1): it must debit once and, run again, be replayed. CI
 * installs Node (.ci/run); there a missing Node fails the test, elsewhere it is skipped with the reason.
 */
class ReadmeClientExampleTest {
    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- client-example:start[^\\n]*-->\\s*```js\\n(.*?)\\n```\\s*<!-- client-example:end -->", Pattern.DOTALL);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path home;

    static String snippet() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("readme.path", "../../README.md")));
        Matcher matcher = SNIPPET.matcher(readme);
        if (!matcher.find()) {
            throw new AssertionError("README.md has no ```js block between <!-- client-example:start --> and <!-- client-example:end -->");
        }
        return matcher.group(1);
    }

    @Test
    void theReadmesJavaScriptClient_debitsOnce_andIsReplayedTheSecondTime() throws Exception {
        String node = requireNode("node", "true".equalsIgnoreCase(System.getenv("CI")));
        Path script = home.resolve("client.mjs");
        Files.writeString(script, snippet());

        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("key")))) {
            String token = server.tokens().mint("billing-backend", List.of("wallet:charge"), Duration.ofMinutes(5));
            Map<String, String> environment = Map.of("API", server.url(), "TOKEN", token);

            String first = run(node, script, environment);
            String second = run(node, script, environment);

            assertThat(first).matches("201 tx_[0-9A-HJKMNP-TV-Z]{26} 9 credits left");
            assertThat(second).isEqualTo(first + " (replayed)");
        }
    }

    @Test
    void aMissingNode_failsUnderCi_andSkipsElsewhere() {
        String missing = "token-wallet-no-such-node";

        assertThatThrownBy(() -> requireNode(missing, true)).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("not installed").hasMessageContaining(".ci/run installs nodejs");
        assertThatThrownBy(() -> requireNode(missing, false)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("under CI=true this fails");
    }

    /** The command when it is Node 18 or newer; otherwise the test fails under CI and is skipped elsewhere. */
    static String requireNode(String command, boolean ci) throws InterruptedException {
        String problem;
        try {
            Process version = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            if (!version.waitFor(20, TimeUnit.SECONDS)) {
                version.destroyForcibly();
                problem = "node --version did not answer within 20 s";
            } else {
                String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(text);
                if (major.find() && Integer.parseInt(major.group(1)) >= 18) {
                    return command;
                }
                problem = "node is " + text + "; the README's client needs Node 18 or newer (fetch)";
            }
        } catch (IOException e) {
            problem = "node is not installed (" + e.getMessage() + ")";
        }
        if (ci) {
            Assertions.fail(problem + ": CI must run the README's JavaScript client; .ci/run installs nodejs when node is missing");
        }
        Assumptions.abort(problem + ": skipped here (under CI=true this fails)");
        throw new IllegalStateException("unreachable");
    }

    /** Runs the script (bounded in time), and returns its standard output; a failure fails the test with its output. */
    private String run(String node, Path script, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(node, script.toString()).directory(home.toFile())
                .redirectOutput(home.resolve("out.txt").toFile()).redirectError(home.resolve("err.txt").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the README's client did not finish within " + NODE_TIMEOUT.toSeconds() + " s");
        }
        String out = Files.readString(home.resolve("out.txt")).strip();
        String err = Files.readString(home.resolve("err.txt")).strip();
        assertThat(process.exitValue()).as("exit code of the README's client; stdout: %s; stderr: %s", out, err).isZero();
        return out;
    }
}
