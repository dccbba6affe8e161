package com.tokenwallet.quotareset;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** Lambda contexts whose remaining time the test decides. */
final class LambdaContexts {
    static final int FULL_MILLIS = 900_000;

    private LambdaContexts() {
    }

    /** A fresh invocation's 15 minutes, always (the test's clock does not move on its own). */
    static Context fullTime() {
        return remaining(FULL_MILLIS);
    }

    /** An invocation with {@code millis} left, always. */
    static Context remaining(int millis) {
        return context(() -> millis);
    }

    /**
     * Time for {@code pages} pages: the worker asks after each page, and the first {@code pages - 1} questions are
     * answered a second more than the margin, every later one the margin alone.
     */
    static Context timeForPages(int pages) {
        AtomicInteger asked = new AtomicInteger();
        int margin = (int) QuotaResetHandler.MARGIN.toMillis();
        return context(() -> {
            int n = asked.getAndIncrement();
            return n < pages - 1 ? margin + 1_000 : margin;
        });
    }

    private static Context context(java.util.function.IntSupplier remaining) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> remaining.getAsInt();
                    case "getAwsRequestId" -> "test-request";
                    case "getFunctionName" -> "quota-reset";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "test Lambda context";
                    default -> null;
                });
    }
}
