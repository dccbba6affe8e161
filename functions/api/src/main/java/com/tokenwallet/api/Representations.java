package com.tokenwallet.api;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.LotView;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.catalog.OperationSpec;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.catalog.Pricing;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.BalanceAfter;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.TransactionIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON bodies of SPEC section 3, built from domain objects. */
public final class Representations {
    private static final String CURSOR_PREFIX = "v1:";

    private Representations() {
    }

    public static Map<String, Object> balance(Account account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", account.id().value());
        body.put("plan", account.plan());
        body.put("period", account.period().id());
        body.put("periodEndsAt", account.period().endsAt().toString());
        Map<String, Object> buckets = new LinkedHashMap<>();
        account.buckets().forEach((name, b) -> buckets.put(name, bucket(b)));
        body.put("buckets", buckets);
        // Set by billing events an operator should know of, e.g. "disputed" after a chargeback.
        body.put("flags", List.copyOf(account.billing().flags()));
        return body;
    }

    /**
     * {@code GET .../balance?asOf=}: the balance body with each bucket as the ledger had it at the instant, and
     * {@code asOf}; plan, period and flags are the account's now (the ledger does not record them).
     */
    public static Map<String, Object> balanceAsOf(com.tokenwallet.domain.service.Results.BalanceAt at) {
        Map<String, Object> body = balance(at.account());
        Map<String, Object> buckets = new LinkedHashMap<>();
        at.buckets().forEach((name, p) -> {
            // The ledger records no limits: creditLimit (and so available) is the bucket's limit now (issue 15).
            long creditLimit = at.account().bucket(name).creditLimit();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("allowance", p.allowance());
            m.put("purchased", Math.max(0, p.purchased()));
            m.put("held", p.held());
            m.put("available", p.available() + creditLimit);
            m.put("creditLimit", creditLimit);
            m.put("debt", Math.max(0, -p.purchased()));
            buckets.put(name, m);
        });
        body.put("buckets", buckets);
        body.put("asOf", at.asOf().toString());
        return body;
    }

    /**
     * One bucket as every response shows it: allowance, purchased (the tokens of the purchased lots), held, available
     * ({@code allowance + purchased - debt - held + creditLimit}), creditLimit and debt (issue 15).
     */
    public static Map<String, Object> bucket(BucketBalance b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowance", b.allowance());
        m.put("purchased", b.purchasedInLots());
        m.put("held", b.held());
        m.put("available", b.available());
        m.put("creditLimit", b.creditLimit());
        m.put("debt", b.debt());
        return m;
    }

    /** {@code GET /v1/accounts/{accountId}/lots}: the lots with tokens left, each bucket in burn-down order. */
    public static Map<String, Object> lots(List<LotView> lots) {
        List<Object> items = new ArrayList<>();
        for (LotView lot : lots) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lotId", lot.lotId());
            m.put("bucket", lot.bucket());
            m.put("source", lot.source().wireName());
            m.put("granted", lot.granted());
            m.put("remaining", lot.remaining());
            m.put("priority", lot.priority());
            if (lot.expiresAt() != null) {
                m.put("expiresAt", lot.expiresAt().toString());
            }
            if (lot.costBasis() != null) {
                m.put("costBasis", lot.costBasis());
            }
            if (lot.reference() != null) {
                m.put("reference", lot.reference());
            }
            m.put("createdAt", lot.createdAt().toString());
            items.add(m);
        }
        return Map.of("items", items);
    }

    /** The {@code consumed} items of a debit or capture receipt: what it took from which lot, in burn-down order. */
    public static List<Object> consumed(List<Consumed> consumed) {
        List<Object> items = new ArrayList<>();
        for (Consumed c : consumed) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lotId", c.lotId());
            m.put("source", c.source().wireName());
            m.put("amount", c.amount());
            if (c.expiresAt() != null) {
                m.put("expiresAt", c.expiresAt().toString());
            }
            if (c.costBasis() != null) {
                m.put("costBasis", c.costBasis());
            }
            items.add(m);
        }
        return items;
    }

    public static Map<String, Object> entry(LedgerEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transactionId", e.transactionId());
        m.put("type", e.type().wireName());
        m.put("bucket", e.bucket());
        m.put("amount", e.amount());
        m.put("allowanceDelta", e.allowanceDelta());
        m.put("purchasedDelta", e.purchasedDelta());
        if (e.heldDelta() != 0) {
            m.put("heldDelta", e.heldDelta());
        }
        BalanceAfter after = e.balanceAfter();
        if (after != null) {
            m.put("allowanceAfter", after.allowance());
            m.put("purchasedAfter", after.purchasedWithoutDebt());
            m.put("heldAfter", after.held());
            // Issue 15: the debt after the entry, and what of the entry repaid debt (its purchased part was below zero).
            long debtAfter = after.debt();
            long debtBefore = after.minus(e).debt();
            if (debtAfter > 0) {
                m.put("debtAfter", debtAfter);
            }
            if (debtBefore > debtAfter) {
                m.put("debtRepaid", debtBefore - debtAfter);
            }
        }
        if (e.operation() != null) {
            m.put("operation", e.operation());
        }
        if (e.reference() != null) {
            m.put("reference", e.reference());
        }
        if (e.description() != null) {
            m.put("description", e.description());
        }
        m.put("createdAt", e.createdAt().toString());
        if (e.metadataJson() != null) {
            try {
                m.put("metadata", StrictJson.object(e.metadataJson()));
            } catch (IOException ex) {
                throw new IllegalStateException("stored metadata of " + e.transactionId() + " is not JSON", ex);
            }
        }
        return m;
    }

    public static Map<String, Object> page(LedgerPage page) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        page.entries().forEach(e -> items.add(entry(e)));
        body.put("items", items);
        page.continueAfter().ifPresent(id -> body.put("nextCursor", encodeCursor(id)));
        return body;
    }

    /** Cursors are opaque to clients: a versioned, base64url-encoded position. */
    public static String encodeCursor(String transactionId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + transactionId).getBytes(StandardCharsets.US_ASCII));
    }

    public static Optional<String> decodeCursor(String cursor) {
        if (cursor == null) {
            return Optional.empty();
        }
        try {
            if (cursor.length() > 64) {
                throw new IllegalArgumentException("too long");
            }
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            String id = decoded.startsWith(CURSOR_PREFIX) ? decoded.substring(CURSOR_PREFIX.length()) : "";
            if (!TransactionIds.isValid(id)) {
                throw new IllegalArgumentException("not a position");
            }
            return Optional.of(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor", "'cursor' is not a cursor this API returned.");
        }
    }

    public static Map<String, Object> catalog(Catalog catalog) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("buckets", catalog.buckets());
        List<Object> operations = new ArrayList<>();
        catalog.operations().values().stream().sorted(java.util.Comparator.comparing(OperationSpec::name)).forEach(op -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("operation", op.name());
            m.put("bucket", op.bucket());
            switch (op.pricing()) {
                case Pricing.Fixed fixed -> m.put("cost", fixed.costTokens());
                case Pricing.PerMinute pm -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("durationParam", pm.durationParam());
                    p.put("minMinutes", pm.minMinutes());
                    p.put("maxMinutes", pm.maxMinutes());
                    p.put("resolutionParam", pm.resolutionParam());
                    p.put("ratePerMinute", new java.util.TreeMap<>(pm.ratePerMinuteTokens()));
                    p.put("addOns", new java.util.TreeMap<>(pm.addOnTokens()));
                    m.put("perMinute", p);
                }
            }
            operations.add(m);
        });
        body.put("operations", operations);
        List<Object> packages = new ArrayList<>();
        catalog.packages().values().stream().sorted(java.util.Comparator.comparing(CreditPackage::priceCents).thenComparing(CreditPackage::id)).forEach(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("name", p.name());
            m.put("tokens", new java.util.TreeMap<>(p.tokens()));
            m.put("bonusTokens", new java.util.TreeMap<>(p.bonusTokens()));
            m.put("priceCents", p.priceCents());
            m.put("currency", p.currency());
            packages.add(m);
        });
        body.put("packages", packages);
        List<Object> plans = new ArrayList<>();
        catalog.plans().values().stream().sorted(java.util.Comparator.comparing(Plan::id)).forEach(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("name", p.name());
            m.put("allowance", new java.util.TreeMap<>(p.allowance()));
            plans.add(m);
        });
        body.put("plans", plans);
        body.put("signupGrant", Map.of("bucket", catalog.signupGrantBucket(), "amount", catalog.signupGrantTokens()));
        return body;
    }
}
