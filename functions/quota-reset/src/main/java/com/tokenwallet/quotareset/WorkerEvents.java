package com.tokenwallet.quotareset;

import com.tokenwallet.domain.reset.QuotaReset.Progress;
import com.tokenwallet.domain.reset.QuotaReset.SegmentState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's contract with the state machine (infra/statemachines/quota-reset.asl.json), as JSON maps. A turn's input and
 * output have the same form: {@code {"action":"segment","job","segment","totalSegments","cursor","done","seen",
 * "reset","skipped","failed"}} (cursor null at the start and once done; counts absent at the start mean 0). The
 * summary's input is the Map's output: {@code {"action":"summary","job","totalSegments","segments":[states]}}, and
 * after the second Map over the unfinished segments also {@code "retried":[states]}; its output (the summary line)
 * lists the segments not done as {@code "unfinished":[states]}, the second Map's items.
 */
final class WorkerEvents {
    static final String SEGMENT = "segment";
    static final String SUMMARY = "summary";

    private WorkerEvents() {
    }

    static boolean isSegment(Map<String, Object> event) {
        return event != null && SEGMENT.equals(event.get("action"));
    }

    static boolean isSummary(Map<String, Object> event) {
        return event != null && SUMMARY.equals(event.get("action"));
    }

    static Map<String, Object> map(SegmentState state) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("action", SEGMENT);
        map.put("job", state.job());
        map.put("segment", state.segment());
        map.put("totalSegments", state.totalSegments());
        map.put("cursor", state.cursor().orElse(null));
        map.put("done", state.done());
        map.put("seen", state.seen());
        map.put("reset", state.reset());
        map.put("skipped", state.skipped());
        map.put("failed", state.failed());
        return map;
    }

    /** @throws IllegalArgumentException for an input that is not a segment's state */
    static SegmentState segment(Map<String, Object> event) {
        Object cursor = event.get("cursor");
        if (cursor != null && !(cursor instanceof String)) {
            throw new IllegalArgumentException("segment event with a cursor that is not a string");
        }
        Object done = event.getOrDefault("done", false);
        if (!(done instanceof Boolean)) {
            throw new IllegalArgumentException("segment event with done that is not a boolean");
        }
        return new SegmentState(string(event, "job"), (int) number(event, "segment", null), (int) number(event, "totalSegments", null),
                Optional.ofNullable((String) cursor), (Boolean) done, number(event, "seen", 0L), number(event, "reset", 0L),
                number(event, "skipped", 0L), number(event, "failed", 0L));
    }

    /**
     * The segments' last states: the first Map's ({@code segments}; a segment caught after its retries is there
     * with its last cursor, not done, and an {@code error} that is ignored here), each replaced by its state in
     * {@code retried} (the second Map's, over the segments the first left unfinished) where there is one.
     */
    static List<SegmentState> states(Map<String, Object> event) {
        if (!(event.get("segments") instanceof List<?> list)) {
            throw new IllegalArgumentException("summary event without segments");
        }
        Map<Integer, SegmentState> bySegment = new java.util.TreeMap<>();
        for (SegmentState state : segmentList(list)) {
            bySegment.put(state.segment(), state);
        }
        Object retried = event.get("retried");
        if (retried != null) {
            if (!(retried instanceof List<?> again)) {
                throw new IllegalArgumentException("summary event with retried that is not a list");
            }
            for (SegmentState state : segmentList(again)) {
                bySegment.put(state.segment(), state);
            }
        }
        return List.copyOf(bySegment.values());
    }

    /** The summary of the segments' last states ({@link #states}). */
    static Progress summary(Map<String, Object> event) {
        return Progress.of(string(event, "job"), (int) number(event, "totalSegments", null), states(event));
    }

    private static List<SegmentState> segmentList(List<?> list) {
        List<SegmentState> states = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("summary event with a segment that is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> state = (Map<String, Object>) m;
            states.add(segment(state));
        }
        return states;
    }

    private static String string(Map<String, Object> event, String name) {
        if (!(event.get(name) instanceof String s)) {
            throw new IllegalArgumentException("event without string " + name);
        }
        return s;
    }

    private static long number(Map<String, Object> event, String name, Long absent) {
        Object value = event.get(name);
        if (value == null && absent != null) {
            return absent;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > 1e15) {
            throw new IllegalArgumentException("event without integer " + name);
        }
        return n.longValue();
    }
}
