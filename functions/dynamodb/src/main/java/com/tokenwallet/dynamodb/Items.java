package com.tokenwallet.dynamodb;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.account.Subscription;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.ConsumedLots;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The item shapes of TABLE.md, to and from DynamoDB attribute maps. Nothing here talks to DynamoDB. */
final class Items {
    static final String ACCOUNT_PREFIX = "ACCOUNT#";
    static final String ACCOUNT_SK = "ACCOUNT";
    static final String LEDGER_PREFIX = "TX#";
    static final String IDEMPOTENCY_PREFIX = "IDEMPOTENCY#";
    static final String HOLD_PREFIX = "HOLD#";
    static final String REFUNDS_PREFIX = "REFUNDS#";
    static final String EVENT_PREFIX = "STRIPE_EVENT#";
    static final String PURCHASE_PREFIX = "PURCHASE#";
    /** How long the record of an applied Stripe event is kept (Stripe retries for 3 days; resends by hand come later). */
    static final long EVENT_RETENTION_SECONDS = 400L * 24 * 3600;

    private Items() {
    }

    static String pk(AccountId id) {
        return ACCOUNT_PREFIX + id.value();
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(WalletTable.PK, s(pk), WalletTable.SK, s(sk));
    }

    static Map<String, AttributeValue> accountKey(AccountId id) {
        return key(pk(id), ACCOUNT_SK);
    }

    static Map<String, AttributeValue> idempotencyKey(AccountId id, IdempotencyKey key) {
        return key(pk(id), IDEMPOTENCY_PREFIX + key.value());
    }

    static Map<String, AttributeValue> ledgerKey(AccountId id, String transactionId) {
        return key(pk(id), LEDGER_PREFIX + transactionId);
    }

    static Map<String, AttributeValue> holdKey(AccountId id, String holdId) {
        return key(pk(id), HOLD_PREFIX + holdId);
    }

    static Map<String, AttributeValue> tallyKey(AccountId id, String transactionId) {
        return key(pk(id), REFUNDS_PREFIX + transactionId);
    }

    static Map<String, AttributeValue> eventKey(AccountId id, String eventId) {
        return key(pk(id), EVENT_PREFIX + eventId);
    }

    static Map<String, AttributeValue> purchaseKey(AccountId id, String paymentId) {
        return key(pk(id), PURCHASE_PREFIX + paymentId);
    }

    // ---- accounts

    static Map<String, AttributeValue> account(Account a) {
        Map<String, AttributeValue> item = new HashMap<>(accountKey(a.id()));
        item.put("type", s("account"));
        item.put("accountId", s(a.id().value()));
        if (a.email() != null) {
            item.put("email", s(a.email()));
            // Top-level and normalized: the sparse index AccountEmails finds accounts by it.
            item.put(WalletTable.EMAIL_NORMALIZED, s(com.tokenwallet.domain.port.AccountDirectory.normalize(a.email())));
        }
        item.put("plan", s(a.plan()));
        item.put("periodId", s(a.period().id()));
        item.put("periodStart", n(a.period().startsAt().getEpochSecond()));
        item.put("periodEnd", n(a.period().endsAt().getEpochSecond()));
        item.put("createdAt", s(a.createdAt().toString()));
        item.put("version", n(a.version()));
        Map<String, AttributeValue> buckets = new LinkedHashMap<>();
        a.buckets().forEach((name, b) -> {
            Map<String, AttributeValue> bucket = new HashMap<>(Map.of(
                    "allowance", n(b.allowance()), "purchased", n(b.purchased()), "held", n(b.held())));
            if (!b.lots().isEmpty()) {
                // Lots live in the account item (at most Limits.MAX_STORED_LOTS), so a debit stays one conditional write.
                Map<String, AttributeValue> lots = new LinkedHashMap<>();
                b.lots().forEach(lot -> lots.put(lot.lotId(), lot(lot)));
                bucket.put("lots", AttributeValue.fromM(lots));
            }
            if (b.creditLimit() > 0) {
                // Issue 15: only on buckets with a credit limit (an item without it reads as 0), so other items are unchanged.
                bucket.put("creditLimit", n(b.creditLimit()));
            }
            buckets.put(name, AttributeValue.fromM(bucket));
        });
        item.put("buckets", AttributeValue.fromM(buckets));
        Map<String, AttributeValue> holds = new LinkedHashMap<>();
        a.holds().forEach((holdId, h) -> holds.put(holdId, AttributeValue.fromM(Map.of(
                "bucket", s(h.bucket()), "amount", n(h.amount()), "expiresAt", s(h.expiresAt().toString())))));
        item.put("holds", AttributeValue.fromM(holds));
        putBilling(item, a.billing());
        if (!a.billing().onSubscription()) {
            // Top-level, only on calendar-period accounts: the sparse index CalendarAccounts the monthly reset scans.
            item.put(WalletTable.CALENDAR_ACCOUNT, s(a.id().value()));
        }
        a.nextExpiry().map(Instant::getEpochSecond).ifPresent(next -> {
            item.put(WalletTable.HOLD_SHARD, s(holdShard(a.id())));
            item.put(WalletTable.NEXT_HOLD_EXPIRY, n(next));
        });
        return item;
    }

    static Account account(Map<String, AttributeValue> item) {
        Map<String, BucketBalance> buckets = new LinkedHashMap<>();
        item.get("buckets").m().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, AttributeValue> b = e.getValue().m();
            List<Lot> lots = new ArrayList<>();
            if (b.containsKey("lots")) {
                b.get("lots").m().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(l -> lots.add(lot(l.getKey(), e.getKey(), l.getValue().m())));
            }
            // An item written before lots existed has no "lots": its purchased tokens read as one unlotted lot.
            // Nor "creditLimit" one written before the credit limit (or with none): 0. Debt is a negative "purchased".
            buckets.put(e.getKey(), new BucketBalance(num(b, "allowance"), num(b, "purchased"), num(b, "held"), lots,
                    b.containsKey("creditLimit") ? num(b, "creditLimit") : 0));
        });
        Map<String, PendingHold> holds = new LinkedHashMap<>();
        if (item.containsKey("holds")) {
            item.get("holds").m().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                Map<String, AttributeValue> h = e.getValue().m();
                holds.put(e.getKey(), new PendingHold(e.getKey(), str(h, "bucket"), num(h, "amount"), Instant.parse(str(h, "expiresAt"))));
            });
        }
        return new Account(AccountId.of(str(item, "accountId")), optStr(item, "email"), str(item, "plan"),
                new Period(str(item, "periodId"), Instant.ofEpochSecond(num(item, "periodStart")),
                        Instant.ofEpochSecond(num(item, "periodEnd"))),
                buckets, holds, billing(item), Instant.parse(str(item, "createdAt")), num(item, "version"));
    }

    private static AttributeValue lot(Lot lot) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("source", s(lot.source().wireName()));
        m.put("granted", n(lot.granted()));
        m.put("remaining", n(lot.remaining()));
        m.put("priority", n(lot.priority()));
        if (lot.expiresAt() != null) {
            m.put("expiresAt", s(lot.expiresAt().toString()));
        }
        if (lot.costBasis() != null) {
            m.put("costBasis", AttributeValue.fromN(lot.costBasis().toPlainString()));
        }
        putIfPresent(m, "reference", lot.reference());
        m.put("createdAt", s(lot.createdAt().toString()));
        return AttributeValue.fromM(m);
    }

    private static Lot lot(String lotId, String bucket, Map<String, AttributeValue> m) {
        return new Lot(lotId, bucket, LotSource.fromWireName(str(m, "source")), num(m, "granted"), num(m, "remaining"),
                (int) num(m, "priority"), m.containsKey("expiresAt") ? Instant.parse(str(m, "expiresAt")) : null,
                m.containsKey("costBasis") ? new BigDecimal(m.get("costBasis").n()) : null, optStr(m, "reference"),
                Instant.parse(str(m, "createdAt")));
    }

    /** {@code stripeCustomerId} is a top-level attribute: the sparse index StripeCustomers finds accounts by it. */
    private static void putBilling(Map<String, AttributeValue> item, Billing b) {
        putIfPresent(item, WalletTable.STRIPE_CUSTOMER_ID, b.stripeCustomerId());
        Subscription sub = b.subscription();
        if (sub != null) {
            Map<String, AttributeValue> m = new HashMap<>(Map.of("id", s(sub.id()), "status", s(sub.status()),
                    "plan", s(sub.plan()), "asOf", n(sub.asOf())));
            if (sub.periodStart() != null) {
                m.put("periodStart", n(sub.periodStart().getEpochSecond()));
            }
            item.put("subscription", AttributeValue.fromM(m));
        }
        if (!b.flags().isEmpty()) {
            item.put("flags", AttributeValue.fromL(b.flags().stream().map(Items::s).toList()));
        }
    }

    private static Billing billing(Map<String, AttributeValue> item) {
        Subscription sub = null;
        if (item.containsKey("subscription")) {
            Map<String, AttributeValue> m = item.get("subscription").m();
            sub = new Subscription(str(m, "id"), str(m, "status"), str(m, "plan"),
                    m.containsKey("periodStart") ? Instant.ofEpochSecond(num(m, "periodStart")) : null, num(m, "asOf"));
        }
        java.util.Set<String> flags = item.containsKey("flags")
                ? item.get("flags").l().stream().map(AttributeValue::s).collect(java.util.stream.Collectors.toSet())
                : java.util.Set.of();
        return new Billing(optStr(item, WalletTable.STRIPE_CUSTOMER_ID), sub, flags);
    }

    // ---- ledger

    static Map<String, AttributeValue> ledgerEntry(LedgerEntry e) {
        Map<String, AttributeValue> item = new HashMap<>(ledgerKey(e.accountId(), e.transactionId()));
        item.put("type", s("ledger"));
        item.put("transactionId", s(e.transactionId()));
        item.put("accountId", s(e.accountId().value()));
        item.put("entryType", s(e.type().wireName()));
        item.put("bucket", s(e.bucket()));
        item.put("amount", n(e.amount()));
        item.put("allowanceDelta", n(e.allowanceDelta()));
        item.put("purchasedDelta", n(e.purchasedDelta()));
        if (e.heldDelta() != 0) {
            item.put("heldDelta", n(e.heldDelta()));
        }
        putIfPresent(item, "operation", e.operation());
        putIfPresent(item, "reference", e.reference());
        putIfPresent(item, "description", e.description());
        putIfPresent(item, "metadata", e.metadataJson());
        // The lots a debit or capture took, for its refunds (issue 15): one string, in the same write as the entry.
        putIfPresent(item, "consumed", ConsumedLots.encode(e.consumed()));
        item.put("createdAt", s(e.createdAt().toString()));
        // Every bucket's parts after the entry (issue 15, balances as of an instant), in the entry's own Put: no extra
        // item, no extra call. "credits:0/25/10,dol:3/0/0": about 15 bytes a bucket.
        if (e.balancesAfter() != null) {
            item.put("balancesAfter", s(com.tokenwallet.domain.ledger.BalanceAfter.format(e.balancesAfter())));
        }
        return item;
    }

    static LedgerEntry ledgerEntry(Map<String, AttributeValue> item) {
        return new LedgerEntry(str(item, "transactionId"), AccountId.of(str(item, "accountId")),
                EntryType.fromWireName(str(item, "entryType")), str(item, "bucket"), num(item, "amount"),
                num(item, "allowanceDelta"), num(item, "purchasedDelta"), optStr(item, "operation"),
                optStr(item, "reference"), optStr(item, "description"), optStr(item, "metadata"),
                Instant.parse(str(item, "createdAt")), item.containsKey("heldDelta") ? num(item, "heldDelta") : 0,
                ConsumedLots.decode(optStr(item, "consumed")),
                item.containsKey("balancesAfter") ? com.tokenwallet.domain.ledger.BalanceAfter.parse(str(item, "balancesAfter")) : null);
    }

    // ---- holds and refund tallies

    static String holdShard(AccountId id) {
        return "HOLDS#" + Math.floorMod(id.value().hashCode(), WalletTable.HOLD_SHARDS);
    }

    static Map<String, AttributeValue> hold(HoldRecord h) {
        Map<String, AttributeValue> item = new HashMap<>(holdKey(h.accountId(), h.holdId()));
        item.put("type", s("hold"));
        item.put("holdId", s(h.holdId()));
        item.put("accountId", s(h.accountId().value()));
        item.put("bucket", s(h.bucket()));
        item.put("amount", n(h.amount()));
        putIfPresent(item, "operation", h.operation());
        item.put("createdAt", s(h.createdAt().toString()));
        item.put("holdExpiresAt", s(h.expiresAt().toString()));
        item.put("status", s(h.status().wireName()));
        item.put("captured", n(h.captured()));
        putIfPresent(item, "captureTransactionId", h.captureTransactionId());
        putIfPresent(item, "resolvedAt", h.resolvedAt() == null ? null : h.resolvedAt().toString());
        return item;
    }

    static HoldRecord hold(Map<String, AttributeValue> item) {
        String resolvedAt = optStr(item, "resolvedAt");
        return new HoldRecord(str(item, "holdId"), AccountId.of(str(item, "accountId")), str(item, "bucket"),
                num(item, "amount"), optStr(item, "operation"), Instant.parse(str(item, "createdAt")),
                Instant.parse(str(item, "holdExpiresAt")), HoldStatus.fromWireName(str(item, "status")),
                num(item, "captured"), optStr(item, "captureTransactionId"), resolvedAt == null ? null : Instant.parse(resolvedAt));
    }

    static Map<String, AttributeValue> tally(AccountId id, RefundTally t) {
        Map<String, AttributeValue> item = new HashMap<>(tallyKey(id, t.transactionId()));
        item.put("type", s("refunds"));
        item.put("transactionId", s(t.transactionId()));
        item.put("refundedAllowance", n(t.refundedAllowance()));
        item.put("refundedPurchased", n(t.refundedPurchased()));
        item.put("version", n(t.version()));
        return item;
    }

    static RefundTally tally(Map<String, AttributeValue> item) {
        return new RefundTally(str(item, "transactionId"), num(item, "refundedAllowance"), num(item, "refundedPurchased"), num(item, "version"));
    }

    // ---- Stripe: applied events and credited purchases

    static Map<String, AttributeValue> appliedEvent(AccountId id, String eventId, String type, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(eventKey(id, eventId));
        item.put("type", s("stripe_event"));
        item.put("eventId", s(eventId));
        item.put("eventType", s(type));
        item.put("appliedAt", s(at.toString()));
        item.put(WalletTable.TTL_ATTRIBUTE, n(at.getEpochSecond() + EVENT_RETENTION_SECONDS));
        return item;
    }

    static Map<String, AttributeValue> purchase(AccountId id, PurchaseRecord p) {
        Map<String, AttributeValue> item = new HashMap<>(purchaseKey(id, p.paymentId()));
        item.put("type", s("purchase"));
        item.put(WalletTable.PAYMENT_ID, s(p.paymentId()));
        item.put("packageId", s(p.packageId()));
        item.put("credited", numbers(p.credited()));
        item.put("clawedBack", numbers(p.clawedBack()));
        item.put("disputed", AttributeValue.fromBool(p.disputed()));
        item.put("version", n(p.version()));
        p.paid().ifPresent(paid -> {
            item.put("amountPaid", n(paid.amount()));
            item.put("currency", s(paid.currency()));
        });
        return item;
    }

    static PurchaseRecord purchase(Map<String, AttributeValue> item) {
        // Purchases credited before issue 19 have no amountPaid/currency.
        java.util.Optional<PurchaseRecord.AmountPaid> paid = item.containsKey("amountPaid")
                ? java.util.Optional.of(new PurchaseRecord.AmountPaid(num(item, "amountPaid"), str(item, "currency")))
                : java.util.Optional.empty();
        return new PurchaseRecord(str(item, WalletTable.PAYMENT_ID), str(item, "packageId"), numbers(item.get("credited")),
                numbers(item.get("clawedBack")), item.get("disputed").bool(), num(item, "version"), paid);
    }

    private static AttributeValue numbers(Map<String, Long> values) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, n(v)));
        return AttributeValue.fromM(m);
    }

    private static Map<String, Long> numbers(AttributeValue value) {
        Map<String, Long> m = new LinkedHashMap<>();
        value.m().forEach((k, v) -> m.put(k, Long.parseLong(v.n())));
        return m;
    }

    // ---- idempotency records

    static Map<String, AttributeValue> idempotencyRecord(AccountId id, IdempotencyRecord r) {
        Map<String, AttributeValue> item = new HashMap<>(idempotencyKey(id, r.key()));
        item.put("type", s("idempotency"));
        item.put("idempotencyKey", s(r.key().value()));
        item.put("fingerprint", s(r.fingerprint()));
        item.put("statusCode", n(r.response().statusCode()));
        item.put("body", s(r.response().body()));
        item.put("createdAt", s(r.createdAt().toString()));
        item.put(WalletTable.TTL_ATTRIBUTE, n(r.expiresAt().getEpochSecond()));
        return item;
    }

    static IdempotencyRecord idempotencyRecord(Map<String, AttributeValue> item) {
        return new IdempotencyRecord(new IdempotencyKey(str(item, "idempotencyKey")), str(item, "fingerprint"),
                new StoredResponse((int) num(item, "statusCode"), str(item, "body")),
                Instant.parse(str(item, "createdAt")), Instant.ofEpochSecond(num(item, WalletTable.TTL_ATTRIBUTE)));
    }

    // ---- attribute helpers

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.s() == null) {
            throw new IllegalStateException("stored item " + item.get(WalletTable.SK) + " lacks string attribute " + name);
        }
        return v.s();
    }

    private static String optStr(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.n() == null) {
            throw new IllegalStateException("stored item " + item.get(WalletTable.SK) + " lacks number attribute " + name);
        }
        return Long.parseLong(v.n());
    }
}
