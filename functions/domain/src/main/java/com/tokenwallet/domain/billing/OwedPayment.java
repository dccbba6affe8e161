package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A paid Checkout Session the wallet could not credit by itself: its package is neither in a stored offer nor in
 * the catalog, or the payment does not pay for what it names ({@code reason} says which). It is recorded in the
 * same conditional write that records the Stripe event, so it is recorded once and nothing is lost; an operator
 * settles it ({@link OwedPayments#settle}): {@code credited} (tokens given, with a ledger entry) or
 * {@code refunded} (the operator refunded the payment in Stripe). Keyed by the Stripe payment (PaymentIntent id);
 * {@code version} conditions every change.
 */
public record OwedPayment(String paymentId, AccountId account, String eventId, String checkoutSessionId,
                          Optional<String> packageId, Optional<String> offerId, Optional<PurchaseRecord.AmountPaid> paid,
                          String kind, String reason, Instant createdAt, String status, Optional<Settlement> settlement,
                          long version) {
    public static final String OWED = "owed";
    public static final String CREDITED = "credited";
    public static final String REFUNDED = "refunded";
    /** The package is in no offer and not in the catalog. */
    public static final String UNKNOWN_PACKAGE = "unknown_package";
    /** The payment does not pay for the package or offer it names. */
    public static final String PAYMENT_MISMATCH = "payment_mismatch";

    /** How an operator settled it: when, why, and the tokens credited per bucket (empty when refunded). */
    public record Settlement(Instant at, String reason, Map<String, Long> credited, Optional<String> transactionId) {
        public Settlement {
            credited = Collections.unmodifiableMap(new TreeMap<>(credited));
        }
    }

    public boolean owed() {
        return OWED.equals(status);
    }

    public OwedPayment settled(String newStatus, Settlement how) {
        return new OwedPayment(paymentId, account, eventId, checkoutSessionId, packageId, offerId, paid, kind, reason,
                createdAt, newStatus, Optional.of(how), version + 1);
    }

    public String toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("paymentId", paymentId);
        doc.put("accountId", account.value());
        doc.put("eventId", eventId);
        doc.put("checkoutSessionId", checkoutSessionId);
        packageId.ifPresent(p -> doc.put("packageId", p));
        offerId.ifPresent(o -> doc.put("offerId", o));
        paid.ifPresent(p -> {
            doc.put("amountPaid", p.amount());
            doc.put("currency", p.currency());
        });
        doc.put("kind", kind);
        doc.put("reason", reason);
        doc.put("createdAt", createdAt.toString());
        doc.put("status", status);
        settlement.ifPresent(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", s.at().toString());
            m.put("reason", s.reason());
            m.put("credited", s.credited());
            s.transactionId().ifPresent(t -> m.put("transactionId", t));
            doc.put("settlement", m);
        });
        doc.put("version", version);
        return StrictJson.write(doc);
    }

    @SuppressWarnings("unchecked")
    public static OwedPayment fromDocument(String json) {
        try {
            Map<String, Object> d = StrictJson.object(json);
            Optional<PurchaseRecord.AmountPaid> paid = d.get("amountPaid") == null ? Optional.empty()
                    : Optional.of(new PurchaseRecord.AmountPaid(((Number) d.get("amountPaid")).longValue(), (String) d.get("currency")));
            Optional<Settlement> settlement = Optional.ofNullable((Map<String, Object>) d.get("settlement")).map(s -> new Settlement(
                    Instant.parse((String) s.get("at")), (String) s.get("reason"), Documents.longs(s.get("credited")),
                    Optional.ofNullable(Documents.string(s, "transactionId"))));
            return new OwedPayment((String) d.get("paymentId"), AccountId.of((String) d.get("accountId")), (String) d.get("eventId"),
                    (String) d.get("checkoutSessionId"), Optional.ofNullable(Documents.string(d, "packageId")),
                    Optional.ofNullable(Documents.string(d, "offerId")), paid, (String) d.get("kind"), (String) d.get("reason"),
                    Instant.parse((String) d.get("createdAt")), (String) d.get("status"), settlement,
                    ((Number) d.get("version")).longValue());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a stored owed payment is not readable: " + e.getMessage(), e);
        }
    }
}
