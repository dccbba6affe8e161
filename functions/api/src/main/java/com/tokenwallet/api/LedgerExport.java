package com.tokenwallet.api;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.BalanceAfter;
import com.tokenwallet.domain.ledger.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The ledger export's two formats (issue 17): CSV ({@code text/csv}, RFC 4180: a header row, CRLF line ends, a
 * field quoted when it holds a comma, a double quote, CR or LF, its quotes doubled) with a stable column order, and
 * JSON Lines ({@code application/x-ndjson}: one transaction as {@code GET .../transactions} renders it per line).
 * Written here rather than with Commons CSV, whose commons-io and commons-codec would add about 1 MB to the check
 * function's cold start for a dozen lines of quoting; the tests read the output back with Commons CSV's parser.
 */
public final class LedgerExport {
    /**
     * The CSV columns, in their fixed order: the entry, then its bucket's parts once it was written (as
     * {@code LedgerEntry} renders them; {@code debtAfter} 0 when none; all four empty on entries written before
     * balances were recorded). New columns only ever go at the end.
     */
    public static final List<String> COLUMNS = List.of("transactionId", "createdAt", "type", "bucket", "amount", "allowanceDelta",
            "purchasedDelta", "heldDelta", "operation", "reference", "description", "metadata", "allowanceAfter", "purchasedAfter",
            "heldAfter", "debtAfter");
    /** Under Lambda's 6 MB synchronous response limit, with room for headers. */
    public static final int MAX_BODY_BYTES = 5_000_000;

    public enum Format {
        CSV("text/csv", "csv"), JSONL("application/x-ndjson", "jsonl");

        private final String contentType;
        private final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        public String contentType() {
            return contentType;
        }

        public String extension() {
            return extension;
        }

        /** {@code csv} (the default when absent) or {@code jsonl}; anything else is 400 on {@code format}. */
        public static Format fromQuery(String raw) {
            if (raw == null || raw.equals("csv")) {
                return CSV;
            }
            if (raw.equals("jsonl")) {
                return JSONL;
            }
            throw new InvalidRequestException("format", "'format' must be 'csv' or 'jsonl'.");
        }
    }

    private final Format format;
    private final StringBuilder out = new StringBuilder();
    private long bytes;

    public LedgerExport(Format format) {
        this.format = format;
        if (format == Format.CSV) {
            line(String.join(",", COLUMNS) + "\r\n");
        }
    }

    public void add(LedgerEntry e) {
        if (format == Format.JSONL) {
            line(StrictJson.write(Representations.entry(e)) + "\n");
            return;
        }
        StringBuilder row = new StringBuilder();
        BalanceAfter after = e.balanceAfter();
        List<Object> values = java.util.Arrays.asList(e.transactionId(), e.createdAt().toString(), e.type().wireName(), e.bucket(),
                e.amount(), e.allowanceDelta(), e.purchasedDelta(), e.heldDelta(), e.operation(), e.reference(), e.description(),
                e.metadataJson(), after == null ? null : after.allowance(), after == null ? null : after.purchasedWithoutDebt(),
                after == null ? null : after.held(), after == null ? null : after.debt());
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                row.append(',');
            }
            row.append(field(values.get(i)));
        }
        line(row.append("\r\n").toString());
    }

    public String body() {
        return out.toString();
    }

    private void line(String line) {
        bytes += line.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new InvalidRequestException("to", "The export would be larger than " + MAX_BODY_BYTES / 1_000_000
                    + " MB; ask for a shorter range.");
        }
        out.append(line);
    }

    /** RFC 4180 section 2: absent is an empty field; quotes only where needed, inner quotes doubled. */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof String text ? text : String.valueOf(value).toLowerCase(Locale.ROOT);
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
