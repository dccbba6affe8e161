package com.tokenwallet.api;

import com.tokenwallet.domain.json.StrictJson;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per request on standard output (Lambda sends it to CloudWatch Logs): request id, function,
 * route, account id, status, outcome and latency. Never the body, a token, an e-mail address or a secret.
 */
final class RequestLog {
    private final String function;
    private final PrintStream out = System.out;

    RequestLog(String function) {
        this.function = function;
    }

    void write(String requestId, String route, String accountId, int status, String outcome, double latencyMs, Throwable failure) {
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
        if (failure != null) {
            line.put("error", failure.getClass().getName());
            line.put("errorMessage", String.valueOf(failure.getMessage()));
            if (failure.getCause() != null) {
                line.put("cause", failure.getCause().getClass().getName() + ": " + failure.getCause().getMessage());
            }
        }
        out.println(StrictJson.write(line));
    }
}
