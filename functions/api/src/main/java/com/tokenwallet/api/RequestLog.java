package com.tokenwallet.api;

import com.tokenwallet.domain.json.StrictJson;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per request on standard output (Lambda sends it to CloudWatch Logs): request id, function,
 * route, account id, status, outcome and latency. Never the body, a token, an e-mail address or a secret.
 *
 * <p>The same line is a CloudWatch embedded-metric-format record: CloudWatch turns it into the metrics
 * {@code Requests} (count) and {@code Latency} (ms) in namespace {@value Emf#NAMESPACE}, by function and outcome,
 * so every outcome (ok, insufficient_tokens, store_unavailable, ...) has its own series without an API call; and
 * what the request's writes did ({@link RequestMetrics}: Debits, TokensDebited by operation, Holds, Captures,
 * Refunds, ...) and its refusals (InsufficientTokens, StoreErrors), by function.
 */
final class RequestLog {
    private final String function;
    private final PrintStream out;

    RequestLog(String function) {
        this(function, System.out);
    }

    RequestLog(String function, PrintStream out) {
        this.function = function;
        this.out = out;
    }

    /**
     * A log whose lines go nowhere, through a stream built as standard output is (a PrintStream over a buffered
     * stream, flushed on each line, in standard output's charset): the twin of SnapStart priming writes its lines
     * there, so the code that writes a line is compiled before the first request writes one.
     */
    static RequestLog nowhere(String function) {
        return new RequestLog(function, new PrintStream(new java.io.BufferedOutputStream(java.io.OutputStream.nullOutputStream()), true,
                System.out.charset()));
    }

    /** The line, with what the request's writes did ({@link RequestMetrics}) as more metrics of the same line. */
    void write(String requestId, String route, String accountId, int status, String outcome, double latencyMs, Throwable failure,
               RequestMetrics metrics) {
        out.println(line(requestId, route, accountId, status, outcome, latencyMs, failure, metrics));
    }

    /** The line {@link #write} writes (SnapStart priming builds it, and writes nothing). */
    String line(String requestId, String route, String accountId, int status, String outcome, double latencyMs, Throwable failure,
                RequestMetrics metrics) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", status >= 500 ? "ERROR" : "INFO");
        line.put("function", function);
        line.put("requestId", requestId);
        line.put("route", route);
        if (accountId != null && accountId.length() <= 128) {
            line.put("accountId", accountId);
        }
        line.put("status", status);
        line.put("outcome", outcome);
        line.put("latencyMs", Math.round(latencyMs * 100) / 100.0);
        line.put("Requests", 1);
        line.put("Latency", Math.round(latencyMs * 100) / 100.0);
        if (failure != null) {
            line.put("error", failure.getClass().getName());
            line.put("errorMessage", String.valueOf(failure.getMessage()));
            if (failure.getCause() != null) {
                line.put("cause", failure.getCause().getClass().getName() + ": " + failure.getCause().getMessage());
            }
        }
        java.util.List<Emf.Directive> directives = new java.util.ArrayList<>();
        directives.add(new Emf.Directive(java.util.List.of("function", "outcome"), "Requests", "Count", "Latency", "Milliseconds"));
        if (metrics != null) {
            metrics.writeInto(line, outcome, directives);
        }
        line.put("_aws", Emf.metadata(directives));
        return StrictJson.write(line);
    }
}
