package com.tokenwallet.api;

import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WriteObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the writes of one request did, counted from the ledger entries they committed: debits, tokens debited by
 * operation, holds, captures, refunds, admin changes. A replayed request writes nothing and counts nothing, and
 * every writer is covered, since the counts come from the store's committed writes (through
 * {@link #OBSERVER}). The counts go into the request's one log line as CloudWatch embedded metrics.
 *
 * <p>A request runs in one thread from start to end (in Lambda and in the local runner alike), so the counts of
 * the request in progress are kept per thread, between {@link #start()} and {@link #finish()}.
 */
public final class RequestMetrics {
    /** Counts the committed writes of the request running in the calling thread, if one is being counted. */
    public static final WriteObserver OBSERVER = RequestMetrics::applied;

    private static final ThreadLocal<RequestMetrics> CURRENT = new ThreadLocal<>();

    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Long> tokensDebitedByOperation = new TreeMap<>();
    private long tokensRefunded;

    /** Starts counting the calling thread's writes. */
    public static RequestMetrics start() {
        RequestMetrics metrics = new RequestMetrics();
        CURRENT.set(metrics);
        return metrics;
    }

    /** Stops counting the calling thread's writes. */
    public static void finish() {
        CURRENT.remove();
    }

    private static void applied(WalletStore.AccountWrite write) {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null) {
            write.entries().forEach(metrics::count);
        }
    }

    private void count(LedgerEntry entry) {
        switch (entry.type()) {
            case DEBIT -> {
                add("Debits");
                tokensDebitedByOperation.merge(entry.operation() == null ? "custom" : entry.operation(), -entry.amount(), Long::sum);
            }
            case CAPTURE -> {
                add("Captures");
                tokensDebitedByOperation.merge("capture", -entry.amount(), Long::sum);
            }
            case HOLD -> add("Holds");
            case RELEASE -> add("Releases");
            case REFUND -> {
                add("Refunds");
                tokensRefunded += entry.amount();
            }
            case GRANT, ADJUSTMENT -> add("AdminChanges");
            default -> {
                // Expiries, roll-overs, purchases: counted by the jobs and functions that own them.
            }
        }
    }

    private void add(String name) {
        counts.merge(name, 1L, Long::sum);
    }

    /**
     * Puts the counts into a log line, with their EMF directives: counts by {@code function}, and
     * {@code TokensDebited} by {@code function} and {@code operation} (one operation per request; several are
     * reported as {@code mixed}). {@code outcome} adds {@code InsufficientTokens} and {@code StoreErrors}.
     */
    void writeInto(Map<String, Object> line, String outcome, java.util.List<Emf.Directive> directives) {
        Map<String, Long> metrics = new LinkedHashMap<>(counts);
        if ("insufficient_tokens".equals(outcome)) {
            metrics.put("InsufficientTokens", 1L);
        }
        if ("store_unavailable".equals(outcome)) {
            metrics.put("StoreErrors", 1L);
        }
        if (tokensRefunded > 0) {
            metrics.put("TokensRefunded", tokensRefunded);
        }
        if (!metrics.isEmpty()) {
            line.putAll(metrics);
            directives.add(new Emf.Directive(java.util.List.of("function"), metrics.keySet().stream()
                    .flatMap(name -> java.util.stream.Stream.of(name, "Count")).toArray(String[]::new)));
        }
        if (!tokensDebitedByOperation.isEmpty()) {
            line.put("operation", tokensDebitedByOperation.size() == 1 ? tokensDebitedByOperation.keySet().iterator().next() : "mixed");
            line.put("TokensDebited", tokensDebitedByOperation.values().stream().mapToLong(Long::longValue).sum());
            directives.add(new Emf.Directive(java.util.List.of("function", "operation"), "TokensDebited", "Count"));
        }
    }
}
