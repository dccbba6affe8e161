package com.tokenwallet.admin;

import com.tokenwallet.domain.billing.OwedPayment;
import java.util.LinkedHashMap;
import java.util.Map;

/** An owed payment as the admin routes show it (schema OwedPayment in infra/openapi.yaml). */
final class OwedPaymentRepresentations {
    private OwedPaymentRepresentations() {
    }

    static Map<String, Object> view(OwedPayment o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("paymentId", o.paymentId());
        out.put("accountId", o.account().value());
        out.put("eventId", o.eventId());
        out.put("checkoutSessionId", o.checkoutSessionId());
        o.packageId().ifPresent(p -> out.put("packageId", p));
        o.offerId().ifPresent(p -> out.put("offerId", p));
        o.paid().ifPresent(p -> {
            out.put("amountPaid", p.amount());
            out.put("currency", p.currency());
        });
        out.put("kind", o.kind());
        out.put("reason", o.reason());
        out.put("createdAt", o.createdAt().toString());
        out.put("status", o.status());
        o.settlement().ifPresent(s -> {
            Map<String, Object> settlement = new LinkedHashMap<>();
            settlement.put("at", s.at().toString());
            settlement.put("reason", s.reason());
            settlement.put("credited", s.credited());
            s.transactionId().ifPresent(t -> settlement.put("transactionId", t));
            out.put("settlement", settlement);
        });
        return out;
    }
}
