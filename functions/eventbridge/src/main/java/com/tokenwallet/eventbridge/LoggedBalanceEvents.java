package com.tokenwallet.eventbridge;

import com.tokenwallet.domain.events.BalanceEvent;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.BalanceEvents;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Balance events as JSON lines on standard output, in EventBridge's envelope ({@code source}, {@code detail-type},
 * {@code detail}): what the local runner does, and any function with no event bus configured, so a developer sees
 * what a deployed stack would send.
 */
public final class LoggedBalanceEvents implements BalanceEvents {
    private final PrintStream out;

    public LoggedBalanceEvents(PrintStream out) {
        this.out = out;
    }

    @Override
    public void publish(List<BalanceEvent> events) {
        for (BalanceEvent event : events) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("timestamp", event.occurredAt().toString());
            line.put("level", "INFO");
            line.put("message", "balance event (no event bus configured: logged, not sent)");
            line.put("source", BalanceEventJson.SOURCE);
            line.put("detail-type", event.type().detailType());
            line.put("detail", BalanceEventJson.detail(event));
            out.println(StrictJson.write(line));
        }
    }
}
