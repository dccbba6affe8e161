package com.tokenwallet.sqlite;

import java.sql.SQLException;
import java.util.List;

/**
 * The wallet's tables: one per kind of record, plain columns, instants as ISO-8601 text (UTC) except where a number
 * is compared (epoch seconds or milliseconds, named so), so that {@code sqlite3 wallet.db} shows them as they are.
 * The partial indexes are the DynamoDB table's sparse indexes: e-mail address, Stripe customer, Stripe payment,
 * accounts with pending holds by shard and next expiry, accounts on calendar periods (not on a subscription in
 * force: the monthly reset's, as CalendarAccounts); {@code scan_hash} spreads accounts over scan segments.
 */
final class SqliteSchema {
    /** Bumped when a table changes shape; {@code PRAGMA user_version} of a database says which it has. */
    static final int VERSION = 8;

    /** What a package's Checkout Session sells (SqlitePaymentRecords): the offer as its JSON document. */
    private static final String OFFERS = """
            CREATE TABLE IF NOT EXISTS offers (
              account_id         TEXT NOT NULL,
              offer_id           TEXT NOT NULL,
              document           TEXT NOT NULL,
              expires_at_epoch_s INTEGER NOT NULL,
              PRIMARY KEY (account_id, offer_id)
            )""";

    /** Paid sessions the wallet could not credit by itself, until an operator settles them. */
    private static final String OWED_PAYMENTS = """
            CREATE TABLE IF NOT EXISTS owed_payments (
              account_id TEXT NOT NULL,
              payment_id TEXT NOT NULL,
              status     TEXT NOT NULL,
              version    INTEGER NOT NULL,
              created_at TEXT NOT NULL,
              document   TEXT NOT NULL,
              PRIMARY KEY (account_id, payment_id)
            )""";

    /**
     * A bucket's stored credit lots (issue 15); their remaining tokens are part of the bucket's purchased column.
     * An account written before lots existed has none, and reads as before.
     */
    private static final String LOTS = """
            CREATE TABLE IF NOT EXISTS lots (
              account_id  TEXT NOT NULL,
              bucket      TEXT NOT NULL,
              lot_id      TEXT NOT NULL,
              source      TEXT NOT NULL,
              granted     INTEGER NOT NULL,
              remaining   INTEGER NOT NULL,
              priority    INTEGER NOT NULL,
              expires_at  TEXT,
              cost_basis  TEXT,
              reference   TEXT,
              created_at  TEXT NOT NULL,
              PRIMARY KEY (account_id, lot_id)
            )""";

    /**
     * What turns a database of version {@code n} into version {@code n + 1} (index {@code n - 1}); a new database gets
     * the current tables from {@link #STATEMENTS} and needs none of these.
     */
    private static final List<List<String>> UPGRADES = List.of(
            // 1 -> 2: what the buyer paid for a purchase (issue 19), empty on purchases credited before.
            List.of("ALTER TABLE purchases ADD COLUMN amount_paid INTEGER", "ALTER TABLE purchases ADD COLUMN currency TEXT"),
            // 2 -> 3: checkout's offers and the owed payments (issue 19 item 3): new tables, nothing else changes.
            List.of(OFFERS, OWED_PAYMENTS),
            // 3 -> 4: whether the account is on calendar periods (issue 18: the reset reads only those, through the
            // partial index accounts_on_calendar_periods, as DynamoDB's sparse index CalendarAccounts).
            List.of("ALTER TABLE accounts ADD COLUMN calendar INTEGER NOT NULL DEFAULT 1",
                    "UPDATE accounts SET calendar = 0 WHERE subscription_status IN ('active', 'trialing', 'past_due')"),
            // 4 -> 5: credit lots (issue 15): a new table; existing purchased tokens read as one unlotted lot.
            List.of(LOTS),
            // 5 -> 6: every bucket's parts after each entry (issue 15, balances as of an instant); empty on older entries.
            List.of("ALTER TABLE ledger ADD COLUMN balances_after TEXT"),
            // 6 -> 7: the lots a debit or capture consumed, kept with its ledger entry so a refund gives them back
            // (issue 15); entries written before have none and refund by part, as before.
            List.of("ALTER TABLE ledger ADD COLUMN consumed TEXT"),
            // 7 -> 8: each bucket's credit limit (issue 15), 0 on older rows; debt is a negative purchased part.
            List.of("ALTER TABLE balances ADD COLUMN credit_limit INTEGER NOT NULL DEFAULT 0"));

    static final List<String> TABLES = List.of("accounts", "balances", "pending_holds", "ledger", "holds",
            "refund_tallies", "stripe_events", "purchases", "idempotency_records", "job_checkpoints", "offers", "owed_payments", "lots");

    private static final List<String> STATEMENTS = List.of("""
            CREATE TABLE IF NOT EXISTS accounts (
              account_id                TEXT PRIMARY KEY,
              email                     TEXT,
              email_normalized          TEXT,
              plan                      TEXT NOT NULL,
              period_id                 TEXT NOT NULL,
              period_start              TEXT NOT NULL,
              period_end                TEXT NOT NULL,
              created_at                TEXT NOT NULL,
              version                   INTEGER NOT NULL,
              stripe_customer_id        TEXT,
              subscription_id           TEXT,
              subscription_status       TEXT,
              subscription_plan         TEXT,
              subscription_period_start TEXT,
              subscription_as_of        INTEGER,
              flags                     TEXT,
              hold_shard                INTEGER,
              next_hold_expiry_epoch_s  INTEGER,
              scan_hash                 INTEGER NOT NULL,
              calendar                  INTEGER NOT NULL DEFAULT 1
            )""", """
            CREATE TABLE IF NOT EXISTS balances (
              account_id TEXT NOT NULL,
              bucket     TEXT NOT NULL,
              allowance  INTEGER NOT NULL,
              purchased  INTEGER NOT NULL,
              held       INTEGER NOT NULL,
              credit_limit INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY (account_id, bucket)
            )""", """
            CREATE TABLE IF NOT EXISTS pending_holds (
              account_id TEXT NOT NULL,
              hold_id    TEXT NOT NULL,
              bucket     TEXT NOT NULL,
              amount     INTEGER NOT NULL,
              expires_at TEXT NOT NULL,
              PRIMARY KEY (account_id, hold_id)
            )""", """
            CREATE TABLE IF NOT EXISTS ledger (
              account_id      TEXT NOT NULL,
              transaction_id  TEXT NOT NULL,
              entry_type      TEXT NOT NULL,
              bucket          TEXT NOT NULL,
              amount          INTEGER NOT NULL,
              allowance_delta INTEGER NOT NULL,
              purchased_delta INTEGER NOT NULL,
              held_delta      INTEGER NOT NULL,
              operation       TEXT,
              reference       TEXT,
              description     TEXT,
              metadata        TEXT,
              created_at      TEXT NOT NULL,
              balances_after  TEXT,
              consumed        TEXT,
              PRIMARY KEY (account_id, transaction_id)
            )""", """
            CREATE TABLE IF NOT EXISTS holds (
              account_id             TEXT NOT NULL,
              hold_id                TEXT NOT NULL,
              bucket                 TEXT NOT NULL,
              amount                 INTEGER NOT NULL,
              operation              TEXT,
              created_at             TEXT NOT NULL,
              expires_at             TEXT NOT NULL,
              status                 TEXT NOT NULL,
              captured               INTEGER NOT NULL,
              capture_transaction_id TEXT,
              resolved_at            TEXT,
              PRIMARY KEY (account_id, hold_id)
            )""", """
            CREATE TABLE IF NOT EXISTS refund_tallies (
              account_id         TEXT NOT NULL,
              transaction_id     TEXT NOT NULL,
              refunded_allowance INTEGER NOT NULL,
              refunded_purchased INTEGER NOT NULL,
              version            INTEGER NOT NULL,
              PRIMARY KEY (account_id, transaction_id)
            )""", """
            CREATE TABLE IF NOT EXISTS stripe_events (
              account_id         TEXT NOT NULL,
              event_id           TEXT NOT NULL,
              event_type         TEXT NOT NULL,
              applied_at         TEXT NOT NULL,
              expires_at_epoch_s INTEGER NOT NULL,
              PRIMARY KEY (account_id, event_id)
            )""", """
            CREATE TABLE IF NOT EXISTS purchases (
              account_id  TEXT NOT NULL,
              payment_id  TEXT NOT NULL,
              package_id  TEXT NOT NULL,
              credited    TEXT NOT NULL,
              clawed_back TEXT NOT NULL,
              disputed    INTEGER NOT NULL,
              version     INTEGER NOT NULL,
              amount_paid INTEGER,
              currency    TEXT,
              PRIMARY KEY (account_id, payment_id)
            )""", """
            CREATE TABLE IF NOT EXISTS idempotency_records (
              account_id         TEXT NOT NULL,
              idempotency_key    TEXT NOT NULL,
              fingerprint        TEXT NOT NULL,
              status_code        INTEGER NOT NULL,
              body               TEXT NOT NULL,
              created_at         TEXT NOT NULL,
              expires_at_epoch_s INTEGER NOT NULL,
              PRIMARY KEY (account_id, idempotency_key)
            )""", """
            CREATE TABLE IF NOT EXISTS job_checkpoints (
              job                  TEXT NOT NULL,
              segment              INTEGER NOT NULL,
              total_segments       INTEGER NOT NULL,
              position             TEXT,
              done                 INTEGER NOT NULL,
              seen                 INTEGER NOT NULL,
              reset                INTEGER NOT NULL,
              skipped              INTEGER NOT NULL,
              failed               INTEGER NOT NULL,
              lease_owner          TEXT,
              lease_until_epoch_ms INTEGER,
              updated_at           TEXT NOT NULL,
              PRIMARY KEY (job, segment)
            )""",
            "CREATE INDEX IF NOT EXISTS accounts_by_email ON accounts (email_normalized) WHERE email_normalized IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS accounts_by_stripe_customer ON accounts (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS accounts_with_pending_holds ON accounts (hold_shard, next_hold_expiry_epoch_s) WHERE hold_shard IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS accounts_by_scan_hash ON accounts (scan_hash, account_id)",
            "CREATE INDEX IF NOT EXISTS accounts_on_calendar_periods ON accounts (scan_hash, account_id) WHERE calendar = 1",
            "CREATE INDEX IF NOT EXISTS purchases_by_payment ON purchases (payment_id)", OFFERS, OWED_PAYMENTS, LOTS);

    private SqliteSchema() {
    }

    /** Creates what is missing; refuses a database written by a newer version of this schema. */
    static void create(SqliteDatabase.Tx tx) throws SQLException {
        int version = tx.first("PRAGMA user_version", row -> row.getInt(1)).orElse(0);
        if (version > VERSION) {
            throw new IllegalStateException("this SQLite database has schema version " + version
                    + ", newer than this program's " + VERSION + ": use a newer token-wallet");
        }
        boolean existing = tx.first("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'accounts'",
                row -> row.getInt(1) > 0).orElse(false);
        if (existing) {
            for (int from = Math.max(version, 1); from < VERSION; from++) {
                for (String statement : UPGRADES.get(from - 1)) {
                    tx.execute(statement);
                }
            }
        }
        for (String statement : STATEMENTS) {
            tx.execute(statement);
        }
        if (version < VERSION) {
            tx.execute("PRAGMA user_version = " + VERSION);
        }
    }
}
