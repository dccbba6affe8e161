package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.tokenwallet.domain.service.Deadline;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * The deadline of the invocation this thread is serving, from Lambda's {@link Context#getRemainingTimeInMillis()}
 * less {@link #RESERVE_MILLIS} kept for answering and logging; the wallet's write loop stops retrying a hot account
 * when it runs out, so the caller gets a 503 instead of a Lambda timeout. Outside Lambda (tests, the local runner,
 * priming) there is no context and the deadline is unbounded: only the attempt bound applies.
 */
@Singleton
public final class InvocationDeadline implements Supplier<Deadline> {

    /** Time kept back from Lambda's remaining time to render the answer and write the log line. */
    public static final long RESERVE_MILLIS = 500;

    private final ThreadLocal<Deadline> current = new ThreadLocal<>();

    /** The invocation starts: its context (null outside Lambda) decides the deadline. */
    public void begin(Context context) {
        if (context == null) {
            current.remove();
        } else {
            current.set(Deadline.fromRemaining(context::getRemainingTimeInMillis, RESERVE_MILLIS));
        }
    }

    /** The invocation ended. */
    public void end() {
        current.remove();
    }

    @Override
    public Deadline get() {
        Deadline deadline = current.get();
        return deadline == null ? Deadline.unbounded() : deadline;
    }
}
