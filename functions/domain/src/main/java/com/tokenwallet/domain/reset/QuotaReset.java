package com.tokenwallet.domain.reset;

import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.service.WalletService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The monthly quota reset (SPEC 4): every calendar-period account whose period has ended moves to the current
 * one, its allowance replaced by its plan's, with plan_reset entries, through the same rule a debit applies lazily
 * ({@link WalletService#rollOverIfDue}). Each write is conditioned on the account's version, so a rerun, a
 * duplicate worker or the lazy path never resets an account twice.
 *
 * <p>The fan-out is AWS Step Functions' (infra/statemachines/quota-reset.asl.json): a Map over the segments, and per segment a
 * loop on the cursor. This class is the worker of one turn of that loop ({@link #step}): from a segment's cursor,
 * page by page while there is time, then it returns the new cursor and the counts so far. It keeps no state of
 * its own between turns (no lease, no hand-over): the cursor and counts live in the state machine's state. A turn
 * that dies mid-page is retried from the cursor it was given; the accounts of the page it died in are read again
 * and skipped (no longer due): nothing is reset twice, and the counts of the dead turn are simply not carried on,
 * so seen stays exact and those resets are counted as skipped.
 */
public final class QuotaReset {
    /** Items one scan call reads (DynamoDB also stops at 1 MB). */
    public static final int DEFAULT_PAGE_ITEMS = 1_000;
    public static final int MAX_PAGE_ITEMS = 10_000;
    public static final int MAX_THREADS = 64;
    /** DynamoDB's own limit on TotalSegments. */
    public static final int MAX_SEGMENTS = 1_000_000;
    public static final int MAX_NAME_LENGTH = 128;
    /** A bound on one turn's pages besides its time. */
    static final int MAX_PAGES_PER_STEP = 1_000_000;

    /**
     * Where a segment's loop is: the worker's input and output. {@code cursor} is empty at the start and once
     * {@code done}; the counts are the segment's so far (seen = reset + skipped + failed).
     */
    public record SegmentState(String job, int segment, int totalSegments, Optional<String> cursor, boolean done,
                               long seen, long reset, long skipped, long failed) {
        public SegmentState {
            if (job == null || job.isBlank() || job.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("job must be 1 to " + MAX_NAME_LENGTH + " characters");
            }
            // Through the checkpoint's own checks: the split and counts that add up.
            new Checkpoint(segment, totalSegments, cursor, done, seen, reset, skipped, failed);
            if (totalSegments > MAX_SEGMENTS) {
                throw new IllegalArgumentException("segments must be 1 to " + MAX_SEGMENTS);
            }
        }

        /** A segment nobody has worked on yet. */
        public static SegmentState start(String job, int segment, int totalSegments) {
            return new SegmentState(job, segment, totalSegments, Optional.empty(), false, 0, 0, 0, 0);
        }

        Checkpoint checkpoint() {
            return new Checkpoint(segment, totalSegments, cursor, done, seen, reset, skipped, failed);
        }

        static SegmentState of(String job, Checkpoint c) {
            return new SegmentState(job, c.segment(), c.totalSegments(), c.position(), c.done(), c.seen(), c.reset(), c.skipped(), c.failed());
        }
    }

    /** One turn of a segment's loop: where it ended, and how many pages it read. */
    public record Step(SegmentState state, int pages) {
    }

    /** A job so far, summed over its segments. */
    public record Progress(String job, int totalSegments, int segmentsDone, long seen, long reset, long skipped, long failed) {
        public boolean complete() {
            return segmentsDone == totalSegments;
        }

        /** The summary of segments' states (the state machine's Map output). */
        public static Progress of(String job, int totalSegments, List<SegmentState> states) {
            return new Progress(job, totalSegments, (int) states.stream().filter(SegmentState::done).count(),
                    states.stream().mapToLong(SegmentState::seen).sum(), states.stream().mapToLong(SegmentState::reset).sum(),
                    states.stream().mapToLong(SegmentState::skipped).sum(), states.stream().mapToLong(SegmentState::failed).sum());
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
    private final Clock clock;
    private final Settings settings;

    public QuotaReset(AccountScan scan, WalletService wallet, Clock clock, Settings settings) {
        this.scan = scan;
        this.wallet = wallet;
        this.clock = clock;
        this.settings = settings;
    }

    /** The job's name for the period that starts at {@code now}'s month. */
    public String jobFor(Instant now) {
        return "quota-reset#" + Period.calendarMonthOf(now).id();
    }

    /** The job's name for a period id such as 2026-12 (the state machine's input). */
    public static String jobOf(String period) {
        try {
            return "quota-reset#" + java.time.YearMonth.parse(period);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("period must be a month such as 2026-12, not " + period);
        }
    }

    /**
     * One turn of a segment's loop: from {@code from}'s cursor, page by page while {@code timeLeft} says there is
     * time for one more (at least one page is read), and the state after the last page read. A done segment is
     * returned as it is.
     *
     * @throws RuntimeException when a page fails: the caller retries from {@code from} (nothing of this turn is kept)
     */
    public Step step(SegmentState from, BooleanSupplier timeLeft) {
        if (from.done()) {
            return new Step(from, 0);
        }
        Checkpoint at = from.checkpoint();
        int pages = 0;
        ExecutorService pool = settings.threads() > 1 ? Executors.newFixedThreadPool(settings.threads()) : null;
        try {
            do {
                long pageStarted = System.nanoTime();
                AccountScan.Page page = scan.scan(at.segment(), at.totalSegments(), at.position(), settings.pageItems());
                at = rollOver(at, page, pool);
                pace(page.accounts().size(), pageStarted);
                pages++;
            } while (!at.done() && pages < MAX_PAGES_PER_STEP && timeLeft.getAsBoolean());
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new Step(SegmentState.of(from.job(), at), pages);
    }

    /**
     * The embedded store's stand-in for the state machine (the local runner, the benchmark, tests): every segment
     * of {@code job} not done yet looped on its cursor with {@link #step}, {@code parallel} segments at once,
     * each turn's state saved as the segment's checkpoint (so a second run finds the job done and the same totals).
     * A turn that fails is retried from the last state saved, {@code retries} times, as the state machine's Retry.
     */
    public Progress runInProcess(String job, int segments, int parallel, int retries, java.time.Duration turn) {
        List<Checkpoint> saved = scan.checkpoints(job);
        int total = saved.isEmpty() ? segments : saved.get(0).totalSegments();
        if (total < 1 || total > MAX_SEGMENTS) {
            throw new IllegalArgumentException("segments must be 1 to " + MAX_SEGMENTS);
        }
        List<SegmentState> states = new ArrayList<>();
        for (int segment = 0; segment < total; segment++) {
            int s = segment;
            states.add(saved.stream().filter(c -> c.segment() == s).findFirst().map(c -> SegmentState.of(job, c))
                    .orElse(SegmentState.start(job, segment, total)));
        }
        String owner = "in-process-" + job;
        ExecutorService segmentsPool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, total)));
        try {
            List<Future<SegmentState>> futures = new ArrayList<>();
            for (SegmentState state : states) {
                futures.add(segmentsPool.submit(() -> loop(state, owner, retries, turn)));
            }
            List<SegmentState> ended = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    ended.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    System.err.println("quota-reset: " + job + " segment " + i + " failed every attempt: " + e.getCause());
                    int segment = i;
                    ended.add(scan.checkpoints(job).stream().filter(c -> c.segment() == segment).findFirst()
                            .map(c -> SegmentState.of(job, c)).orElse(states.get(i)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the reset's segments", e);
                }
            }
            return Progress.of(job, total, ended);
        } finally {
            segmentsPool.shutdownNow();
        }
    }

    /** How many segments of {@code job} the embedded store's runs have finished. */
    public long segmentsDone(String job) {
        return scan.checkpoints(job).stream().filter(Checkpoint::done).count();
    }

    private SegmentState loop(SegmentState state, String owner, int retries, java.time.Duration turn) {
        int failures = 0;
        while (!state.done()) {
            try {
                Instant deadline = clock.instant().plus(turn);
                SegmentState next = step(state, () -> clock.instant().isBefore(deadline)).state();
                scan.claim(state.job(), next.segment(), next.totalSegments(), owner, clock.instant().plusSeconds(3600), clock.instant());
                scan.save(state.job(), next.checkpoint(), owner, true);
                state = next;
                failures = 0;
            } catch (RuntimeException e) {
                if (++failures > retries) {
                    throw e;
                }
            }
        }
        return state;
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
}
