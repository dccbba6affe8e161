package com.tokenwallet.sqlite;

import com.tokenwallet.domain.StoreUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One connection to the wallet's SQLite database (a file, or {@value #IN_MEMORY}), and the transactions every
 * store call runs in. Several instances, in one process or in several, may open the same file: the file is in
 * WAL mode (readers never wait for the writer), every write transaction starts with {@code BEGIN IMMEDIATE} (it
 * takes the write lock before reading what it checks, so a check and the write it guards cannot interleave with
 * another writer's), a writer waits up to {@link #BUSY_TIMEOUT_MILLIS} for the lock, and a commit returns only once
 * it is on disk ({@code synchronous=FULL}): what a caller was told is written survives a kill -9 or a power cut.
 *
 * <p>Calls on one instance are serialized (one connection). Every SQL failure becomes a
 * {@link StoreUnavailableException}, saying whether anything may have been written.
 */
public final class SqliteDatabase implements AutoCloseable {
    /** The path that names a private in-memory database, lost when it is closed. */
    public static final String IN_MEMORY = ":memory:";
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final String path;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private SqliteDatabase(String path, Connection connection) {
        this.path = path;
        this.connection = connection;
    }

    /** Opens (creating it and its directory if missing) the database at {@code path}, or an in-memory one. */
    public static SqliteDatabase open(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("wallet.sqlite.path needs a file, or " + IN_MEMORY);
        }
        boolean inMemory = path.equals(IN_MEMORY);
        if (!inMemory) {
            Path parent = Path.of(path).toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the directory of " + path, e);
            }
        }
        SQLiteConfig config = new SQLiteConfig();
        if (!inMemory) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setEncoding(SQLiteConfig.Encoding.UTF8);
        try {
            Connection connection = config.createConnection("jdbc:sqlite:" + path);
            SqliteDatabase database = new SqliteDatabase(path, connection);
            database.write("create the wallet's tables", tx -> {
                SqliteSchema.create(tx);
                return null;
            });
            return database;
        } catch (SQLException e) {
            throw new StoreUnavailableException("Could not open the SQLite database " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file (or {@value #IN_MEMORY}) this database is on. */
    public String path() {
        return path;
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Runs {@code work} in a read transaction: it sees one consistent state of the database. */
    public <T> T read(String what, Work<T> work) {
        return transaction(what, "BEGIN", work);
    }

    /**
     * Runs {@code work} in a write transaction, holding the write lock from its first statement; committed when it
     * returns, unless it called {@link Tx#rollbackOnly()} (a refused write: nothing of it is kept).
     */
    public <T> T write(String what, Work<T> work) {
        return transaction(what, "BEGIN IMMEDIATE", work);
    }

    private <T> T transaction(String what, String begin, Work<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("The SQLite database " + path + " is closed; nothing was changed.");
            }
            try (Statement s = connection.createStatement()) {
                s.execute(begin);
            } catch (SQLException e) {
                throw new StoreUnavailableException("Could not " + what + " in SQLite (" + reason(e) + "); nothing was changed.", e);
            }
            Tx tx = new Tx(connection);
            T result;
            try {
                result = work.run(tx);
            } catch (SQLException e) {
                rollback();
                throw new StoreUnavailableException("Could not " + what + " in SQLite (" + reason(e) + "); nothing was changed.", e);
            } catch (RuntimeException | Error e) {
                rollback();
                throw e;
            }
            if (tx.rollbackOnly) {
                rollback();
                return result;
            }
            try (Statement s = connection.createStatement()) {
                s.execute("COMMIT");
            } catch (SQLException e) {
                rollback();
                throw new StoreUnavailableException("Could not " + what + " in SQLite (" + reason(e)
                        + "); whether it was written is unknown: retry with the same Idempotency-Key.", e);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the open transaction keeping nothing of it (a ROLLBACK after SQLite already rolled back fails harmlessly). */
    private void rollback() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite ended the transaction itself (it does on some errors): nothing of it was kept either way.
        }
    }

    private static String reason(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT
                    || code == SQLiteErrorCode.SQLITE_BUSY_RECOVERY || code == SQLiteErrorCode.SQLITE_BUSY_TIMEOUT) {
                return "the database stayed locked by another writer for " + BUSY_TIMEOUT_MILLIS + " ms";
            }
            return code.name();
        }
        return e.getClass().getSimpleName() + " " + e.getMessage();
    }

    /** Closes the connection; later calls answer StoreUnavailableException. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            connection.close();
        } catch (SQLException e) {
            throw new StoreUnavailableException("Could not close the SQLite database " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** One transaction's statements, with the few helpers the store needs. */
    public static final class Tx {
        private final Connection connection;
        private boolean rollbackOnly;

        Tx(Connection connection) {
            this.connection = connection;
        }

        /** Nothing this transaction did will be kept. */
        public void rollbackOnly() {
            rollbackOnly = true;
        }

        /** Runs an INSERT, UPDATE or DELETE and returns how many rows it changed. */
        public int update(String sql, Object... args) throws SQLException {
            try (PreparedStatement s = prepare(sql, args)) {
                return s.executeUpdate();
            }
        }

        public void execute(String sql) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute(sql);
            }
        }

        /** Every row of a query, each read by {@code row}. */
        public <T> List<T> query(String sql, RowReader<T> row, Object... args) throws SQLException {
            try (PreparedStatement s = prepare(sql, args); ResultSet rs = s.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        }

        /** The first row of a query, if any. */
        public <T> Optional<T> first(String sql, RowReader<T> row, Object... args) throws SQLException {
            try (PreparedStatement s = prepare(sql, args); ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        }

        private PreparedStatement prepare(String sql, Object... args) throws SQLException {
            PreparedStatement s = connection.prepareStatement(sql);
            try {
                for (int i = 0; i < args.length; i++) {
                    Object arg = args[i];
                    switch (arg) {
                        case null -> s.setObject(i + 1, null);
                        case Boolean b -> s.setInt(i + 1, b ? 1 : 0);
                        case Integer n -> s.setLong(i + 1, n);
                        case Long n -> s.setLong(i + 1, n);
                        case String text -> s.setString(i + 1, text);
                        default -> throw new IllegalArgumentException("cannot bind " + arg.getClass().getName());
                    }
                }
                return s;
            } catch (SQLException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }
}
