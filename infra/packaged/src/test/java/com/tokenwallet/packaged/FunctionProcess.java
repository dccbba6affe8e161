package com.tokenwallet.packaged;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One function's execution environment: a JVM started the way Lambda's java21 runtime starts it. The deployment
 * package (the shaded jar) is unpacked into a task root, which is the working directory, as Lambda unpacks it into
 * /var/task; the runtime interface client and its two libraries are the JVM's classpath, beside the function and
 * never inside it; the main class is the client's {@code AWSLambda} with the template's handler string as its
 * argument, and it loads the handler from the task root. The JVM flags are those of the java21 runtime (serial GC,
 * heap from the memory size, the CRaC compatibility property SnapStart uses); the template adds its own through
 * JAVA_TOOL_OPTIONS. Standard output and error go to files.
 */
final class FunctionProcess implements AutoCloseable {
    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final Map<Path, Path> TASK_ROOTS = new ConcurrentHashMap<>();

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private FunctionProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param environment everything the function's environment holds: what Lambda sets and what the template sets
     * @param runtimeDir  the runtime interface client's jars
     * @param workDir     where task roots and logs go
     * @param logName     the name of this run's log files
     */
    static FunctionProcess start(TemplateFunctions.Function function, Map<String, String> environment, Path runtimeDir,
                                 Path workDir, String logName) throws IOException {
        Path taskRoot = taskRoot(function.jar(), workDir.resolve("task"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The java21 runtime's own flags: 85% of the memory as heap, the serial collector, java.io opened for the
        // client, the CRaC API routed to the client's SnapStart hooks, and JVM errors on stderr.
        command.add("-XX:MaxHeapSize=" + (function.memoryMb() * 1024L * 85 / 100) + "k");
        command.add("-XX:+UseSerialGC");
        command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        command.add("-XX:+ErrorFileToStderr");
        command.add("-classpath");
        command.add(runtimeClasspath(runtimeDir));
        command.add(MAIN_CLASS);
        command.add(function.handler());

        Path logs = Files.createDirectories(workDir.resolve("logs"));
        Path out = logs.resolve(logName + ".stdout");
        Path err = logs.resolve(logName + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("LAMBDA_TASK_ROOT", taskRoot.toString());
        return new FunctionProcess(builder.start(), out, err);
    }

    private static String runtimeClasspath(Path runtimeDir) throws IOException {
        try (Stream<Path> jars = Files.list(runtimeDir)) {
            List<String> paths = jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).toList();
            if (paths.stream().noneMatch(p -> p.contains("aws-lambda-java-runtime-interface-client"))) {
                throw new IllegalStateException("no runtime interface client in " + runtimeDir + ": run through Maven");
            }
            return String.join(File.pathSeparator, paths);
        }
    }

    /** The jar unpacked, once per jar and test run, as Lambda unpacks a deployment package into /var/task. */
    private static Path taskRoot(Path jar, Path tasks) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no function jar at " + jar + ": build it first (mvn package)");
        }
        return TASK_ROOTS.computeIfAbsent(jar, j -> {
            Path root = tasks.resolve(j.getFileName().toString().replace(".jar", ""));
            try {
                deleteRecursively(root);
                unzip(j, root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return root;
        });
    }

    private static void unzip(Path jar, Path root) throws IOException {
        Files.createDirectories(root);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path stdoutFile() {
        return stdout;
    }

    Path stderrFile() {
        return stderr;
    }

    /** Standard output so far, line by line. */
    List<String> stdout() throws IOException {
        return Files.readAllLines(stdout);
    }

    List<String> stderr() throws IOException {
        return Files.readAllLines(stderr);
    }

    /** Ends the environment as Lambda does (SIGTERM, then SIGKILL), and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
