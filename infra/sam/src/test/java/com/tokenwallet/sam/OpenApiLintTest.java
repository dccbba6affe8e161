package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * infra/openapi.yaml passes Spectral's OpenAPI ruleset ({@code spectral:oas}, every rule, warnings included), run
 * with the Spectral CLI pinned in {@code infra/openapi-lint/package-lock.json} (6.16.3), installed with {@code npm ci}.
 * The contract tests check the document against the code; this checks it as a document (schemas, security scopes,
 * descriptions, contact and license) the way client generators and API tools read it.
 *
 * <p>Needs {@code node} and {@code npm} ({@code .ci/run} installs them). Without them the test is skipped with a
 * message, except under {@code CI=true}, where it fails.
 */
class OpenApiLintTest {
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration LINT_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void theDocumentPassesSpectralsOpenApiRuleset_withoutAWarning() throws Exception {
        Path lint = Path.of(System.getProperty("openapi.lint.path", "../openapi-lint")).toAbsolutePath().normalize();
        String node = requireTool("node");
        String npm = requireTool("npm");
        Path spectral = lint.resolve("node_modules/@stoplight/spectral-cli/dist/index.js");
        if (!Files.exists(spectral) || !installedVersionIsPinned(lint)) {
            run(lint, List.of(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"), NPM_TIMEOUT);
        }

        Run result = run(lint, List.of(node, spectral.toString(), "lint", OpenApiDocument.path().toAbsolutePath().toString(),
                "--ruleset", lint.resolve(".spectral.yaml").toString(), "--format", "text", "--fail-severity", "warn"), LINT_TIMEOUT);

        assertThat(result.exitCode()).as("Spectral's findings on infra/openapi.yaml:%n%s", result.output()).isZero();
    }

    private static boolean installedVersionIsPinned(Path lint) throws IOException {
        Path installed = lint.resolve("node_modules/@stoplight/spectral-cli/package.json");
        return Files.exists(installed) && Files.readString(installed).contains("\"version\": \"6.16.3\"");
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs a command in {@code directory} within {@code timeout} (else kills it and fails); npm must exit 0. */
    private static Run run(Path directory, List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("openapi-lint", ".log");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command.subList(0, 2)) + " did not finish within " + timeout + ":\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            if (command.get(0).endsWith("npm") && process.exitValue() != 0) {
                fail("npm ci in " + directory + " failed:\n" + output);
            }
            return new Run(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The tool's path; without it, a skip with the reason, or under CI=true a failure. */
    private static String requireTool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String message = name + " is not installed; the OpenAPI lint (Spectral) needs node and npm."
                + " Install them (apt-get install -y nodejs npm) or run .ci/run, which does.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
