package com.tokenwallet.eventbridge;

import com.tokenwallet.domain.events.BalanceEvent;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.BalanceEvents;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Balance events to an EventBridge bus: {@code source} {@value BalanceEventJson#SOURCE}, {@code detail-type}
 * {@code wallet.balance.low} or {@code wallet.balance.depleted}, at most 10 entries per PutEvents call.
 *
 * <p>Called after the write committed, so a failure here cannot undo it and must not fail the request: an event
 * PutEvents refused, or a call that failed after the SDK's retries, is written as an ERROR line with the metric
 * {@code BalanceEventsFailed} (namespace TokenWallet), and is lost. Delivery is at most once.
 */
public final class EventBridgeBalanceEvents implements BalanceEvents {
    /** EventBridge's limit of entries per PutEvents call. */
    static final int MAX_ENTRIES_PER_CALL = 10;

    private final EventBridgeClient client;
    private final String busName;
    private final PrintStream log;

    public EventBridgeBalanceEvents(EventBridgeClient client, String busName, PrintStream log) {
        this.client = client;
        this.busName = busName;
        this.log = log;
    }

    @Override
    public void publish(List<BalanceEvent> events) {
        for (int from = 0; from < events.size(); from += MAX_ENTRIES_PER_CALL) {
            List<BalanceEvent> batch = events.subList(from, Math.min(events.size(), from + MAX_ENTRIES_PER_CALL));
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (BalanceEvent event : batch) {
                entries.add(PutEventsRequestEntry.builder()
                        .eventBusName(busName)
                        .source(BalanceEventJson.SOURCE)
                        .detailType(event.type().detailType())
                        .time(event.occurredAt())
                        .detail(StrictJson.write(BalanceEventJson.detail(event)))
                        .build());
            }
            try {
                PutEventsResponse response = client.putEvents(b -> b.entries(entries));
                if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                    List<PutEventsResultEntry> results = response.entries();
                    for (int i = 0; i < batch.size(); i++) {
                        PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
                        if (result == null || result.errorCode() != null) {
                            failed(batch.get(i), result == null ? "no result" : result.errorCode() + ": " + result.errorMessage());
                        }
                    }
                }
            } catch (SdkException e) {
                batch.forEach(event -> failed(event, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
    }

    private void failed(BalanceEvent event, String why) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", "ERROR");
        line.put("message", "balance event not sent to EventBridge; it is lost");
        line.put("detail-type", event.type().detailType());
        line.put("accountId", event.accountId().value());
        line.put("bucket", event.bucket());
        line.put("error", why.length() > 500 ? why.substring(0, 500) : why);
        line.put("BalanceEventsFailed", 1);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", System.currentTimeMillis());
        aws.put("CloudWatchMetrics", List.of(Map.of("Namespace", "TokenWallet", "Dimensions", List.of(List.of()),
                "Metrics", List.of(Map.of("Name", "BalanceEventsFailed", "Unit", "Count")))));
        line.put("_aws", aws);
        log.println(StrictJson.write(line));
    }
}
