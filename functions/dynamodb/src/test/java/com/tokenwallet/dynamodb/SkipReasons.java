package com.tokenwallet.dynamodb;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test or test class was skipped, one line on the console (Surefire's summary only counts skips; the
 * reason stays in its XML report). Registered for this module's tests through META-INF/services, which is kept out
 * of the module's test-jar.
 */
public final class SkipReasons implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        String name = test.getSource().map(Object::toString).map(SkipReasons::shortName).orElse(test.getDisplayName());
        String note = reason != null && reason.contains("Docker is not available")
                ? " (LocalStack needs a Docker engine; this is the one skip allowed, under CI=true too)" : "";
        System.out.println("[skipped] " + name + ": " + reason + note);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        // Only skips are reported here; Surefire reports the rest.
    }

    private static String shortName(String source) {
        int at = source.indexOf("className = '");
        if (at < 0) {
            return source;
        }
        String rest = source.substring(at + "className = '".length());
        String className = rest.substring(0, rest.indexOf('\''));
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
