package com.tokenwallet.domain.testing;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Keeps the test run's console readable (registered with JUnit through META-INF/services in this test-jar, so it
 * runs in every module that has the domain test-jar on its test classpath):
 *
 * <ul>
 *   <li>the functions' log lines (one JSON object a line: every request the tests make logs one) and the
 *       libraries' slf4j-simple lines go to {@value #LOG_FILE} under the module's directory, not to the console;
 *       every other line a test prints stays on the console;</li>
 *   <li>every skipped or aborted test (disabled, or an assumption that failed: a missing tool) prints one line
 *       on the console saying which and why: {@code [SKIPPED] Class method: reason}.</li>
 * </ul>
 */
public final class TestConsole implements LauncherSessionListener, TestExecutionListener {
    static final String LOG_FILE = "target/test-logs/log-lines.txt";
    /** A function's JSON log line, slf4j-simple's "[thread] LEVEL logger - message", or SLF4J's own notices. */
    private static final Pattern LOG_LINE = Pattern.compile("^(\\{.*|\\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) .*|SLF4J.*)$");

    private static PrintStream console;
    private static PrintStream originalOut;
    private static PrintStream originalErr;
    private static PrintStream logFile;

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        if (console != null) {
            return;
        }
        try {
            Path file = Path.of(LOG_FILE);
            Files.createDirectories(file.getParent());
            logFile = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + LOG_FILE, e);
        }
        originalOut = System.out;
        originalErr = System.err;
        console = originalOut;
        System.setOut(new PrintStream(new Router(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Router(originalErr), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void launcherSessionClosed(LauncherSession session) {
        if (console == null) {
            return;
        }
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
        logFile.close();
        console = null;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void report(TestIdentifier test, String reason) {
        PrintStream out = console != null ? console : System.out;
        String where = test.getSource().map(Object::toString).map(TestConsole::shorten).orElse(test.getDisplayName());
        out.println("[SKIPPED] " + where + ": " + Optional.ofNullable(reason).orElse("no reason given"));
    }

    /** "MethodSource [className = 'a.B', methodName = 'm', ...]" as "a.B m". */
    private static String shorten(String source) {
        var m = Pattern.compile("className = '([^']+)'(?:, methodName = '([^']+)')?").matcher(source);
        return m.find() ? m.group(1) + (m.group(2) == null ? "" : " " + m.group(2)) : source;
    }

    /** Sends each whole line to the log file when it is a log line, else to the console stream it wraps. */
    private static final class Router extends OutputStream {
        private final PrintStream console;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Router(PrintStream console) {
            this.console = console;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                flushLine();
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        @Override
        public synchronized void flush() {
            console.flush();
        }

        private void flushLine() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            String bare = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            PrintStream log = logFile;
            if (log != null && LOG_LINE.matcher(bare).matches()) {
                log.print(text);
            } else {
                console.print(text);
            }
        }
    }
}
