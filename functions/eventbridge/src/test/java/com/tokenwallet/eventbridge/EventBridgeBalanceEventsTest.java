package com.tokenwallet.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.events.BalanceEvent;
import com.tokenwallet.domain.json.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The EventBridge adapter, through the real SDK client (the pinned 2.25.50 on the BOM's core) against a local
 * HTTP fake of PutEvents on 127.0.0.1: what it sends, in batches of 10, and what it does when EventBridge refuses.
 */
class EventBridgeBalanceEventsTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private HttpServer server;
    private EventBridgeClient client;

    private EventBridgeBalanceEvents publisher(Function<Map<String, Object>, String> answer, int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            Map<String, Object> body = StrictJson.object(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(body);
            byte[] out = answer.apply(body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        client = EventBridgeClients.create("http://127.0.0.1:" + server.getAddress().getPort(), "eu-west-1");
        return new EventBridgeBalanceEvents(client, "wallet-bus", new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void sendsEachEventWithItsTypeAndDetail_tenPerCall() throws IOException {
        EventBridgeBalanceEvents events = publisher(EventBridgeBalanceEventsTest::allAccepted, 200);
        List<BalanceEvent> twelve = IntStream.range(0, 12).mapToObj(i -> event(i % 2 == 0 ? BalanceEvent.Type.LOW : BalanceEvent.Type.DEPLETED, "acct-" + i)).toList();

        events.publish(twelve);

        // On a loaded machine the SDK may retry an attempt that outlived its 700 ms timeout: a retry sends the same
        // body again, so the calls are counted by their distinct bodies.
        assertThat(targets).isNotEmpty().allMatch("AWSEvents.PutEvents"::equals);
        List<Map<String, Object>> calls = requests.stream().distinct().toList();
        assertThat(calls).hasSize(2);
        List<Map<String, Object>> first = (List<Map<String, Object>>) calls.getFirst().get("Entries");
        assertThat(first).hasSize(10);
        assertThat((List<?>) calls.get(1).get("Entries")).hasSize(2);
        Map<String, Object> entry = first.getFirst();
        assertThat(entry).containsEntry("EventBusName", "wallet-bus").containsEntry("Source", "token-wallet")
                .containsEntry("DetailType", "wallet.balance.low");
        assertThat(StrictJson.object((String) entry.get("Detail"))).containsEntry("accountId", "acct-0").containsEntry("bucket", "credits")
                .containsEntry("threshold", 5).containsEntry("availableBefore", 6).containsEntry("availableAfter", 5)
                .containsEntry("accountVersion", 7).containsEntry("occurredAt", AT.toString());
        assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anEntryEventBridgeRefuses_isLoggedWithAMetric_andNothingThrows() throws IOException {
        EventBridgeBalanceEvents events = publisher(body -> "{\"FailedEntryCount\":1,\"Entries\":[{\"EventId\":\"e1\"},"
                + "{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"try later\"}]}", 200);

        events.publish(List.of(event(BalanceEvent.Type.LOW, "ada"), event(BalanceEvent.Type.DEPLETED, "bob")));

        List<String> lines = logged.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).singleElement().satisfies(line -> {
            Map<String, Object> json = StrictJson.object(line);
            assertThat(json).containsEntry("level", "ERROR").containsEntry("accountId", "bob")
                    .containsEntry("detail-type", "wallet.balance.depleted").containsEntry("BalanceEventsFailed", 1).containsKey("_aws");
            assertThat((String) json.get("error")).contains("InternalFailure");
        });
    }

    @Test
    void anUnreachableOrFailingBus_isLoggedPerEvent_andNothingThrows() throws IOException {
        EventBridgeBalanceEvents events = publisher(body -> "{\"__type\":\"InternalException\",\"message\":\"boom\"}", 500);

        events.publish(List.of(event(BalanceEvent.Type.LOW, "ada")));

        assertThat(targets).as("the SDK retried").hasSizeGreaterThan(1);
        assertThat(logged.toString(StandardCharsets.UTF_8).lines()).singleElement()
                .satisfies(line -> assertThat(line).contains("\"level\":\"ERROR\"", "\"accountId\":\"ada\""));
    }

    @Test
    void theLocalPublisherWritesOneJsonLinePerEvent() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LoggedBalanceEvents(new PrintStream(out, true, StandardCharsets.UTF_8))
                .publish(List.of(event(BalanceEvent.Type.LOW, "ada"), event(BalanceEvent.Type.DEPLETED, "ada")));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(StrictJson.object(lines.get(1))).containsEntry("detail-type", "wallet.balance.depleted")
                .containsEntry("source", "token-wallet").containsKey("detail");
    }

    private static String allAccepted(Map<String, Object> body) {
        int n = ((List<?>) body.get("Entries")).size();
        return "{\"FailedEntryCount\":0,\"Entries\":[" + String.join(",", java.util.Collections.nCopies(n, "{\"EventId\":\"x\"}")) + "]}";
    }

    private static BalanceEvent event(BalanceEvent.Type type, String account) {
        return new BalanceEvent(type, AccountId.of(account), "credits", type == BalanceEvent.Type.LOW ? 5 : 0, 6, 5, 7, AT);
    }
}
