package com.tokenwallet.domain.port;

import java.util.Objects;

/**
 * Starts the work on one scan segment of a job somewhere else: in Lambda, an asynchronous invocation of the job's
 * own function, so that every segment of a large table gets a whole invocation (and its 15 minutes) to itself.
 */
public interface SegmentDispatcher {

    /**
     * Hands the task over and returns once it is accepted (queued), not once it has run. Throws when it was not
     * accepted; dispatching one task twice is harmless (the segment's lease lets only one worker at a time on it).
     */
    void dispatch(SegmentTask task);

    /** The task was not accepted (the service refused it or could not be reached): nothing was queued. */
    final class DispatchFailedException extends RuntimeException {
        private final transient SegmentTask task;

        public DispatchFailedException(SegmentTask task, String message, Throwable cause) {
            super("could not dispatch " + task.job() + " segment " + task.segment() + ": " + message, cause);
            this.task = task;
        }

        public SegmentTask task() {
            return task;
        }
    }

    /**
     * One invocation's worth of work: segment {@code segment} of {@code totalSegments} of {@code job}.
     * {@code ticket} names this one dispatch: a retry of the same invocation carries the same ticket, so it may
     * take back the lease its crashed attempt left; a second dispatch has another ticket and may not while the
     * lease is live. {@code handovers} counts the invocations of this segment before this one in its chain, so a
     * chain cannot go on forever.
     */
    record SegmentTask(String job, int segment, int totalSegments, String ticket, int handovers) {
        /** DynamoDB's own limit on TotalSegments. */
        public static final int MAX_SEGMENTS = 1_000_000;
        public static final int MAX_NAME_LENGTH = 128;

        public SegmentTask {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(ticket, "ticket");
            if (job.isBlank() || job.length() > MAX_NAME_LENGTH || ticket.isBlank() || ticket.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("job and ticket must be 1 to " + MAX_NAME_LENGTH + " characters");
            }
            if (totalSegments < 1 || totalSegments > MAX_SEGMENTS || segment < 0 || segment >= totalSegments) {
                throw new IllegalArgumentException("segment " + segment + " of " + totalSegments);
            }
            if (handovers < 0) {
                throw new IllegalArgumentException("handovers " + handovers);
            }
        }
    }
}
