package com.tokenwallet.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Runs concurrent clients one at a time, in an order the seed decides. Each client is a thread, but only the one the
 * scheduler picked runs: it runs until its next call at the store port ({@link #yieldPoint()}), where it parks and
 * hands control back; the scheduler then picks the next client to move (seeded). So every interleaving is one of
 * store calls, and the same seed gives the same interleaving however fast the machine is: no sleeps, no timing.
 * (Written here: virtual-time schedulers for the JVM, such as Fray or Lincheck, instrument bytecode and would not
 * reach through the SQLite driver's native calls; the store port is the boundary that matters.)
 */
final class Scheduler {
    private final SplittableRandom random;
    private final List<Task> parked = new ArrayList<>();
    private final Semaphore back = new Semaphore(0);
    private final ThreadLocal<Task> current = new ThreadLocal<>();
    private final Consumer<Throwable> escaped;

    Scheduler(SplittableRandom random, Consumer<Throwable> escaped) {
        this.random = random;
        this.escaped = escaped;
    }

    /** A client that has not finished yet. */
    private final class Task {
        private final Semaphore go = new Semaphore(0);
        private volatile boolean done;
    }

    /** Starts a client; it runs only when picked. */
    void spawn(String name, Runnable body) {
        Task task = new Task();
        Thread thread = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> {
            current.set(task);
            task.go.acquireUninterruptibly();
            try {
                body.run();
            } catch (Throwable t) {
                escaped.accept(t);
            } finally {
                task.done = true;
                back.release();
            }
        });
        thread.start();
        parked.add(task);
    }

    /** Called by a client before each store call: hands control back and waits to be picked again. */
    void yieldPoint() {
        Task task = current.get();
        if (task == null) {
            return; // the checker's or the driver's own reads
        }
        back.release();
        task.go.acquireUninterruptibly();
    }

    int running() {
        return parked.size();
    }

    /** Moves one client (picked by the seed) to its next store call or to its end; false when none is left. */
    boolean step() {
        if (parked.isEmpty()) {
            return false;
        }
        Task task = parked.remove(random.nextInt(parked.size()));
        task.go.release();
        back.acquireUninterruptibly();
        if (!task.done) {
            parked.add(task);
        }
        return true;
    }

    /** Runs every client to its end. */
    void drain() {
        while (step()) {
            // next
        }
    }
}
