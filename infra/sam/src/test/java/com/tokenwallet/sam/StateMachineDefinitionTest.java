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
 * Every state machine definition of template.yaml (the DefinitionUri files, in infra/statemachines/) is valid Amazon
 * States Language by asl-validator (npm), pinned in {@code infra/asl-lint/package-lock.json} (4.0.0) and installed
 * with {@code npm ci} as Spectral is for OpenApiLintTest; a broken copy is refused, so the validator is seen
 * working. The validator does not resolve the template's DefinitionSubstitutions: QuotaResetTemplateTest checks
 * those.
 *
 * <p>Needs {@code node} and {@code npm} ({@code .ci/run} installs them). Without them the test is skipped with a
 * message, except under {@code CI=true}, where it fails.
 */
class StateMachineDefinitionTest {
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration VALIDATE_TIMEOUT = Duration.ofMinutes(1);
    private static final String VERSION = "4.0.0";

    @Test
    void everyDefinitionOfTheTemplate_isValidAsl_andABrokenCopyIsRefused() throws Exception {
        Path lint = Path.of(System.getProperty("asl.lint.path", "../asl-lint")).toAbsolutePath().normalize();
        String node = requireTool("node");
        String npm = requireTool("npm");
        Path validator = lint.resolve("node_modules/asl-validator/dist/bin/asl-validator.js");
        if (!Files.exists(validator) || !installedVersionIsPinned(lint)) {
            run(lint, List.of(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"), NPM_TIMEOUT);
        }

        List<String> uris = StateMachines.all(SamTemplate.load()).values().stream().map(StateMachines.Machine::definitionUri).toList();
        assertThat(uris).contains("infra/statemachines/quota-reset.asl.json", "infra/statemachines/quota-reset-start.asl.json");
        for (String uri : uris) {
            Path definition = SamTemplate.repositoryRoot().resolve(uri);
            Run result = run(lint, List.of(node, validator.toString(), "--json-path", definition.toString()), VALIDATE_TIMEOUT);
            assertThat(result.exitCode()).as("asl-validator on %s:%n%s", uri, result.output()).isZero();
            assertThat(result.output()).contains("is valid");
        }

        // The reset's definition with its loop's Choice pointing at a state that does not exist.
        Path broken = Files.createTempFile("broken", ".asl.json");
        try {
            Files.writeString(broken, Files.readString(SamTemplate.repositoryRoot().resolve("infra/statemachines/quota-reset.asl.json"))
                    .replace("\"Default\": \"Turn\"", "\"Default\": \"NoSuchState\""));
            Run refused = run(lint, List.of(node, validator.toString(), "--json-path", broken.toString()), VALIDATE_TIMEOUT);
            assertThat(refused.exitCode()).as(refused.output()).isNotZero();
            assertThat(refused.output()).contains("NoSuchState");
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    private static boolean installedVersionIsPinned(Path lint) throws IOException {
        Path installed = lint.resolve("node_modules/asl-validator/package.json");
        return Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + VERSION + "\"");
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs a command in {@code directory} within {@code timeout} (else kills it and fails); npm must exit 0. */
    private static Run run(Path directory, List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("asl-lint", ".log");
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
        String message = name + " is not installed; the state machine definitions' check (asl-validator) needs node and npm."
                + " Install them (apt-get install -y nodejs npm) or run .ci/run, which does.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
