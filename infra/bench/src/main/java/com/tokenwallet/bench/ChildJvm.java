package com.tokenwallet.bench;

import com.tokenwallet.bench.child.ResultLine;
import com.tokenwallet.domain.json.StrictJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs one child JVM to its {@link ResultLine}, bounded in time, and reports it with the wall time it took. */
final class ChildJvm {
    /** Variables a parent's shell may hold that would change the child's JVM or the function's settings. */
    private static final List<String> SCRUBBED = List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
            "WALLET_TABLE", "WALLET_DYNAMODB_ENDPOINT", "WALLET_CATALOG", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MICRONAUT_ENVIRONMENTS");

    private ChildJvm() {
    }

    /**
     * The child's result, how long from just before the process was spawned until its result line arrived, its exit
     * code (-1 if it had to be killed) and the last lines of its standard error.
     */
    record Run(Map<String, Object> result, double spawnToResultMs, int exitCode, String stderrTail) {
        double number(String key) {
            Object value = result.get(key);
            return value instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    static Run run(List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        SCRUBBED.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        Path stderr;
        try {
            stderr = Files.createTempFile(workDir, "child-", ".stderr");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.redirectError(stderr.toFile());
        CompletableFuture<String> resultLine = new CompletableFuture<>();
        List<String> stdoutTail = new ArrayList<>();
        long[] arrived = new long[1];
        long spawned = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.getFirst(), e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(ResultLine.PREFIX) && !resultLine.isDone()) {
                        arrived[0] = System.nanoTime();
                        resultLine.complete(line.substring(ResultLine.PREFIX.length()));
                    } else if (stdoutTail.size() < 20) {
                        stdoutTail.add(line);
                    }
                }
            } catch (IOException e) {
                resultLine.completeExceptionally(e);
            }
            resultLine.completeExceptionally(new IllegalStateException("the child ended without a result line"));
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            String line = resultLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            double wall = (arrived[0] - spawned) / 1e6;
            // A JVM that writes a CDS archive or an AOT cache at exit needs a few seconds more.
            int exit = -1;
            if (process.waitFor(120, TimeUnit.SECONDS)) {
                exit = process.exitValue();
            } else {
                process.destroyForcibly();
            }
            Map<String, Object> result = StrictJson.object(line);
            String tail = tail(stderr);
            Files.deleteIfExists(stderr);
            return new Run(result, wall, exit, tail);
        } catch (TimeoutException | InterruptedException | ExecutionException | IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM failed: " + String.join(" ", command) + "\n-- stdout:\n"
                    + String.join("\n", stdoutTail) + "\n-- stderr (last lines):\n" + tail(stderr), e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
