package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 5: anonymous traffic must not starve authenticated callers or Stripe. Four threads flood the runner
 * (127.0.0.1 only; bounded: 1,200 requests or 20 seconds) with unsigned webhook deliveries and token-less calls of
 * the admin health route, whose own limit is 2 a second; meanwhile an admin keeps calling that route and Stripe keeps
 * delivering signed events, and every one of their requests gets through. The flood itself is limited per source
 * address (429) without touching the routes' limits.
 */
class AnonymousFloodTest {
    static final String SECRET = LocalStripeTest.SECRET;
    private static final int FLOOD_REQUESTS = 1_200;
    private static final Duration FLOOD_TIME = Duration.ofSeconds(20);

    @TempDir
    Path home;

    @BeforeEach
    void configure() {
        System.setProperty("stripe.webhook.secret", SECRET);
    }

    @AfterEach
    void clear() {
        System.clearProperty("stripe.webhook.secret");
    }

    private static String signature(String body, long t) throws Exception {
        return LocalStripeTest.signature(body, t);
    }

    @Test
    void anAnonymousFlood_neitherStarvesAnAdminNorStripesSignedDeliveries() throws Exception {
        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("key")))) {
            LocalApi api = new LocalApi(server.url());
            String admin = server.tokens().mint("ops", List.of("wallet:admin"), Duration.ofMinutes(5));
            // Signed with another key: a token this runner refuses (as a JWT authorizer refuses one of another issuer).
            String forged = LocalTokens.fromKeyFile(home.resolve("another-key")).mint("ops", List.of("wallet:admin"), Duration.ofMinutes(5));

            Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            long deadline = System.nanoTime() + FLOOD_TIME.toNanos();
            ExecutorService flooders = Executors.newFixedThreadPool(4);
            List<Future<?>> flood = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                flood.add(flooders.submit(() -> {
                    for (int n = sent.getAndIncrement(); n < FLOOD_REQUESTS && System.nanoTime() < deadline; n = sent.getAndIncrement()) {
                        LocalApi.Request request = switch (n % 6) {
                            case 0 -> api.request("GET", "/admin/health?limit=1");
                            case 1 -> api.request("GET", "/admin/health?limit=1").token(forged);
                            default -> api.request("POST", "/webhooks/stripe").json("{\"id\":\"evt_flood\"}")
                                    .header("Stripe-Signature", n % 2 == 0 ? "t=1,v1=00" : "garbage");
                        };
                        int status;
                        try {
                            status = request.offContract("anonymous flood").send().status();
                        } catch (java.io.UncheckedIOException e) {
                            status = 0; // the connection failed: counted, and refused below
                        }
                        floodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }

            // While the flood runs: an admin at the health route's own pace (under its 2 a second), Stripe delivering.
            List<Integer> adminStatuses = new ArrayList<>();
            List<Integer> stripeStatuses = new ArrayList<>();
            AtomicLong events = new AtomicLong();
            while (flood.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
                adminStatuses.add(api.request("GET", "/admin/health?limit=1").token(admin).send().status());
                String body = "{\"id\":\"evt_signed_" + events.incrementAndGet() + "\",\"object\":\"event\",\"type\":\"customer.created\","
                        + "\"created\":" + Instant.now().getEpochSecond() + ",\"data\":{\"object\":{\"id\":\"cus_1\"}}}";
                stripeStatuses.add(api.request("POST", "/webhooks/stripe").header("Stripe-Signature", signature(body, Instant.now().getEpochSecond()))
                        .json(body).send().status());
                Thread.sleep(600);
            }
            flooders.shutdown();
            assertThat(flooders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : flood) {
                f.get();
            }

            int floodTotal = floodStatuses.values().stream().mapToInt(AtomicInteger::get).sum();
            assertThat(floodTotal).as("the flood ran: %s", floodStatuses).isGreaterThan(600);
            assertThat(adminStatuses).as("the admin, during the flood %s", floodStatuses).isNotEmpty().containsOnly(200);
            assertThat(stripeStatuses).as("Stripe's signed deliveries, during the flood %s", floodStatuses).isNotEmpty().containsOnly(200);
            assertThat(floodStatuses.keySet()).as("the flood is refused (never served, never a 5xx or a dropped connection): %s",
                    floodStatuses).isSubsetOf(400, 401, 429);
            assertThat(floodStatuses).as("anonymous traffic is limited per source").containsKey(429);
        }
    }
}
