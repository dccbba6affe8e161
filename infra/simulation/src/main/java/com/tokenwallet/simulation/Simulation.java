package com.tokenwallet.simulation;

import com.tokenwallet.domain.ledger.LedgerEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one history: launches its steps as concurrent clients on the cluster, moves them one store call at a time
 * in the seed's order, moves the clock, checks the invariants at quiet points and at the end, then feeds the commits
 * to the reference model and checks what clients were answered against what was written.
 */
final class Simulation {
    static final int FAULT_PERCENT = 12;
    private static final int MAX_CONCURRENT = 6;
    private static final int CHECK_EVERY = 40;
    private static final long LONG_JUMP_SECONDS = 3_600;
    /** A transaction id anywhere in a text: the product's own pattern without its anchors. */
    private static final java.util.regex.Pattern TX_ID = java.util.regex.Pattern.compile(
            com.tokenwallet.domain.ledger.TransactionIds.VALID.pattern().replace("^", "").replace("$", ""));

    /**
     * {@code commits}: each write in one line (to compare two runs); {@code writes}: the writes themselves;
     * {@code spans}: the writes each answered step could have seen.
     */
    record Result(int operations, List<String> anomalies, List<String> commits, Map<Integer, Outcome> outcomes, List<Commit> writes,
                  Map<Integer, RefusalCheck.Span> spans) {
    }

    static Result run(History history) {
        SplittableRandom random = new SplittableRandom(history.seed() ^ 0x5DEECE66DL);
        List<String> anomalies = new ArrayList<>();
        Scheduler scheduler = new Scheduler(random.split(), t -> anomalies.add("a client got an unexpected " + t));
        StoreFaults faults = new StoreFaults(scheduler, random.split(), FAULT_PERCENT);
        Map<Integer, Outcome> outcomes = new HashMap<>();
        Map<Integer, RefusalCheck.Span> spans = new HashMap<>();
        int operations = 0;
        List<String> commits = new ArrayList<>();
        List<Commit> writes;
        try (Cluster cluster = new Cluster(history, faults)) {
            Client client = new Client(cluster, outcomes::get);
            InvariantChecker checker = new InvariantChecker(cluster.checkerStore);
            int next = 0;
            int moves = 0;
            List<Step> steps = history.steps();
            while (next < steps.size() || scheduler.running() > 0) {
                boolean launch = next < steps.size() && (scheduler.running() == 0
                        || (scheduler.running() < MAX_CONCURRENT && random.nextInt(3) == 0));
                if (launch) {
                    Step step = steps.get(next++);
                    operations++;
                    if (step.action() instanceof Action.Clock jump) {
                        if (jump.seconds() > LONG_JUMP_SECONDS) {
                            // Requests in flight end before a long jump: a client does not retry days later with
                            // the same key (keys are kept 7 days; after that the same key is a new request).
                            scheduler.drain();
                        }
                        cluster.clock.advance(java.time.Duration.ofSeconds(jump.seconds()));
                    } else {
                        int from = cluster.log.commits().size();
                        scheduler.spawn("sim-step-" + step.id(), () -> {
                            Outcome outcome = client.run(step);
                            outcomes.put(step.id(), outcome);
                            spans.put(step.id(), new RefusalCheck.Span(from, cluster.log.commits().size(), cluster.clock.instant()));
                        });
                    }
                } else {
                    scheduler.step();
                    cluster.clock.advance(java.time.Duration.ofMillis(random.nextInt(1_500)));
                    if (++moves % CHECK_EVERY == 0) {
                        anomalies.addAll(during(checker.check(history.accounts(), committed(cluster))));
                    }
                }
                if (!anomalies.isEmpty()) {
                    scheduler.drain();
                    break;
                }
            }
            if (anomalies.isEmpty()) {
                anomalies.addAll(checker.check(history.accounts(), committed(cluster)));
                ReferenceModel model = new ReferenceModel(cluster.catalog());
                anomalies.addAll(model.feed(cluster.log.commits()));
                anomalies.addAll(model.answeredClawBacks(steps, outcomes, spans));
                anomalies.addAll(AnswerCheck.check(steps, outcomes, cluster.log.commits()));
                anomalies.addAll(RefusalCheck.check(steps, outcomes, spans, cluster.log.commits(), cluster.catalog()));
            }
            // Transaction ids are random ULIDs (a grant's lot is named by its own): named here by order of first appearance.
            Map<String, String> ids = new HashMap<>();
            cluster.log.commits().forEach(c -> commits.add(TX_ID.matcher((c.step() == null ? "-" : c.step().id()) + ":"
                    + c.after().id().value() + ":" + c.after().version() + ":" + c.after().buckets())
                    .replaceAll(m -> ids.computeIfAbsent(m.group(), k -> "tx#" + ids.size()))));
            writes = List.copyOf(cluster.log.commits());
        }
        return new Result(operations, anomalies, commits, outcomes, writes, spans);
    }

    private static List<String> during(List<String> found) {
        return found.stream().map(a -> "during the history: " + a).toList();
    }

    private static Map<String, LedgerEntry> committed(Cluster cluster) {
        Map<String, LedgerEntry> all = new HashMap<>();
        cluster.log.commits().forEach(c -> c.entries().forEach(e -> all.put(e.transactionId(), e)));
        return all;
    }
}
