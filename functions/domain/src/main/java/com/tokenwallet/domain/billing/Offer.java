package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a package's Checkout Session sells, stored when the session is created (before Stripe is called): the
 * package's tokens, bonus, price and currency as the catalog had them then. The payment is credited from it and
 * checked against it, so a catalog change (a package removed, a price changed) between checkout and payment cannot
 * strand or mis-credit the payment. {@code expiresAt} is when the store may forget it (Stripe's sessions expire
 * within a day and Stripe stops delivering their events after about three days).
 */
public record Offer(String offerId, AccountId account, String packageId, Map<String, Long> tokens, Map<String, Long> bonus,
                    long priceCents, String currency, Instant createdAt, Instant expiresAt) {
    /** How long an offer is kept: longer than a session lives plus Stripe's retries. */
    public static final Duration RETENTION = Duration.ofDays(30);

    public Offer {
        tokens = Collections.unmodifiableMap(new TreeMap<>(tokens));
        bonus = Collections.unmodifiableMap(new TreeMap<>(bonus));
    }

    /** The offer of {@code pkg} to {@code account} as the catalog has it at {@code now}. */
    public static Offer of(String offerId, AccountId account, CreditPackage pkg, java.time.Instant now) {
        return new Offer(offerId, account, pkg.id(), pkg.tokens(), pkg.bonusTokens(), pkg.priceCents(),
                pkg.currency().toLowerCase(java.util.Locale.ROOT), now, now.plus(RETENTION));
    }

    /** The package as this offer sold it (for the payment check and the credit). */
    public CreditPackage asPackage() {
        return new CreditPackage(packageId, packageId, tokens, bonus, priceCents, currency);
    }

    /**
     * Whether a request for {@code other} may be a retry of the one that stored this offer: same account and package.
     * The terms may differ (the catalog changed between the attempts): the stored offer, the one Stripe's replayed
     * session sells, stands.
     */
    public boolean sameTerms(Offer other) {
        return account.equals(other.account) && packageId.equals(other.packageId);
    }

    /** The offer as one JSON document (what the stores keep beside its key). */
    public String toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("offerId", offerId);
        doc.put("accountId", account.value());
        doc.put("packageId", packageId);
        doc.put("tokens", tokens);
        doc.put("bonus", bonus);
        doc.put("price", priceCents);
        doc.put("currency", currency);
        doc.put("createdAt", createdAt.toString());
        doc.put("expiresAt", expiresAt.toString());
        return StrictJson.write(doc);
    }

    public static Offer fromDocument(String json) {
        try {
            Map<String, Object> d = StrictJson.object(json);
            return new Offer((String) d.get("offerId"), AccountId.of((String) d.get("accountId")), (String) d.get("packageId"),
                    Documents.longs(d.get("tokens")), Documents.longs(d.get("bonus")), ((Number) d.get("price")).longValue(),
                    (String) d.get("currency"), Instant.parse((String) d.get("createdAt")), Instant.parse((String) d.get("expiresAt")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a stored offer is not readable: " + e.getMessage(), e);
        }
    }
}
