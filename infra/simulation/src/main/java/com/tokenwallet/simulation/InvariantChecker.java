package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.port.WalletStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The money invariants, read straight from the database while no client is inside a store call (during a history)
 * and after it: for every account and bucket the ledger sums to the balance (allowance, purchased and held parts);
 * no part negative and holds covered; held = the pending holds, each with a pending record, each resolved at most
 * once; every Idempotency-Key applied at most once; each Stripe payment credited at most once and clawed back at
 * most what it credited; refunds never above the charge; one period reset per account, period and bucket; and the
 * ledger holds exactly the entries the store was seen to commit; no stored lot empty.
 */
final class InvariantChecker {
    private static final Pattern SIM_TAG = Pattern.compile("\"sim\":\"(k\\d+)\"");
    private static final Pattern PERIOD_RESET = Pattern.compile("(?:^|paid, )period (\\S+), plan ");

    private final WalletStore store;

    InvariantChecker(WalletStore store) {
        this.store = store;
    }

    /** The anomalies found now; {@code committed} is every entry the commit log saw, by transaction id. */
    List<String> check(List<String> accounts, Map<String, LedgerEntry> committed) {
        List<String> anomalies = new ArrayList<>();
        for (String name : accounts) {
            AccountId id = AccountId.of(name);
            Optional<Account> account;
            List<LedgerEntry> ledger;
            try {
                account = store.findAccount(id);
                ledger = ledger(id);
            } catch (RuntimeException e) {
                anomalies.add(name + ": the stored account or ledger cannot be read: " + e);
                continue;
            }
            if (account.isEmpty()) {
                if (!ledger.isEmpty()) {
                    anomalies.add(name + ": ledger entries without an account");
                }
                continue;
            }
            checkAccount(account.get(), ledger, committed, anomalies);
        }
        return anomalies;
    }

    private void checkAccount(Account account, List<LedgerEntry> ledger, Map<String, LedgerEntry> committed, List<String> anomalies) {
        String name = account.id().value();
        Map<String, long[]> sums = new HashMap<>();
        Set<String> ids = new HashSet<>();
        Map<String, Integer> perKey = new HashMap<>();
        Map<String, Integer> holdEnds = new HashMap<>();
        Map<String, Long> refunded = new HashMap<>();
        Map<String, Integer> purchases = new HashMap<>();
        Map<String, Long> credited = new HashMap<>();
        Map<String, Long> clawed = new HashMap<>();
        Map<String, Integer> resets = new HashMap<>();
        Set<String> holdsMade = new HashSet<>();
        for (LedgerEntry e : ledger) {
            if (!ids.add(e.transactionId())) {
                anomalies.add(name + ": transaction " + e.transactionId() + " twice in the ledger");
            }
            if (!committed.containsKey(e.transactionId())) {
                anomalies.add(name + ": ledger entry " + e.transactionId() + " (" + e.type().wireName() + ") was never committed by a write");
            }
            long[] s = sums.computeIfAbsent(e.bucket(), b -> new long[3]);
            s[0] += e.allowanceDelta();
            s[1] += e.purchasedDelta();
            s[2] += e.heldDelta();
            String key = keyOf(e);
            if (key != null) {
                perKey.merge(key + "/" + e.type().wireName() + "/" + e.bucket(), 1, Integer::sum);
            }
            switch (e.type()) {
                case HOLD -> holdsMade.add(e.reference());
                case CAPTURE, RELEASE -> holdEnds.merge(e.reference(), 1, Integer::sum);
                // A hold's expiry releases its tokens; a lot's expiry (issue 15) moves no held tokens and is no hold's end.
                case EXPIRY -> {
                    if (e.heldDelta() != 0) {
                        holdEnds.merge(e.reference(), 1, Integer::sum);
                    }
                }
                case REFUND -> refunded.merge(e.reference(), e.amount(), Long::sum);
                case PURCHASE -> {
                    purchases.merge(e.reference() + "/" + e.bucket(), 1, Integer::sum);
                    credited.merge(e.reference() + "/" + e.bucket(), e.purchasedDelta(), Long::sum);
                }
                case CLAWBACK -> clawed.merge(e.reference() + "/" + e.bucket(), -e.purchasedDelta(), Long::sum);
                case PLAN_RESET -> {
                    Matcher m = PERIOD_RESET.matcher(e.description() == null ? "" : e.description());
                    if (m.find()) {
                        resets.merge(m.group(1) + "/" + e.bucket(), 1, Integer::sum);
                    }
                }
                default -> {
                }
            }
        }
        committed.values().stream().filter(e -> e.accountId().equals(account.id()) && !ids.contains(e.transactionId()))
                .forEach(e -> anomalies.add(name + ": committed entry " + e.transactionId() + " (" + e.type().wireName() + ") missing from the ledger"));
        Set<String> buckets = new HashSet<>(sums.keySet());
        buckets.addAll(account.buckets().keySet());
        for (String bucket : buckets) {
            BucketBalance b = account.bucket(bucket);
            long[] s = sums.getOrDefault(bucket, new long[3]);
            if (s[0] != b.allowance() || s[1] != b.purchased() || s[2] != b.held()) {
                anomalies.add(name + "." + bucket + ": ledger sums to allowance " + s[0] + ", purchased " + s[1] + ", held " + s[2]
                        + " but the balance is " + b);
            }
            // Stored lots hold tokens: the rules drop a lot once it is used up or lapsed (issue 15).
            b.lots().stream().filter(l -> l.remaining() == 0).forEach(l -> anomalies.add(name + "." + bucket + ": lot " + l.lotId()
                    + " stored empty"));
            // Below zero only within the bucket's credit limit (issue 15), holds covered by balance plus credit.
            if (b.allowance() < 0 || b.held() < 0 || b.total() < -b.creditLimit() || b.held() > b.total() + b.creditLimit()) {
                anomalies.add(name + "." + bucket + ": negative or uncovered balance " + b);
            }
        }
        perKey.forEach((k, n) -> {
            if (n > 1) {
                anomalies.add(name + ": Idempotency-Key " + k + " applied " + n + " times");
            }
        });
        holdEnds.forEach((hold, n) -> {
            if (n > 1) {
                anomalies.add(name + ": hold " + hold + " resolved " + n + " times");
            }
        });
        for (String hold : holdsMade) {
            Optional<HoldRecord> record = store.findHold(account.id(), hold);
            boolean pending = account.holds().containsKey(hold);
            if (record.isEmpty()) {
                anomalies.add(name + ": hold " + hold + " has a ledger entry but no record");
            } else if (pending != (record.get().status() == HoldStatus.PENDING)) {
                anomalies.add(name + ": hold " + hold + " is " + record.get().status().wireName() + " but "
                        + (pending ? "" : "not ") + "pending in the account");
            } else if (!pending && !holdEnds.containsKey(hold)) {
                anomalies.add(name + ": hold " + hold + " ended without a ledger entry");
            }
        }
        for (String hold : account.holds().keySet()) {
            if (!holdsMade.contains(hold)) {
                anomalies.add(name + ": pending hold " + hold + " without a hold entry");
            }
        }
        refunded.forEach((tx, total) -> {
            LedgerEntry charge = ledger.stream().filter(e -> e.transactionId().equals(tx)).findFirst().orElse(null);
            WalletStore.RefundContext tally = store.readRefund(account.id(), tx);
            if (charge == null || (charge.type() != EntryType.DEBIT && charge.type() != EntryType.CAPTURE)) {
                anomalies.add(name + ": refund of " + tx + ", which is no debit or capture of this account");
            } else if (tally.tally().total() > -charge.amount() || total > tally.tally().total()) {
                anomalies.add(name + ": transaction " + tx + " charged " + -charge.amount() + ", refunded " + total
                        + " (tally " + tally.tally().total() + ")");
            }
        });
        purchases.forEach((p, n) -> {
            if (n > 1) {
                anomalies.add(name + ": payment " + p + " credited " + n + " times");
            }
        });
        clawed.forEach((p, n) -> {
            if (n > credited.getOrDefault(p, 0L)) {
                anomalies.add(name + ": payment " + p + " clawed back " + n + " of " + credited.getOrDefault(p, 0L) + " credited");
            }
        });
        resets.forEach((p, n) -> {
            if (n > 1) {
                anomalies.add(name + ": period reset " + p + " applied " + n + " times");
            }
        });
    }

    /** The key a request's entry carries (its metadata tag, or its reason), or null. */
    static String keyOf(LedgerEntry e) {
        if (e.metadataJson() != null) {
            Matcher m = SIM_TAG.matcher(e.metadataJson());
            if (m.find()) {
                return m.group(1);
            }
        }
        if (e.description() != null && e.description().matches("^k\\d+.*")) {
            return e.description().split("[^k0-9]", 2)[0];
        }
        return null;
    }

    private List<LedgerEntry> ledger(AccountId id) {
        List<LedgerEntry> all = new ArrayList<>();
        Optional<String> after = Optional.empty();
        for (int page = 0; page < 10_000; page++) {
            LedgerPage p = store.ledger(id, 100, after);
            all.addAll(p.entries());
            if (p.continueAfter().isEmpty()) {
                break;
            }
            after = p.continueAfter();
        }
        return all;
    }
}
