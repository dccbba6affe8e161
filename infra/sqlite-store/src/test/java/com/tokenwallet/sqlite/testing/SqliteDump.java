package com.tokenwallet.sqlite.testing;

import com.tokenwallet.sqlite.SqliteDatabase;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a wallet's SQLite database holds, as plain rows: each a map of {@code "table"} and the row's columns
 * to plain values (String, Long, Double or null), every table (by name), in a stable order. For tests that assert a refused
 * request changed nothing, or look at what a write stored.
 */
public final class SqliteDump {
    private SqliteDump() {
    }

    /** Every row of every table of the database at {@code path}, read in one transaction of a connection of its own. */
    public static List<Map<String, Object>> rows(String path) {
        try (SqliteDatabase db = SqliteDatabase.open(path)) {
            return rows(db);
        }
    }

    public static List<Map<String, Object>> rows(SqliteDatabase db) {
        return db.read("dump the database", tx -> {
            List<Map<String, Object>> all = new ArrayList<>();
            List<String> tables = tx.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", r -> r.getString(1));
            for (String table : tables) {
                all.addAll(tx.query("SELECT * FROM " + table + " ORDER BY 1, 2", r -> {
                    ResultSetMetaData meta = r.getMetaData();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("table", table);
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        Object value = r.getObject(c);
                        row.put(meta.getColumnName(c), value instanceof Integer i ? Long.valueOf(i) : value);
                    }
                    return row;
                }));
            }
            return all;
        });
    }

    /** The rows of one table whose {@code account_id} is {@code accountId}. */
    public static List<Map<String, Object>> rows(List<Map<String, Object>> dump, String table, String accountId) {
        return dump.stream().filter(r -> table.equals(r.get("table")) && accountId.equals(r.get("account_id"))).toList();
    }
}
