package com.tokenwallet.quotareset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.SegmentDispatcher.SegmentTask;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two kinds of events the function receives, told apart; a segment task survives the trip through JSON. */
class SegmentPayloadTest {
    static final SegmentTask TASK = new SegmentTask("quota-reset#2026-12", 5, 32, "ticket-1", 2);

    @Test
    void aSegmentTask_comesBackFromItsJson() throws Exception {
        String json = SegmentPayload.json(TASK);

        assertThat(json).contains("\"kind\":\"quota-reset-segment\"");
        assertThat(SegmentPayload.task(StrictJson.object(json))).contains(TASK);
    }

    @Test
    void theScheduledEvent_isNotASegmentTask() {
        assertThat(SegmentPayload.task(ResetFixture.scheduledEvent())).isEmpty();
        assertThat(SegmentPayload.task(Map.of())).isEmpty();
        assertThat(SegmentPayload.task(null)).isEmpty();
    }

    @Test
    void aMalformedSegmentEvent_isRefused() {
        for (Map.Entry<String, Object> broken : Map.<String, Object>of("segment", "5", "totalSegments", 2.5, "ticket", 7,
                "handovers", -1, "job", "").entrySet()) {
            Map<String, Object> event = new HashMap<>(SegmentPayload.map(TASK));
            event.put(broken.getKey(), broken.getValue());
            assertThatThrownBy(() -> SegmentPayload.task(event)).as("%s", broken).isInstanceOf(IllegalArgumentException.class);
        }
        Map<String, Object> outOfRange = new HashMap<>(SegmentPayload.map(TASK));
        outOfRange.put("segment", 32);
        assertThatThrownBy(() -> SegmentPayload.task(outOfRange)).isInstanceOf(IllegalArgumentException.class);
    }
}
