package com.tokenwallet.sqlite;

import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job's per-segment checkpoints (table {@code job_checkpoints}) and their leases, as DynamoDB's JobCheckpoints
 * keeps them: the lease ({@code lease_owner}, {@code lease_until_epoch_ms}) is taken in one write transaction unless
 * another owner's lease is live, and every save is conditioned on still holding it.
 */
final class SqliteJobCheckpoints {
    private static final String COLUMNS = "segment, total_segments, position, done, seen, reset, skipped, failed";

    private final SqliteDatabase db;
    private final Clock clock;

    SqliteJobCheckpoints(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    List<Checkpoint> all(String job) {
        return db.read("read the job's checkpoints", tx -> tx.query("SELECT " + COLUMNS + " FROM job_checkpoints WHERE job = ? "
                + "ORDER BY segment", SqliteJobCheckpoints::checkpoint, job));
    }

    Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now) {
        return db.write("claim a job segment", tx -> {
            Optional<String[]> lease = tx.first("SELECT lease_owner, lease_until_epoch_ms FROM job_checkpoints WHERE job = ? AND segment = ?",
                    r -> new String[]{r.getString(1), r.getString(2)}, job, segment);
            if (lease.isPresent() && lease.get()[0] != null && !lease.get()[0].equals(owner)
                    && lease.get()[1] != null && Long.parseLong(lease.get()[1]) >= now.toEpochMilli()) {
                tx.rollbackOnly();
                return Optional.<Checkpoint>empty();
            }
            if (lease.isEmpty()) {
                tx.update("INSERT INTO job_checkpoints (job, segment, total_segments, position, done, seen, reset, skipped, failed, "
                                + "lease_owner, lease_until_epoch_ms, updated_at) VALUES (?, ?, ?, NULL, 0, 0, 0, 0, 0, ?, ?, ?)",
                        job, segment, totalSegments, owner, leaseUntil.toEpochMilli(), clock.instant().toString());
            } else {
                tx.update("UPDATE job_checkpoints SET lease_owner = ?, lease_until_epoch_ms = ?, updated_at = ? WHERE job = ? AND segment = ?",
                        owner, leaseUntil.toEpochMilli(), clock.instant().toString(), job, segment);
            }
            return tx.first("SELECT " + COLUMNS + " FROM job_checkpoints WHERE job = ? AND segment = ?",
                    SqliteJobCheckpoints::checkpoint, job, segment);
        });
    }

    boolean save(String job, Checkpoint checkpoint, String owner, boolean release) {
        return db.write("save a job checkpoint", tx -> tx.update("UPDATE job_checkpoints SET position = ?, done = ?, seen = ?, reset = ?, "
                        + "skipped = ?, failed = ?, updated_at = ?"
                        + (release ? ", lease_owner = NULL, lease_until_epoch_ms = NULL" : "")
                        + " WHERE job = ? AND segment = ? AND lease_owner = ?",
                checkpoint.position().orElse(null), checkpoint.done(), checkpoint.seen(), checkpoint.reset(), checkpoint.skipped(),
                checkpoint.failed(), clock.instant().toString(), job, checkpoint.segment(), owner) == 1);
    }

    private static Checkpoint checkpoint(ResultSet r) throws SQLException {
        return new Checkpoint(r.getInt(1), r.getInt(2), Optional.ofNullable(r.getString(3)), r.getInt(4) != 0,
                r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8));
    }
}
