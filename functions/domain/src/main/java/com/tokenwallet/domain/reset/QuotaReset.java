package com.tokenwallet.domain.reset;

import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.port.SegmentDispatcher;
import com.tokenwallet.domain.port.SegmentDispatcher.SegmentTask;
import com.tokenwallet.domain.service.WalletService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The monthly quota reset (SPEC 4): every calendar-period account whose period has ended moves to the current
 * one, its allowance replaced by its plan's, with plan_reset entries, through the same rule a debit applies lazily
 * ({@link WalletService#rollOverIfDue}). Each write is conditioned on the account's version, so a rerun, a
 * duplicate worker or the lazy path never resets an account twice.
 *
 * <p>The work is fanned out: the coordinator ({@link #coordinate}) dispatches one task per scan segment not done
 * yet, and a worker ({@link #work}) takes the segment's lease, goes on from its checkpoint page by page, and when
 * its time runs out saves the checkpoint, gives the lease up and dispatches a fresh task for the same segment.
 * A worker that crashes is retried with the same ticket, takes its lease back and goes on from the last page it
 * saved. The accounts of the page it died in are read again and skipped, since they are no longer due: nothing is
 * reset twice, and the counts stay whole except that those resets are counted as skipped.
 */
public final class QuotaReset {
    /** Items one scan call reads (DynamoDB also stops at 1 MB): one checkpoint write per page. */
    public static final int DEFAULT_PAGE_ITEMS = 1_000;
    public static final int MAX_PAGE_ITEMS = 10_000;
    public static final int MAX_THREADS = 64;
    /** Invocations in one segment's chain: far more than a segment needs (2 or 3 at 10 million accounts), so a fault cannot loop forever. */
    public static final int MAX_HANDOVERS = 96;
    /** A bound on one invocation's pages besides its time. */
    static final int MAX_PAGES_PER_INVOCATION = 1_000_000;

    /** What a worker invocation did with its segment. */
    public enum Outcome {
        /** It finished the segment. */
        DONE,
        /** Its time ran out: it saved where it was and dispatched a fresh invocation for the rest. */
        HANDED_OVER,
        /** Another worker holds the segment's lease; this one did nothing. */
        BUSY,
        /** The segment was already done; this one did nothing. */
        ALREADY_DONE,
        /** Another worker took the segment over (this one's lease had expired); its last page is not counted. */
        LEASE_LOST
    }

    /** What one coordinator run did: one dispatch per segment not done yet. */
    public record Coordination(String job, int totalSegments, int dispatched, int alreadyDone) {
    }

    /** What one worker invocation did: the counts of this invocation alone, and the segment's checkpoint after it. */
    public record SegmentRun(SegmentTask task, Outcome outcome, int pages, long seen, long reset, long skipped, long failed,
                             Optional<Checkpoint> checkpoint) {
        static SegmentRun between(SegmentTask task, Outcome outcome, int pages, Checkpoint from, Checkpoint to) {
            return new SegmentRun(task, outcome, pages, to.seen() - from.seen(), to.reset() - from.reset(),
                    to.skipped() - from.skipped(), to.failed() - from.failed(), Optional.of(to));
        }
    }

    /** A job so far, summed over its checkpoints. */
    public record Progress(String job, int totalSegments, int segmentsDone, long seen, long reset, long skipped, long failed) {
        public boolean complete() {
            return segmentsDone == totalSegments;
        }
    }

    /**
     * How one worker goes at its segment.
     *
     * @param threads           accounts of a page rolled over at once (the writes are I/O bound)
     * @param pageItems         items one scan call reads
     * @param accountsPerSecond at most this many accounts a second (0: as fast as the writes go), so that all the
     *                          workers together stay within the write capacity the table is sized for
     */
    public record Settings(int threads, int pageItems, double accountsPerSecond) {
        public static final double MAX_ACCOUNTS_PER_SECOND = 100_000;

        /** The longest a page can be made to last by the pacing: a page full of accounts at the set rate. */
        public java.time.Duration longestPace() {
            return accountsPerSecond <= 0 ? java.time.Duration.ZERO : java.time.Duration.ofNanos((long) (pageItems / accountsPerSecond * 1e9));
        }

        public Settings {
            if (threads < 1 || threads > MAX_THREADS) {
                throw new IllegalArgumentException("threads must be 1 to " + MAX_THREADS);
            }
            if (pageItems < 1 || pageItems > MAX_PAGE_ITEMS) {
                throw new IllegalArgumentException("page items must be 1 to " + MAX_PAGE_ITEMS);
            }
            if (!(accountsPerSecond >= 0 && accountsPerSecond <= MAX_ACCOUNTS_PER_SECOND)) {
                throw new IllegalArgumentException("accounts per second must be 0 (unpaced) to " + MAX_ACCOUNTS_PER_SECOND);
            }
        }
    }

    private final AccountScan scan;
    private final WalletService wallet;
    private final SegmentDispatcher dispatcher;
    private final Clock clock;
    private final Settings settings;

    public QuotaReset(AccountScan scan, WalletService wallet, SegmentDispatcher dispatcher, Clock clock, Settings settings) {
        this.scan = scan;
        this.wallet = wallet;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.settings = settings;
    }

    /** The job's name for the period that starts at {@code now}'s month: one checkpoint set per period. */
    public String jobFor(Instant now) {
        return "quota-reset#" + Period.calendarMonthOf(now).id();
    }

    /**
     * Dispatches one task per segment of {@code job} not done yet. A job keeps the split it started with, so a
     * rerun after {@code segments} was changed still finds its checkpoints.
     */
    public Coordination coordinate(String job, int segments) {
        List<Checkpoint> saved = scan.checkpoints(job);
        int total = totalSegments(job, saved, segments);
        Set<Integer> done = saved.stream().filter(Checkpoint::done).map(Checkpoint::segment).collect(Collectors.toSet());
        int dispatched = 0;
        for (int segment = 0; segment < total; segment++) {
            if (!done.contains(segment)) {
                dispatcher.dispatch(new SegmentTask(job, segment, total, newTicket(), 0));
                dispatched++;
            }
        }
        return new Coordination(job, total, dispatched, done.size());
    }

    /** The job so far, from its checkpoints ({@code segments} if it has not started). */
    public Progress progress(String job, int segments) {
        List<Checkpoint> saved = scan.checkpoints(job);
        return new Progress(job, totalSegments(job, saved, segments), (int) saved.stream().filter(Checkpoint::done).count(),
                saved.stream().mapToLong(Checkpoint::seen).sum(), saved.stream().mapToLong(Checkpoint::reset).sum(),
                saved.stream().mapToLong(Checkpoint::skipped).sum(), saved.stream().mapToLong(Checkpoint::failed).sum());
    }

    /**
     * Works on one segment: takes its lease until {@code leaseUntil} (when this invocation ends at the latest),
     * goes on from its checkpoint page by page while {@code timeLeft} says there is time for one more, saving the
     * checkpoint after each page, then either finishes the segment or hands it over to a fresh invocation.
     *
     * @throws RuntimeException when a page fails (after giving the lease up, so that Lambda's retry of this
     *                          invocation, or any other worker, goes on from the last page saved), or when there was
     *                          no time for a single page (handing over would then loop forever)
     */
    public SegmentRun work(SegmentTask task, BooleanSupplier timeLeft, Instant leaseUntil) {
        Optional<Checkpoint> claimed = scan.claim(task.job(), task.segment(), task.totalSegments(), task.ticket(), leaseUntil, clock.instant());
        if (claimed.isEmpty()) {
            return new SegmentRun(task, Outcome.BUSY, 0, 0, 0, 0, 0, Optional.empty());
        }
        Checkpoint start = claimed.get();
        Checkpoint at = start;
        boolean released = false;
        ExecutorService pool = settings.threads() > 1 ? Executors.newFixedThreadPool(settings.threads()) : null;
        try {
            if (start.totalSegments() != task.totalSegments()) {
                throw new IllegalStateException(task.job() + " was split into " + start.totalSegments() + " segments, not "
                        + task.totalSegments() + ": the task is not for this job's split");
            }
            if (start.done()) {
                scan.save(task.job(), start, task.ticket(), true);
                released = true;
                return SegmentRun.between(task, Outcome.ALREADY_DONE, 0, start, start);
            }
            int pages = 0;
            while (!at.done() && pages < MAX_PAGES_PER_INVOCATION && timeLeft.getAsBoolean()) {
                long pageStarted = System.nanoTime();
                AccountScan.Page page = scan.scan(task.segment(), task.totalSegments(), at.position(), settings.pageItems());
                Checkpoint next = rollOver(at, page, pool);
                pace(page.accounts().size(), pageStarted);
                pages++;
                if (!scan.save(task.job(), next, task.ticket(), next.done())) {
                    released = true;
                    return SegmentRun.between(task, Outcome.LEASE_LOST, pages, start, at);
                }
                released = next.done();
                at = next;
            }
            if (at.done()) {
                return SegmentRun.between(task, Outcome.DONE, pages, start, at);
            }
            if (pages == 0) {
                throw new IllegalStateException("no time left for a single page of " + task.job() + " segment " + task.segment()
                        + ": the function's timeout must be well above the reset's margin");
            }
            if (task.handovers() >= MAX_HANDOVERS) {
                throw new IllegalStateException(task.job() + " segment " + task.segment() + " is still not done after "
                        + MAX_HANDOVERS + " hand-overs; its checkpoint is saved, a rerun goes on from it");
            }
            if (!scan.save(task.job(), at, task.ticket(), true)) {
                released = true;
                return SegmentRun.between(task, Outcome.LEASE_LOST, pages, start, at);
            }
            released = true;
            dispatcher.dispatch(new SegmentTask(task.job(), task.segment(), task.totalSegments(), newTicket(), task.handovers() + 1));
            return SegmentRun.between(task, Outcome.HANDED_OVER, pages, start, at);
        } catch (RuntimeException | Error e) {
            if (!released) {
                releaseAfterFailure(task, at, e);
            }
            throw e;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Waits, after a page, until it has taken at least as long as its accounts at the set rate: at most
     * {@link Settings#longestPace()}, which the caller keeps well within the time it leaves itself after a page.
     */
    private void pace(int accounts, long pageStartedNanos) {
        if (settings.accountsPerSecond() <= 0 || accounts == 0) {
            return;
        }
        long dueNanos = (long) (accounts / settings.accountsPerSecond() * 1e9);
        long waitNanos = dueNanos - (System.nanoTime() - pageStartedNanos);
        if (waitNanos > 0) {
            try {
                Thread.sleep(java.time.Duration.ofNanos(waitNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pacing the reset", e);
            }
        }
    }

    /** Gives the lease up without hiding why the worker stopped (the retry would take it back anyway). */
    private void releaseAfterFailure(SegmentTask task, Checkpoint at, Throwable failure) {
        try {
            scan.save(task.job(), at, task.ticket(), true);
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }

    /** The page's accounts rolled over (on the pool, when there is one), and the checkpoint past the page. */
    private Checkpoint rollOver(Checkpoint at, AccountScan.Page page, ExecutorService pool) {
        List<Result> results = new ArrayList<>(page.accounts().size());
        if (pool == null || page.accounts().size() < 2) {
            page.accounts().forEach(account -> results.add(rollOver(account)));
        } else {
            List<Future<Result>> futures = new ArrayList<>(page.accounts().size());
            page.accounts().forEach(account -> futures.add(pool.submit(() -> rollOver(account))));
            for (Future<Result> future : futures) {
                results.add(await(future));
            }
        }
        long reset = results.stream().filter(r -> r == Result.RESET).count();
        long failed = results.stream().filter(r -> r == Result.FAILED).count();
        return at.after(page, reset, results.size() - reset - failed, failed);
    }

    private enum Result { RESET, SKIPPED, FAILED }

    private Result rollOver(Account account) {
        try {
            return wallet.rollOverIfDue(account) ? Result.RESET : Result.SKIPPED;
        } catch (WalletException e) {
            // Counted, not thrown: the account rolls over lazily at its next write, and the job goes on.
            return Result.FAILED;
        }
    }

    private static Result await(Future<Result> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rolling a page over", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static int totalSegments(String job, List<Checkpoint> saved, int segments) {
        Set<Integer> totals = saved.stream().map(Checkpoint::totalSegments).collect(Collectors.toSet());
        if (totals.size() > 1) {
            throw new IllegalStateException(job + " has checkpoints of different splits " + totals + ": it cannot go on");
        }
        int total = totals.isEmpty() ? segments : totals.iterator().next();
        if (total < 1 || total > SegmentTask.MAX_SEGMENTS) {
            throw new IllegalArgumentException("segments must be 1 to " + SegmentTask.MAX_SEGMENTS);
        }
        return total;
    }

    private static String newTicket() {
        return UUID.randomUUID().toString();
    }
}
