package com.tokenwallet.admin;

import com.tokenwallet.api.Representations;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Subscription;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.admin.AdminResults;
import com.tokenwallet.domain.admin.HealthCheck;
import com.tokenwallet.domain.admin.HealthReport;
import com.tokenwallet.domain.ledger.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON bodies of the admin routes. */
final class AdminRepresentations {
    private static final String HEALTH_CURSOR_PREFIX = "h1:";
    private static final int MAX_CURSOR_LENGTH = 3_000;

    private AdminRepresentations() {
    }

    /** The balance body of /v1 (buckets, plan, period, flags) and what only an operator sees. */
    static Map<String, Object> view(AdminResults.AccountView view) {
        Account account = view.account();
        Map<String, Object> body = Representations.balance(account);
        body.put("email", account.email());
        body.put("createdAt", account.createdAt().toString());
        body.put("version", account.version());
        Map<String, Object> billing = new LinkedHashMap<>();
        billing.put("stripeCustomerId", account.billing().stripeCustomerId());
        Subscription sub = account.billing().subscription();
        if (sub != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", sub.id());
            s.put("status", sub.status());
            s.put("plan", sub.plan());
            s.put("periodStart", sub.periodStart() == null ? null : sub.periodStart().toString());
            billing.put("subscription", s);
        } else {
            billing.put("subscription", null);
        }
        billing.put("flags", List.copyOf(account.billing().flags()));
        body.put("billing", billing);
        List<Object> holds = new ArrayList<>();
        account.holds().values().forEach(h -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("holdId", h.holdId());
            m.put("bucket", h.bucket());
            m.put("amount", h.amount());
            m.put("expiresAt", h.expiresAt().toString());
            holds.add(m);
        });
        body.put("pendingHolds", holds);
        body.put("latestTransactions", view.latestEntries().stream().map(Representations::entry).toList());
        view.moreAfter().ifPresent(after -> body.put("moreTransactionsCursor", Representations.encodeCursor(after)));
        return body;
    }

    /** A grant's or an adjustment's 201 body. */
    static Map<String, Object> receipt(AdminResults.Receipt receipt, AdminCommands.Part part) {
        LedgerEntry e = receipt.entry();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactionId", e.transactionId());
        body.put("accountId", e.accountId().value());
        body.put("type", e.type().wireName());
        body.put("bucket", e.bucket());
        body.put("amount", e.amount());
        if (part != null) {
            body.put("part", part.wireName());
        }
        body.put("reason", e.description());
        body.put("balance", bucket(receipt.balance()));
        body.put("createdAt", e.createdAt().toString());
        return body;
    }

    /** A credit limit's 200 body: its credit_limit entry, the limits before and after, the bucket after it. */
    static Map<String, Object> creditLimitSet(AdminResults.CreditLimitSet set) {
        LedgerEntry e = set.entry();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactionId", e.transactionId());
        body.put("accountId", e.accountId().value());
        body.put("type", e.type().wireName());
        body.put("bucket", e.bucket());
        body.put("creditLimit", set.balance().creditLimit());
        body.put("previousCreditLimit", set.previousCreditLimit());
        body.put("reason", e.description());
        body.put("balance", bucket(set.balance()));
        body.put("createdAt", e.createdAt().toString());
        return body;
    }

    static Map<String, Object> planChanged(AdminResults.PlanChanged changed, boolean resetAllowance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", changed.account().id().value());
        body.put("plan", changed.account().plan());
        body.put("previousPlan", changed.previousPlan());
        body.put("resetAllowance", resetAllowance);
        Map<String, Object> buckets = new LinkedHashMap<>();
        changed.account().buckets().forEach((name, b) -> buckets.put(name, bucket(b)));
        body.put("buckets", buckets);
        body.put("transactionIds", changed.entries().stream().map(LedgerEntry::transactionId).toList());
        return body;
    }

    static Map<String, Object> health(HealthReport report, int limit) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> examined = new LinkedHashMap<>();
        examined.put("accounts", report.accountsExamined());
        examined.put("itemsRead", report.itemsRead());
        examined.put("ledgerEntriesRead", report.ledgerEntriesRead());
        body.put("examined", examined);
        body.put("complete", report.complete());
        report.stoppedBy().ifPresent(s -> body.put("stoppedBy", s));
        report.next().ifPresent(next -> body.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
                .encodeToString((HEALTH_CURSOR_PREFIX + next).getBytes(StandardCharsets.UTF_8))));
        body.put("limits", Map.of("accounts", limit, "timeBudgetMs", HealthCheck.DEFAULT_TIME_BUDGET.toMillis(),
                "ledgerEntriesPerAccount", HealthCheck.MAX_ENTRIES_PER_ACCOUNT, "expiredHoldGraceSeconds",
                HealthCheck.EXPIRED_HOLD_GRACE.toSeconds()));
        body.put("ledgerMismatches", finding(report.ledgerMismatches()));
        body.put("negativeParts", finding(report.negativeParts()));
        body.put("creditBreaches", finding(report.creditBreaches()));
        body.put("expiredHolds", finding(report.expiredHolds()));
        body.put("unreadableAccounts", finding(report.unreadable()));
        body.put("notChecked", finding(report.notChecked()));
        return body;
    }

    static Optional<String> decodeHealthCursor(String cursor) {
        if (cursor == null) {
            return Optional.empty();
        }
        try {
            if (cursor.isEmpty() || cursor.length() > MAX_CURSOR_LENGTH) {
                throw new IllegalArgumentException("length");
            }
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
            if (!decoded.startsWith(HEALTH_CURSOR_PREFIX) || decoded.length() == HEALTH_CURSOR_PREFIX.length()) {
                throw new IllegalArgumentException("not a health cursor");
            }
            return Optional.of(decoded.substring(HEALTH_CURSOR_PREFIX.length()));
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new InvalidRequestException("cursor", "'cursor' is not a cursor this API returned.");
        }
    }

    private static Map<String, Object> finding(HealthReport.Finding finding) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", finding.count());
        List<Object> examples = new ArrayList<>();
        for (HealthReport.Example e : finding.examples()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("accountId", e.accountId());
            if (e.bucket() != null) {
                x.put("bucket", e.bucket());
            }
            x.put("detail", e.detail());
            examples.add(x);
        }
        m.put("examples", examples);
        return m;
    }

    private static Map<String, Object> bucket(BucketBalance b) {
        return Representations.bucket(b);
    }

    /**
     * {@code {"accountId","granularity","intervals":[{"start","buckets":{"<bucket>":{"consumed","refunded","granted",
     * "purchased","byOperation":{"<operation>":n}}}}]}} (issue 17: these names are the contract), buckets and
     * operations in name order.
     */
    static Map<String, Object> usage(com.tokenwallet.domain.usage.UsageReport report) {
        List<Map<String, Object>> intervals = new ArrayList<>(report.intervals().size());
        for (var interval : report.intervals()) {
            Map<String, Object> buckets = new java.util.TreeMap<>();
            interval.buckets().forEach((bucket, u) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("consumed", u.consumed());
                m.put("refunded", u.refunded());
                m.put("granted", u.granted());
                m.put("purchased", u.purchased());
                m.put("byOperation", new java.util.TreeMap<>(u.byOperation()));
                buckets.put(bucket, m);
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", interval.start().toString());
            m.put("buckets", buckets);
            intervals.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", report.accountId().value());
        body.put("granularity", report.granularity().wireName());
        body.put("intervals", intervals);
        return body;
    }
}
