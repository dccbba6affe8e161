package com.tokenwallet.quotareset;

import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.SegmentDispatcher.SegmentTask;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A segment task as the JSON payload of an invocation of the reset function, and back. The function is invoked
 * with two kinds of events: the EventBridge schedule's (the coordinator's turn) and these, told apart by
 * {@code "kind"}, which no scheduled event carries.
 */
final class SegmentPayload {
    static final String KIND = "quota-reset-segment";

    private SegmentPayload() {
    }

    static Map<String, Object> map(SegmentTask task) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("kind", KIND);
        payload.put("job", task.job());
        payload.put("segment", task.segment());
        payload.put("totalSegments", task.totalSegments());
        payload.put("ticket", task.ticket());
        payload.put("handovers", task.handovers());
        return payload;
    }

    static String json(SegmentTask task) {
        return StrictJson.write(map(task));
    }

    /**
     * The task an event names, or empty for any other event (the schedule's).
     *
     * @throws IllegalArgumentException for a segment event that is malformed
     */
    static Optional<SegmentTask> task(Map<String, Object> event) {
        if (event == null || !KIND.equals(event.get("kind"))) {
            return Optional.empty();
        }
        return Optional.of(new SegmentTask(string(event, "job"), integer(event, "segment"), integer(event, "totalSegments"),
                string(event, "ticket"), integer(event, "handovers")));
    }

    private static String string(Map<String, Object> event, String name) {
        if (!(event.get(name) instanceof String s)) {
            throw new IllegalArgumentException("segment event without string " + name);
        }
        return s;
    }

    private static int integer(Map<String, Object> event, String name) {
        if (!(event.get(name) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < Integer.MIN_VALUE || n.doubleValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segment event without integer " + name);
        }
        return n.intValue();
    }
}
