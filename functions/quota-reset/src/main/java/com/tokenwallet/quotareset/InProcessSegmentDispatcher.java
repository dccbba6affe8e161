package com.tokenwallet.quotareset;

import com.tokenwallet.domain.port.SegmentDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Segment invocations in this JVM, for the local runner, the benchmark and tests, behaving as Lambda's
 * asynchronous invocations do: each dispatch runs the worker on a thread of its own, at most
 * {@code maxConcurrent} at once (the others wait, as throttled events wait in Lambda's queue), and a failed one is
 * run again with the same task up to {@link #RETRIES} times (then given up, as Lambda sends it to the
 * dead-letter destination, and logged).
 */
public final class InProcessSegmentDispatcher implements SegmentDispatcher {
    /** As the function's EventInvokeConfig: MaximumRetryAttempts 2. */
    static final int RETRIES = 2;

    private final ThreadPoolExecutor pool;
    private final Object lock = new Object();
    private final List<SegmentTask> givenUp = new ArrayList<>();
    private int outstanding;
    private volatile Consumer<SegmentTask> worker;

    public InProcessSegmentDispatcher(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "quota-reset-segment-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Idle threads end, so a runner that fired the reset once does not keep them.
        pool.allowCoreThreadTimeOut(true);
    }

    /** Who runs the tasks: the handler's worker, set once the handler exists. */
    void deliverTo(Consumer<SegmentTask> worker) {
        this.worker = worker;
    }

    @Override
    public void dispatch(SegmentTask task) {
        Consumer<SegmentTask> target = worker;
        if (target == null) {
            throw new IllegalStateException("nothing to deliver segment tasks to");
        }
        synchronized (lock) {
            outstanding++;
        }
        try {
            pool.execute(() -> run(target, task));
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
    }

    private void run(Consumer<SegmentTask> target, SegmentTask task) {
        try {
            for (int attempt = 0; attempt <= RETRIES; attempt++) {
                try {
                    target.accept(task);
                    return;
                } catch (RuntimeException e) {
                    System.err.println("quota-reset: " + task.job() + " segment " + task.segment() + " failed (attempt "
                            + (attempt + 1) + " of " + (RETRIES + 1) + "): " + e);
                }
            }
            synchronized (lock) {
                givenUp.add(task);
            }
        } finally {
            finished();
        }
    }

    private void finished() {
        synchronized (lock) {
            outstanding--;
            lock.notifyAll();
        }
    }

    /**
     * Waits until no dispatched task (nor any it dispatched in turn) is left, for at most {@code timeout}.
     * Returns false when some are still running.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (outstanding > 0) {
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMillis <= 0) {
                    return false;
                }
                lock.wait(leftMillis);
            }
            return true;
        }
    }

    /** The tasks that failed every attempt (what Lambda would have sent to the dead-letter destination). */
    public List<SegmentTask> givenUp() {
        synchronized (lock) {
            return List.copyOf(givenUp);
        }
    }
}
