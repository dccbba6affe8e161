package com.tokenwallet.stripewebhook;

import static com.tokenwallet.stripewebhook.StripeDeliveries.charge;
import static com.tokenwallet.stripewebhook.StripeDeliveries.deliver;
import static com.tokenwallet.stripewebhook.StripeDeliveries.dispute;
import static com.tokenwallet.stripewebhook.StripeDeliveries.event;
import static com.tokenwallet.stripewebhook.StripeDeliveries.invoice;
import static com.tokenwallet.stripewebhook.StripeDeliveries.packageSession;
import static com.tokenwallet.stripewebhook.StripeDeliveries.subscription;
import static com.tokenwallet.stripewebhook.StripeDeliveries.subscriptionSession;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.TestWallet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A realistic lifecycle (a package purchase, a subscription start, two renewals, an upgrade, a partial and a full
 * refund, a dispute, a cancellation), delivered once in order to one wallet, and to another three times each,
 * shuffled, by four threads through two function instances; a delivery answered with anything but 2xx is
 * delivered again later, as Stripe does. Both must end with the same balances, plan and flags, the purchase
 * credited once, and the same net ledger per entry type and bucket
 * (leaving out the pairs that net to zero).
 *
 * <p>Not compared entry by entry: plan states overtaken by a newer one are never applied (that is the rule), so
 * a shuffled delivery can skip plan_reset entries that cancel out, and a dispute that arrives before the refunds
 * claws back in one entry what in order took two.
 */
class StripeChaosTest {
    static final String ACCOUNT = "chaos";
    static final long DAY = 86_400;
    static final int COPIES = 3;
    static final int MAX_ATTEMPTS = 2_000;

    private static List<String> lifecycle(long now) {
        long p1 = now - 70 * DAY;
        return List.of(
                event("evt_pkg", "checkout.session.completed", now - 900, packageSession("cs_pkg", ACCOUNT, "pro", "pi_pkg", "paid")),
                event("evt_sub", "checkout.session.completed", now - 800, subscriptionSession("cs_sub", ACCOUNT, "sub_1", "solo")),
                event("evt_in1", "invoice.paid", now - 799, invoice("in_1", ACCOUNT, "sub_1", "price_solo", p1, p1 + 30 * DAY, "subscription_create")),
                event("evt_in2", "invoice.paid", now - 700, invoice("in_2", ACCOUNT, "sub_1", "price_solo", p1 + 30 * DAY, p1 + 60 * DAY, "subscription_cycle")),
                event("evt_in3", "invoice.paid", now - 600, invoice("in_3", ACCOUNT, "sub_1", "price_solo", p1 + 60 * DAY, p1 + 90 * DAY, "subscription_cycle")),
                event("evt_up", "customer.subscription.updated", now - 500, subscription("sub_1", ACCOUNT, "active", "price_business")),
                event("evt_rf1", "charge.refunded", now - 400, charge(ACCOUNT, "pi_pkg", 2499, 1000)),
                event("evt_rf2", "charge.refunded", now - 300, charge(ACCOUNT, "pi_pkg", 2499, 2499)),
                event("evt_dp", "charge.dispute.created", now - 200, dispute("dp_1", "pi_pkg", 2499)),
                event("evt_del", "customer.subscription.deleted", now - 100, subscription("sub_1", ACCOUNT, "canceled", "price_business")));
    }

    @RepeatedTest(5)
    void shuffledDuplicatedConcurrentDeliveries_endAsOneInOrderDelivery() throws Exception {
        long now = Instant.now().getEpochSecond();
        List<String> events = lifecycle(now);
        long seed = new Random().nextLong();
        System.out.println("StripeChaosTest seed " + seed);

        try (TestWallet inOrder = new TestWallet(); TestWallet chaos = new TestWallet()) {
            Accounts expected = new Accounts(inOrder);
            expected.open(ACCOUNT);
            StripeWebhookHandler handler = StripeDeliveries.handler(inOrder);
            for (String body : events) {
                assertThat(deliver(handler, body).getStatusCode()).isEqualTo(200);
            }

            Accounts actual = new Accounts(chaos);
            actual.open(ACCOUNT);
            List<StripeWebhookHandler> instances = List.of(StripeDeliveries.handler(chaos), StripeDeliveries.handler(chaos));
            List<String> deliveries = new ArrayList<>();
            events.forEach(e -> deliveries.addAll(Collections.nCopies(COPIES, e)));
            Collections.shuffle(deliveries, new Random(seed));
            ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(deliveries);
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger retried = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pool.submit(() -> {
                    String body;
                    while ((body = queue.poll()) != null && attempts.incrementAndGet() < MAX_ATTEMPTS && System.nanoTime() < deadline) {
                        int status = deliver(instances.get(thread % 2), body).getStatusCode();
                        if (status != 200) {
                            retried.incrementAndGet();
                            queue.add(body); // Stripe delivers it again later
                            Thread.onSpinWait();
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            assertThat(queue).as("deliveries left after %s attempts", attempts.get()).isEmpty();
            System.out.println("StripeChaosTest: " + attempts.get() + " deliveries, " + retried.get() + " answered non-2xx and delivered again");

            Map<String, Object> want = expected.balance(ACCOUNT);
            Map<String, Object> got = actual.balance(ACCOUNT);
            assertThat(got.get("buckets")).isEqualTo(want.get("buckets"));
            assertThat(got.get("plan")).isEqualTo(want.get("plan")).isEqualTo("free");
            assertThat(got.get("flags")).isEqualTo(want.get("flags")).isEqualTo(List.of("disputed"));
            assertThat(got.get("period")).isEqualTo(want.get("period"));
            assertThat(actual.entries(ACCOUNT, "purchase")).hasSize(1);
            assertThat(netByTypeAndBucket(actual.ledger(ACCOUNT))).isEqualTo(netByTypeAndBucket(expected.ledger(ACCOUNT)));
            expected.assertInvariant(ACCOUNT);
            actual.assertInvariant(ACCOUNT);
            // The in-order run: 160 credited, 64 then 96 clawed back, solo then business then free.
            assertThat(netByTypeAndBucket(expected.ledger(ACCOUNT))).containsEntry("purchase/credits", 160L)
                    .containsEntry("clawback/credits", -160L);
            assertThat(expected.entries(ACCOUNT, "plan_reset")).extracting(e -> e.get("bucket") + " " + e.get("amount"))
                    .containsExactlyInAnyOrder("mockup 3", "dol 3", "weather 2", "mockup 7", "dol 7", "weather 5",
                            "mockup -10", "dol -10", "weather -7");
            assertThat(expected.entries(ACCOUNT, "clawback")).extracting(e -> e.get("amount")).containsExactly(-96, -64);
            // Issue 15: the refunds and the dispute took the payment's own lot, whatever the order; the signup's 10
            // unlotted tokens are what is left (taking the unlotted tokens first would have left 10 in the lot).
            assertThat(lotsWithoutTimes(actual.lots(ACCOUNT))).isEqualTo(lotsWithoutTimes(expected.lots(ACCOUNT)))
                    .containsExactly("purchased:credits purchase 10");
        }
    }

    /** Each lot as id, source and remaining tokens (its times differ between two wallets). */
    private static List<String> lotsWithoutTimes(List<Map<String, Object>> lots) {
        return lots.stream().map(l -> l.get("lotId") + " " + l.get("source") + " " + l.get("remaining")).toList();
    }

    /** The net amount per entry type and bucket, leaving out those that net to zero. */
    private static Map<String, Long> netByTypeAndBucket(List<Map<String, Object>> ledger) {
        Map<String, Long> net = ledger.stream().collect(Collectors.groupingBy(e -> e.get("type") + "/" + e.get("bucket"), TreeMap::new,
                Collectors.summingLong(e -> ((Number) e.get("amount")).longValue())));
        net.values().removeIf(v -> v == 0);
        return net;
    }
}
