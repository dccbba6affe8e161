package com.tokenwallet.domain.port;

import com.tokenwallet.domain.account.Account;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Walking the accounts on calendar periods in parallel segments, for the monthly quota reset. On AWS the state
 * machine keeps each segment's position (infra/statemachines/quota-reset.asl.json) and only {@link #scan} is used;
 * the checkpoints and their leases serve the embedded store's in-process stand-in for it (the local runner, the
 * benchmark), where one process owns the job.
 */
public interface AccountScan {

    /**
     * Accounts on calendar periods (none on a subscription in force: a sparse index of them, not the whole table) of
     * one segment (of {@code totalSegments}), after {@code startAfter} (an opaque position), at most about
     * {@code limit} items read.
     */
    Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit);

    /** Every checkpoint {@code job} has saved, in segment order (none for a job that has not started). */
    List<Checkpoint> checkpoints(String job);

    /**
     * Takes the lease of a segment's checkpoint for {@code owner} until {@code leaseUntil}, unless another owner
     * holds a lease that is still live at {@code now}, and returns the checkpoint (a fresh one, at the start of
     * the segment, for a segment never worked on). Empty: another worker has the segment.
     */
    Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now);

    /**
     * Saves a segment's checkpoint if {@code owner} still holds its lease; with {@code release}, gives the lease up
     * in the same write. Returns false, having saved nothing, when another owner has taken the segment over.
     */
    boolean save(String job, Checkpoint checkpoint, String owner, boolean release);

    /** The accounts read, and where to go on from ({@code empty} when the segment is done). */
    record Page(List<Account> accounts, Optional<String> next) {
        public Page {
            accounts = List.copyOf(accounts);
        }
    }

    /**
     * How far a job got in a segment, and what it did there so far: every account seen was reset, skipped (its
     * period had not ended, or something else rolled it over first) or failed (it rolls over at its next write).
     */
    record Checkpoint(int segment, int totalSegments, Optional<String> position, boolean done,
                      long seen, long reset, long skipped, long failed) {
        public Checkpoint {
            if (totalSegments < 1 || segment < 0 || segment >= totalSegments) {
                throw new IllegalArgumentException("segment " + segment + " of " + totalSegments);
            }
            if (reset < 0 || skipped < 0 || failed < 0 || seen != reset + skipped + failed) {
                throw new IllegalArgumentException("checkpoint counts do not add up: seen " + seen + ", reset " + reset
                        + ", skipped " + skipped + ", failed " + failed);
            }
            if (done && position.isPresent()) {
                throw new IllegalArgumentException("a done segment has no position to go on from");
            }
        }

        /** A segment nobody has worked on yet. */
        public static Checkpoint start(int segment, int totalSegments) {
            return new Checkpoint(segment, totalSegments, Optional.empty(), false, 0, 0, 0, 0);
        }

        /** This checkpoint moved past one more page, with what was done to its accounts. */
        public Checkpoint after(Page page, long reset, long skipped, long failed) {
            return new Checkpoint(segment, totalSegments, page.next(), page.next().isEmpty(), seen + reset + skipped + failed,
                    this.reset + reset, this.skipped + skipped, this.failed + failed);
        }
    }
}
