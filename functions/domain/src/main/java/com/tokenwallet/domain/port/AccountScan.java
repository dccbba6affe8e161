package com.tokenwallet.domain.port;

import com.tokenwallet.domain.account.Account;
import java.util.List;
import java.util.Optional;

/**
 * Walking every account in parallel segments, for jobs such as the monthly quota reset, with a checkpoint per
 * segment so that a job stopped anywhere resumes where it was.
 */
public interface AccountScan {

    /** Accounts of one segment (of {@code totalSegments}), after {@code startAfter} (an opaque position), at most about {@code limit} items read. */
    Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit);

    /** A job's checkpoint for a segment, if it saved one. */
    Optional<Checkpoint> checkpoint(String job, int segment);

    /** Saves a segment's checkpoint (last writer wins: one worker owns a segment at a time). */
    void saveCheckpoint(String job, Checkpoint checkpoint);

    /** The accounts read, and where to go on from ({@code empty} when the segment is done). */
    record Page(List<Account> accounts, Optional<String> next) {
        public Page {
            accounts = List.copyOf(accounts);
        }
    }

    /** How far a job got in a segment, and what it did there so far. */
    record Checkpoint(int segment, Optional<String> position, boolean done, long seen, long reset, long failed) {
    }
}
