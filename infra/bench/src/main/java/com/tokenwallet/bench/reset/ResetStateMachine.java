package com.tokenwallet.bench.reset;

import com.amazonaws.services.lambda.runtime.Context;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.quotareset.QuotaResetHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * infra/statemachines/quota-reset.asl.json's happy path run in this process against the worker, as Step Functions
 * runs it: the Pass state {@code Segments} (job {@code quota-reset#<period>}, segments 0 to n - 1), the Map
 * {@code EachSegment} (every segment at once up to {@code maxConcurrency}; its ItemSelector's input
 * {@code {"action":"segment","job", "totalSegments","segment"}}), per segment the Task {@code Turn} (the worker
 * invoked with the state as its payload, JSON on the way in; its answer, a JSON string, read back with
 * {@code States.StringToJson} and made the next state by {@code OutputPath}) and the Choice {@code SegmentDone?} on
 * {@code done}, then the Task {@code Summary}. A turn that throws fails the run (no Retry, no Catch: the bench wants
 * every turn to succeed).
 */
public final class ResetStateMachine {
    private final QuotaResetHandler worker;
    private final IntFunction<Context> turnContext;
    private final int maxTurnsPerSegment;

    /** {@code turnContext}: each turn's Lambda context, given the turn's number in its segment. */
    public ResetStateMachine(QuotaResetHandler worker, IntFunction<Context> turnContext, int maxTurnsPerSegment) {
        this.worker = worker;
        this.turnContext = turnContext;
        this.maxTurnsPerSegment = maxTurnsPerSegment;
    }

    /** An execution's output (the summary) and every turn's output, per segment. */
    public record Execution(Map<String, Object> summary, List<List<Map<String, Object>>> turns) {
        public long turnCount() {
            return turns.stream().mapToLong(List::size).sum();
        }
    }

    /** One execution with input {@code {"period": period}}. */
    public Execution run(String period, int totalSegments, int maxConcurrency, long timeoutSeconds) throws Exception {
        String job = "quota-reset#" + period;
        ExecutorService map = Executors.newFixedThreadPool(Math.max(1, Math.min(maxConcurrency, totalSegments)));
        List<List<Map<String, Object>>> turns = new ArrayList<>();
        List<Map<String, Object>> segments = new ArrayList<>();
        try {
            List<Future<List<Map<String, Object>>>> iterations = new ArrayList<>();
            for (int segment = 0; segment < totalSegments; segment++) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("action", "segment");
                item.put("job", job);
                item.put("totalSegments", totalSegments);
                item.put("segment", segment);
                iterations.add(map.submit(() -> segmentLoop(item)));
            }
            for (Future<List<Map<String, Object>>> iteration : iterations) {
                List<Map<String, Object>> outputs = iteration.get(timeoutSeconds, TimeUnit.SECONDS);
                turns.add(outputs);
                segments.add(outputs.getLast());
            }
        } finally {
            map.shutdownNow();
        }
        Map<String, Object> summaryInput = new LinkedHashMap<>();
        summaryInput.put("action", "summary");
        summaryInput.put("job", job);
        summaryInput.put("totalSegments", totalSegments);
        summaryInput.put("segments", segments);
        Map<String, Object> summary = invoke(summaryInput, turnContext.apply(0));
        return new Execution(summary, turns);
    }

    /** The Map's ItemProcessor: Turn, then SegmentDone? back to Turn until done. */
    private List<Map<String, Object>> segmentLoop(Map<String, Object> item) {
        List<Map<String, Object>> outputs = new ArrayList<>();
        Map<String, Object> state = item;
        for (int turn = 0; ; turn++) {
            if (turn == maxTurnsPerSegment) {
                throw new IllegalStateException("segment " + item.get("segment") + " not done after " + turn + " turns");
            }
            state = invoke(state, turnContext.apply(turn));
            outputs.add(state);
            if (Boolean.TRUE.equals(state.get("done"))) {
                return outputs;
            }
        }
    }

    /** lambda:invoke with the state as its payload; the answer (a JSON string) through States.StringToJson. */
    private Map<String, Object> invoke(Map<String, Object> payload, Context context) {
        try {
            Map<String, Object> input = StrictJson.object(StrictJson.write(payload));
            return StrictJson.object(worker.handleRequest(input, context));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
