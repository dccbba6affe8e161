package com.tokenwallet.quotareset;

import com.tokenwallet.domain.port.AccountScan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Once armed, kills the worker at the worst moment: at the checkpoint save of the first page in which accounts
 * were reset, after their writes and before the checkpoint records them. It throws something the store does not
 * translate (as a crash would end the invocation), once. A decorator of the store's AccountScan port, so every other
 * call goes to the store untouched.
 */
final class CrashBeforeCheckpoint implements AccountScan {
    private final AccountScan store;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicLong crashedPageSeen = new AtomicLong(-1);

    CrashBeforeCheckpoint(AccountScan store) {
        this.store = store;
    }

    void arm() {
        armed.set(true);
    }

    /** The accounts of the page whose checkpoint was never saved, or -1 before the crash. */
    long crashedPageSeen() {
        return crashedPageSeen.get();
    }

    @Override
    public boolean save(String job, Checkpoint checkpoint, String owner, boolean release) {
        if (checkpoint.reset() > 0 && armed.compareAndSet(true, false)) {
            crashedPageSeen.set(checkpoint.seen());
            throw new IllegalStateException("simulated crash before the checkpoint save");
        }
        return store.save(job, checkpoint, owner, release);
    }

    @Override
    public Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit) {
        return store.scan(segment, totalSegments, startAfter, limit);
    }

    @Override
    public List<Checkpoint> checkpoints(String job) {
        return store.checkpoints(job);
    }

    @Override
    public Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now) {
        return store.claim(job, segment, totalSegments, owner, leaseUntil, now);
    }
}
