package com.tokenwallet.api;

import java.util.concurrent.atomic.AtomicInteger;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function's SnapStart hooks (the CRaC API, which Lambda's java runtime routes to its own checkpoint and restore).
 *
 * <p>{@link #beforeCheckpoint}: runs the function's own hot path, changing no account (the handler says how, see
 * {@code ApiHandler.prime}): a few rounds of real events of its routes for an account that cannot exist, so the store
 * is read and its one write refused, responses and problems rendered, log lines built and not written; then, where the
 * function has one, its success path on a twin whose DynamoDB answers in memory ({@code PrimingTwin}). So the classes
 * it loads, the call sites it links and the code the JIT compiles are in the snapshot, not in the first request
 * after a restore.
 *
 * <p>{@link #afterRestore}: renews what must differ between the instances restored from one snapshot: the random
 * sources of transaction and hold ids (the handler's renewal). HTTP connections need nothing here: the SDK's and
 * Stripe's URL-connection clients keep idle connections for 5 seconds at most (the JDK's keep-alive cache), far
 * less than any time between a snapshot and its restore, so every restored instance opens its own.
 *
 * <p>Each handler registers one on construction; org.crac keeps resources weakly, so the handler holds it.
 */
public final class SnapStartPriming implements Resource {
    private final Runnable prime;
    private final Runnable renew;
    private final AtomicInteger primed = new AtomicInteger();
    private final AtomicInteger restored = new AtomicInteger();

    private SnapStartPriming(Runnable prime, Runnable renew) {
        this.prime = prime;
        this.renew = renew;
    }

    /**
     * Creates the hooks and registers them with the JVM's global CRaC context.
     *
     * @param prime the hot path, changing no account; it must not write to standard output (the function's log has
     *              one line per invocation)
     * @param renew what a restored instance renews
     */
    public static SnapStartPriming register(Runnable prime, Runnable renew) {
        SnapStartPriming priming = new SnapStartPriming(prime, renew);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        restore();
    }

    /** The hot path (the benchmark calls it directly, as the snapshot would). */
    public void prime() {
        prime.run();
        primed.incrementAndGet();
    }

    /** What a restored instance renews. */
    public void restore() {
        renew.run();
        restored.incrementAndGet();
    }

    /** How many times the hot path was primed (for tests). */
    public int primedCount() {
        return primed.get();
    }

    public int restoredCount() {
        return restored.get();
    }
}
