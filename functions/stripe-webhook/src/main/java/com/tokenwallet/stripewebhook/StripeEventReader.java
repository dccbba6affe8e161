package com.tokenwallet.stripewebhook;

import com.tokenwallet.domain.billing.BillingEvent;
import com.tokenwallet.domain.billing.BillingEvent.AccountRef;
import com.tokenwallet.domain.billing.StripePrices;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a verified Stripe event into a {@link BillingEvent}, from the raw JSON rather than stripe-java's typed
 * model. That is how events of any {@code api_version} are read correctly: stripe-java's model follows its own
 * API version (2026-07-29.dahlia) and leaves an object of another major version empty, while this reader looks
 * for each field it needs where the current version puts it and, failing that, where earlier versions did (the
 * invoice's subscription under {@code parent.subscription_details} or at the top; a line's price under
 * {@code pricing.price_details.price}, {@code price.id} or {@code plan.id}; ids either as strings or as expanded
 * objects).
 */
final class StripeEventReader {
    private final StripePrices prices;

    StripeEventReader(StripePrices prices) {
        this.prices = prices;
    }

    BillingEvent read(Map<String, Object> event) {
        String id = requiredString(event, "id");
        String type = requiredString(event, "type");
        long created = number(event.get("created")).orElseThrow(() -> new IllegalArgumentException("event without created"));
        Map<String, Object> object = map(map(event.get("data")).get("object"));
        return switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> checkoutSession(id, type, created, object);
            case "invoice.paid" -> invoicePaid(id, type, created, object);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                    subscription(id, type, created, object);
            case "charge.refunded" -> new BillingEvent.ChargeRefunded(id, type, created,
                    ref(object, idOf(object.get("payment_intent")).or(() -> string(object, "id"))),
                    idOf(object.get("payment_intent")).or(() -> string(object, "id")).orElseThrow(),
                    number(object.get("amount")).orElse(0L), number(object.get("amount_refunded")).orElse(0L));
            case "charge.dispute.created" -> {
                String payment = idOf(object.get("payment_intent")).or(() -> idOf(object.get("charge")))
                        .orElseThrow(() -> new IllegalArgumentException("dispute without payment_intent or charge"));
                yield new BillingEvent.DisputeOpened(id, type, created, ref(object, Optional.of(payment)), payment,
                        string(object, "id").orElse(id));
            }
            default -> new BillingEvent.Ignored(id, type, created, AccountRef.NONE, "type not handled");
        };
    }

    private BillingEvent checkoutSession(String id, String type, long created, Map<String, Object> session) {
        String mode = string(session, "mode").orElse("");
        String paymentStatus = string(session, "payment_status").orElse("");
        Map<String, Object> metadata = map(session.get("metadata"));
        AccountRef account = new AccountRef(string(session, "client_reference_id").or(() -> string(metadata, "accountId")),
                idOf(session.get("customer")), Optional.empty());
        String sessionId = requiredString(session, "id");
        if (mode.equals("subscription")) {
            if (!paymentStatus.equals("paid") && !paymentStatus.equals("no_payment_required")) {
                return new BillingEvent.Ignored(id, type, created, account, "subscription not paid yet (" + paymentStatus + ")");
            }
            Optional<String> subscription = idOf(session.get("subscription"));
            Optional<String> plan = string(metadata, "planId");
            if (subscription.isEmpty() || plan.isEmpty()) {
                return new BillingEvent.Ignored(id, type, created, account, "subscription session without subscription or planId");
            }
            return new BillingEvent.SubscriptionStarted(id, type, created, account, subscription.get(), plan.get());
        }
        if (!mode.equals("payment")) {
            return new BillingEvent.Ignored(id, type, created, account, "checkout mode " + mode);
        }
        if (!paymentStatus.equals("paid")) {
            return new BillingEvent.Ignored(id, type, created, account,
                    "payment_status " + paymentStatus + ": credited on checkout.session.async_payment_succeeded");
        }
        Optional<String> packageId = string(metadata, "packageId");
        if (packageId.isEmpty()) {
            return new BillingEvent.Ignored(id, type, created, account, "payment session without packageId metadata");
        }
        String payment = idOf(session.get("payment_intent")).orElse(sessionId);
        // offerId: the offer checkout stored for this session (issue 19 item 3); sessions without one use the catalog.
        return new BillingEvent.PackagePaid(id, type, created, account, sessionId, payment, packageId.get(), paid(session),
                string(metadata, "offerId"));
    }

    /** What the session says was paid: amounts, currency, tax and shipping, and its line items when it carries them. */
    private static BillingEvent.Payment paid(Map<String, Object> session) {
        Map<String, Object> totals = map(session.get("total_details"));
        Optional<List<BillingEvent.PaidLine>> lines = Optional.empty();
        if (session.get("line_items") instanceof Map<?, ?>) {
            lines = Optional.of(list(map(session.get("line_items")).get("data")).stream()
                    .map(line -> new BillingEvent.PaidLine(linePrice(map(line)), number(map(line).get("quantity")).orElse(1L)))
                    .toList());
        }
        return new BillingEvent.Payment(string(session, "currency"), optionalLong(session.get("amount_subtotal")),
                optionalLong(session.get("amount_total")), number(totals.get("amount_tax")).orElse(0L),
                number(totals.get("amount_shipping")).orElse(0L), lines);
    }

    private static java.util.OptionalLong optionalLong(Object value) {
        return value instanceof Number n ? java.util.OptionalLong.of(n.longValue()) : java.util.OptionalLong.empty();
    }

    private BillingEvent invoicePaid(String id, String type, long created, Map<String, Object> invoice) {
        Map<String, Object> details = map(map(invoice.get("parent")).get("subscription_details"));
        Optional<String> subscription = idOf(details.get("subscription")).or(() -> idOf(invoice.get("subscription")));
        Map<String, Object> subMetadata = details.isEmpty() ? map(map(invoice.get("subscription_details")).get("metadata"))
                : map(details.get("metadata"));
        AccountRef account = new AccountRef(string(subMetadata, "accountId"), idOf(invoice.get("customer")), Optional.empty());
        if (subscription.isEmpty()) {
            return new BillingEvent.Ignored(id, type, created, account, "invoice without subscription");
        }
        Optional<String> plan = Optional.empty();
        Map<String, Object> periodLine = Map.of();
        for (Object line : list(map(invoice.get("lines")).get("data"))) {
            Map<String, Object> l = map(line);
            Optional<String> linePlan = linePrice(l).flatMap(prices::planOfPrice);
            if (linePlan.isPresent() && plan.isEmpty()) {
                plan = linePlan;
                periodLine = map(l.get("period"));
            }
            if (periodLine.isEmpty()) {
                periodLine = map(l.get("period"));
            }
        }
        long start = number(periodLine.get("start")).or(() -> number(invoice.get("period_start"))).orElseThrow();
        long end = number(periodLine.get("end")).or(() -> number(invoice.get("period_end"))).orElseThrow();
        if (end <= start) {
            return new BillingEvent.Ignored(id, type, created, account, "invoice period is empty");
        }
        return new BillingEvent.InvoicePaid(id, type, created, account, requiredString(invoice, "id"), subscription.get(), plan,
                Instant.ofEpochSecond(start), Instant.ofEpochSecond(end),
                "subscription_create".equals(string(invoice, "billing_reason").orElse("")));
    }

    private BillingEvent subscription(String id, String type, long created, Map<String, Object> sub) {
        Map<String, Object> metadata = map(sub.get("metadata"));
        AccountRef account = new AccountRef(string(metadata, "accountId"), idOf(sub.get("customer")), Optional.empty());
        Optional<String> plan = Optional.empty();
        for (Object item : list(map(sub.get("items")).get("data"))) {
            plan = plan.or(() -> linePrice(map(item)).flatMap(prices::planOfPrice));
        }
        return new BillingEvent.SubscriptionChanged(id, type, created, account, requiredString(sub, "id"),
                string(sub, "status").orElse("unknown"), plan.or(() -> string(metadata, "planId")), type.endsWith(".deleted"));
    }

    /** A line's or subscription item's price id, wherever its API version puts it. */
    private static Optional<String> linePrice(Map<String, Object> line) {
        return idOf(map(map(line.get("pricing")).get("price_details")).get("price"))
                .or(() -> idOf(line.get("price")))
                .or(() -> idOf(line.get("plan")));
    }

    private static AccountRef ref(Map<String, Object> object, Optional<String> payment) {
        return new AccountRef(string(map(object.get("metadata")), "accountId"), idOf(object.get("customer")), payment);
    }

    // ---- tolerant JSON navigation: a missing or null member reads as empty

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static Optional<String> string(Map<String, Object> object, String name) {
        return object.get(name) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** An id given as a string, or as an expanded object with an {@code id}. */
    private static Optional<String> idOf(Object value) {
        if (value instanceof String s && !s.isBlank()) {
            return Optional.of(s);
        }
        return value instanceof Map<?, ?> m && m.get("id") instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    private static Optional<Long> number(Object value) {
        return value instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    private static String requiredString(Map<String, Object> object, String name) {
        return string(object, name).orElseThrow(() -> new IllegalArgumentException("event without " + name));
    }
}
