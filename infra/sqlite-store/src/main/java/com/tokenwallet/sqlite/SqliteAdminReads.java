package com.tokenwallet.sqlite;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountDirectory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin's reads on SQLite: accounts by e-mail address through the partial index on {@code email_normalized},
 * and the health report's raw reads, which read the numbers as stored without building a domain {@code Account}
 * (a corrupted row is reported, not thrown on). Positions are account ids: the audit walks accounts in id order.
 */
public final class SqliteAdminReads implements AccountDirectory, AccountAudit {
    private final SqliteDatabase db;

    public SqliteAdminReads(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public List<AccountId> accountsByEmail(String normalizedEmail, int limit) {
        return db.read("find accounts by e-mail address", tx -> tx.query(
                "SELECT account_id FROM accounts WHERE email_normalized = ? ORDER BY account_id LIMIT ?",
                r -> AccountId.of(r.getString(1)), normalizedEmail, limit));
    }

    @Override
    public Page accounts(Optional<String> after, int maxItems) {
        after.ifPresent(SqliteAdminReads::checkPosition);
        return db.read("scan the accounts", tx -> {
            List<String> ids = after.isEmpty()
                    ? tx.query("SELECT account_id FROM accounts ORDER BY account_id LIMIT ?", r -> r.getString(1), maxItems)
                    : tx.query("SELECT account_id FROM accounts WHERE account_id > ? ORDER BY account_id LIMIT ?",
                            r -> r.getString(1), after.get(), maxItems);
            List<StoredAccount> accounts = new ArrayList<>();
            for (String id : ids) {
                accounts.add(stored(tx, id));
            }
            return new Page(accounts, ids.size(), ids.size() < maxItems ? Optional.empty() : Optional.of(ids.getLast()));
        });
    }

    @Override
    public Optional<StoredAccount> account(AccountId id) {
        return db.read("read the account", tx -> tx.first("SELECT 1 FROM accounts WHERE account_id = ?", r -> true, id.value())
                .isPresent() ? Optional.of(stored(tx, id.value())) : Optional.<StoredAccount>empty());
    }

    @Override
    public LedgerTotals ledgerTotals(AccountId id, int maxEntries) {
        return db.read("sum the ledger", tx -> {
            List<Object[]> entries = tx.query("SELECT bucket, allowance_delta, purchased_delta, held_delta FROM ledger "
                            + "WHERE account_id = ? ORDER BY transaction_id LIMIT ?",
                    r -> new Object[]{r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4)}, id.value(), (long) maxEntries + 1);
            Map<String, Parts> sums = new LinkedHashMap<>();
            long read = 0;
            for (Object[] e : entries) {
                read++;
                if (read > maxEntries) {
                    return new LedgerTotals(sums, read, false);
                }
                sums.merge((String) e[0], new Parts((Long) e[1], (Long) e[2], (Long) e[3]),
                        (a, b) -> a.plus(b.allowance(), b.purchased(), b.held()));
            }
            return new LedgerTotals(sums, read, true);
        });
    }

    /** An account row's numbers as stored, or why it cannot be read as an account. */
    private static StoredAccount stored(SqliteDatabase.Tx tx, String rawId) throws SQLException {
        if (!AccountId.isValid(rawId)) {
            return new StoredAccount(AccountId.of("invalid-id"), rawId, 0, Map.of(), List.of(),
                    Optional.of("the row's account_id " + abbreviate(rawId) + " is not an account id"));
        }
        AccountId id = AccountId.of(rawId);
        // A row edited by hand may hold text where a number belongs (SQLite lets it): that is reported, not read as 0.
        Optional<String> versionType = tx.first("SELECT typeof(version) FROM accounts WHERE account_id = ?", r -> r.getString(1), rawId);
        if (!versionType.equals(Optional.of("integer"))) {
            return unreadable(id, rawId, "its version is " + versionType.orElse("missing") + ", not a whole number");
        }
        long version = tx.first("SELECT version FROM accounts WHERE account_id = ?", r -> r.getLong(1), rawId).orElse(0L);
        Map<String, Parts> buckets = new LinkedHashMap<>();
        for (Object[] b : tx.query("SELECT bucket, allowance, purchased, held, "
                        + "typeof(allowance) || typeof(purchased) || typeof(held) || typeof(credit_limit), credit_limit, "
                        + "(SELECT coalesce(sum(remaining), 0) FROM lots l WHERE l.account_id = balances.account_id AND l.bucket = balances.bucket), "
                        + "(SELECT count(*) FROM lots l WHERE l.account_id = balances.account_id AND l.bucket = balances.bucket AND l.remaining < 0) "
                        + "FROM balances WHERE account_id = ? ORDER BY bucket",
                r -> new Object[]{r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getString(5), r.getLong(6), r.getLong(7),
                        r.getInt(8)}, rawId)) {
            if (!"integerintegerintegerinteger".equals(b[4])) {
                return unreadable(id, rawId, "bucket " + b[0] + " holds something other than whole numbers");
            }
            buckets.put((String) b[0], new Parts((Long) b[1], (Long) b[2], (Long) b[3], (Long) b[5], (Long) b[6], (Integer) b[7]));
        }
        List<StoredHold> holds = new ArrayList<>();
        try {
            for (Object[] h : tx.query("SELECT hold_id, bucket, amount, expires_at FROM pending_holds WHERE account_id = ? ORDER BY hold_id",
                    r -> new Object[]{r.getString(1), r.getString(2), r.getLong(3), r.getString(4)}, rawId)) {
                holds.add(new StoredHold((String) h[0], (String) h[1], (Long) h[2], Instant.parse((String) h[3])));
            }
        } catch (RuntimeException e) {
            return unreadable(id, rawId, "a pending hold cannot be read: " + e.getClass().getSimpleName());
        }
        return new StoredAccount(id, rawId, version, buckets, holds, Optional.empty());
    }

    private static StoredAccount unreadable(AccountId id, String position, String why) {
        return new StoredAccount(id, position, 0, Map.of(), List.of(), Optional.of("the row cannot be read as an account: " + why));
    }

    /** A position is an account id this class returned; anything else is an invalid cursor. */
    private static void checkPosition(String position) {
        if (!AccountId.isValid(position)) {
            throw new InvalidRequestException("cursor", "'cursor' is not a cursor this API returned.");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
