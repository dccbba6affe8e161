package com.tokenwallet.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a history from a seed: a few accounts opened (some more than once), then a mix of every operation the
 * product has, with duplicated requests (same Idempotency-Key), Stripe events delivered twice and out of order, the
 * jobs, and clock jumps that cross period ends. Only the seed decides; nothing here reads a clock.
 */
final class HistoryGenerator {
    private static final String[] OPERATIONS = {"ai_chat", "text_interview", "mockup", "dol", "weather", "voice_interview"};
    private static final String[] BUCKETS = {"credits", "mockup", "dol", "weather"};
    private static final String[] PLANS = {"free", "solo", "business"};
    private static final String[] PACKAGES = {"starter", "pro", "token_pack_100"};

    /** Well within Limits.IDEMPOTENCY_RETENTION_SECONDS (7 days): a key used again after that is a new request. */
    private static final long RETRY_WITHIN_SECONDS = 6L * 86_400;

    private final SplittableRandom random;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> accounts = new ArrayList<>();
    private final List<Integer> holds = new ArrayList<>();
    private final List<Integer> charges = new ArrayList<>();
    private final List<Step> keyed = new ArrayList<>();
    /** When each keyed step was generated, in seconds of clock jumps so far: keys are kept 7 days, no longer. */
    private final java.util.Map<String, Long> keyedAt = new java.util.HashMap<>();
    private long jumped;
    private boolean lotHeavy;
    private Instant start;
    private final List<StripeEvent> events = new ArrayList<>();
    private final List<String> payments = new ArrayList<>();
    private final List<String> shortPayments = new ArrayList<>();
    private final List<StripeEvent.Purchase> purchases = new ArrayList<>();
    private final List<Action.Checkout> checkouts = new ArrayList<>();
    private int lambdas;
    private int keys;
    private int eventIds;
    private long eventClock;

    private HistoryGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    static History generate(long seed) {
        return new HistoryGenerator(seed).history(seed);
    }

    private History history(long seed) {
        // One history in eight piles lots onto its first account until it stores the most it may (issue 15's bound):
        // grants refused, purchases and refunds unlotted, rollovers skipped, many lots expiring in one write.
        lotHeavy = random.nextInt(8) == 0;
        int accountCount = 2 + random.nextInt(3);
        lambdas = 2 + random.nextInt(2);
        for (int i = 0; i < accountCount; i++) {
            accounts.add("acct_sim" + i);
        }
        // Near a month's end, so clock jumps cross it.
        start = Instant.parse("2026-01-27T00:00:00Z").plus(Duration.ofHours(random.nextInt(24 * 40)));
        for (String account : accounts) {
            add(new Action.Open(account));
        }
        int length = lotHeavy ? 220 + random.nextInt(80) : 40 + random.nextInt(100);
        for (int i = 0; i < length; i++) {
            add(next());
        }
        return new History(seed, accounts, lambdas, start, steps);
    }

    private void add(Action action) {
        Step step = new Step(steps.size(), random.nextInt(lambdas), action);
        steps.add(step);
        if (Action.keyOf(action) != null && !keyedAt.containsKey(Action.keyOf(action))) {
            keyed.add(step);
            keyedAt.put(Action.keyOf(action), jumped);
        }
        if (action instanceof Action.Clock c) {
            jumped += c.seconds();
        }
    }

    private Action next() {
        String account = accounts.get(random.nextInt(accounts.size()));
        if (lotHeavy && random.nextInt(100) < 55) {
            return lot(accounts.getFirst(), 1 + random.nextInt(3));
        }
        if (lotHeavy && random.nextBoolean()) {
            account = accounts.getFirst(); // its purchases, charges and refunds meet the bound too
        }
        int roll = random.nextInt(104);
        if (roll < 16) {
            return remember(charges, new Action.Debit(account, key(), pick(OPERATIONS)));
        }
        if (roll < 26) {
            return remember(holds, new Action.Hold(account, key(), pick(OPERATIONS), 1 + random.nextInt(1800)));
        }
        if (roll < 33 && !holds.isEmpty()) {
            Step hold = steps.get(pick(holds));
            long amount = random.nextInt(3) == 0 ? 1 + random.nextInt(6) : 0;
            return remember(charges, new Action.Capture(hold.action().account(), key(), hold.id(), amount));
        }
        if (roll < 38 && !holds.isEmpty()) {
            Step hold = steps.get(pick(holds));
            return new Action.Release(hold.action().account(), key(), hold.id());
        }
        if (roll < 45 && !charges.isEmpty()) {
            Step charge = steps.get(pick(charges));
            long amount = random.nextInt(2) == 0 ? 1 + random.nextInt(6) : 0;
            return new Action.Refund(charge.action().account(), key(), charge.id(), amount);
        }
        if (roll < 52 && !keyed.isEmpty()) {
            Step again = keyed.get(random.nextInt(keyed.size()));
            if (jumped - keyedAt.get(Action.keyOf(again.action())) < RETRY_WITHIN_SECONDS) {
                return again.action(); // the same request again, same key, while the key is kept
            }
        }
        if (roll < 57) {
            return new Action.Read(account, pick(new String[] {"balance", "quote", "ledger"}));
        }
        if (roll < 61) {
            return grant(account);
        }
        if (roll < 65) {
            long amount = (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(20));
            return new Action.Adjust(account, key(), pick(BUCKETS), random.nextBoolean(), amount);
        }
        if (roll < 68) {
            return new Action.PlanChange(account, key(), pick(PLANS), random.nextBoolean());
        }
        if (roll < 79) {
            return stripe(account);
        }
        if (roll < 81) {
            return checkout(account);
        }
        if (roll < 82 && !payments.isEmpty()) {
            return settle();
        }
        if (roll < 86) {
            return new Action.Sweep();
        }
        if (roll < 89) {
            return new Action.Reset();
        }
        if (roll < 91) {
            return new Action.Open(account);
        }
        if (roll >= 100) {
            // Mostly a limit that lets charges go below zero; sometimes 0 again (refused while the bucket owes).
            return new Action.CreditLimit(account, key(), pick(BUCKETS), random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30));
        }
        long seconds = random.nextInt(4) == 0 ? 86_400L * (1 + random.nextInt(20)) : 1 + random.nextInt(3_600);
        return new Action.Clock(seconds);
    }

    /**
     * An operator grant: half of them plain (unlotted tokens), the others a lot with terms (issue 15): an expiry soon
     * (1 hour to 3 days after the history's clock as generated, so clock jumps pass it) or later (10 to 40 days), a
     * priority, a cost basis, each or not.
     */
    private Action grant(String account) {
        if (random.nextBoolean()) {
            return new Action.Grant(account, key(), pick(BUCKETS), 1 + random.nextInt(40), null, null, null);
        }
        return lot(account, 1 + random.nextInt(12)); // small lots, so charges use them up and refunds re-create them
    }

    /** A grant with terms: a lot of its own. */
    private Action.Grant lot(String account, long amount) {
        String bucket = pick(BUCKETS);
        Instant expiresAt = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> start.plusSeconds(jumped + 3_600 + random.nextInt(3 * 86_400));
            default -> start.plusSeconds(jumped + 86_400L * (10 + random.nextInt(31)));
        };
        Integer priority = random.nextInt(3) == 0 ? null : random.nextInt(101);
        java.math.BigDecimal costBasis = random.nextInt(3) == 0 ? new java.math.BigDecimal("0.5") : null;
        if (expiresAt == null && priority == null && costBasis == null) {
            priority = 50;
        }
        return new Action.Grant(account, key(), bucket, amount, expiresAt, priority, costBasis);
    }

    /** A checkout: a new one, or one made before again (the same key finds the same offer). */
    private Action checkout(String account) {
        if (!checkouts.isEmpty() && random.nextInt(4) == 0) {
            return checkouts.get(random.nextInt(checkouts.size()));
        }
        Action.Checkout checkout = new Action.Checkout(account, key(), pick(PACKAGES));
        checkouts.add(checkout);
        return checkout;
    }

    /** An operator settles a payment, mostly one paid short (owed); any other is not owed (refused). */
    private Action settle() {
        String payment = !shortPayments.isEmpty() && random.nextInt(4) != 0 ? shortPayments.get(random.nextInt(shortPayments.size()))
                : payments.get(random.nextInt(payments.size()));
        boolean credit = random.nextInt(3) != 0;
        return new Action.SettleOwed("acct_sim" + payment.substring(payment.length() - 1), payment, credit,
                credit ? pick(BUCKETS) : null, credit ? 1 + random.nextInt(50) : 0);
    }

    /** A package paid: mostly from the account's checkout (its offer), sometimes short (owed), sometimes without an offer. */
    private StripeEvent.Purchase purchase(String id, long created, String account) {
        String payment = "pi_sim" + payments.size() + "_" + account.substring(account.length() - 1);
        payments.add(payment);
        List<Action.Checkout> own = checkouts.stream().filter(c -> c.account().equals(account)).toList();
        String offerKey = null;
        String packageId = pick(PACKAGES);
        if (!own.isEmpty() && random.nextInt(3) != 0) {
            Action.Checkout checkout = own.get(random.nextInt(own.size()));
            offerKey = checkout.key();
            packageId = random.nextInt(6) == 0 ? packageId : checkout.packageId(); // another package than the offer's: the catalog decides
        }
        long shortCents = random.nextInt(4) == 0 ? 1 + random.nextInt(500) : 0;
        if (shortCents > 0) {
            shortPayments.add(payment);
        }
        StripeEvent.Purchase purchase = new StripeEvent.Purchase(id, created, payment, packageId, "checkout.session.completed", offerKey,
                shortCents);
        purchases.add(purchase);
        return purchase;
    }

    /** A new event, or one delivered before (a redelivery), or an event whose delivery was held back. */
    private Action stripe(String account) {
        if (!events.isEmpty() && random.nextInt(3) == 0) {
            StripeEvent again = events.get(random.nextInt(events.size()));
            return new Action.Stripe(accountOf(again, account), again);
        }
        eventClock += 1 + random.nextInt(600);
        long created = eventClock - random.nextInt(120); // created times not in delivery order
        String id = "evt_sim" + (eventIds++);
        String sub = "sub_sim" + account.substring(account.length() - 1);
        StripeEvent event = switch (random.nextInt(8)) {
            case 0, 1 -> purchase(id, created, account);
            case 7 -> {
                if (purchases.isEmpty()) {
                    yield purchase(id, created, account);
                }
                // Another event for a payment paid before (the session's async payment succeeded): credited at most once.
                StripeEvent.Purchase paid = purchases.get(random.nextInt(purchases.size()));
                yield new StripeEvent.Purchase(id, created, paid.paymentId(), paid.packageId(), "checkout.session.async_payment_succeeded",
                        paid.offerKey(), paid.shortCents());
            }
            case 2 -> payments.isEmpty() ? new StripeEvent.SubscriptionStarted(id, created, sub, pick(PLANS))
                    : new StripeEvent.Refunded(id, created, payments.get(random.nextInt(payments.size())), 1000, 250L * (1 + random.nextInt(4)));
            case 3 -> payments.isEmpty() ? new StripeEvent.Cancelled(id, created, sub)
                    : new StripeEvent.Dispute(id, created, payments.get(random.nextInt(payments.size())));
            case 4 -> new StripeEvent.SubscriptionStarted(id, created, sub, pick(new String[] {"solo", "business"}));
            case 5 -> new StripeEvent.InvoicePaid(id, created, sub, pick(new String[] {"solo", "business"}), random.nextInt(3));
            default -> new StripeEvent.Cancelled(id, created, sub);
        };
        events.add(event);
        return new Action.Stripe(accountOf(event, account), event);
    }

    /** Payments belong to the account their id was made for. */
    private String accountOf(StripeEvent event, String otherwise) {
        String payment = switch (event) {
            case StripeEvent.Refunded r -> r.paymentId();
            case StripeEvent.Dispute d -> d.paymentId();
            case StripeEvent.Purchase p -> p.paymentId();
            default -> null;
        };
        if (payment == null) {
            String sub = switch (event) {
                case StripeEvent.SubscriptionStarted s -> s.subscriptionId();
                case StripeEvent.InvoicePaid i -> i.subscriptionId();
                case StripeEvent.Cancelled c -> c.subscriptionId();
                default -> null;
            };
            return sub == null ? otherwise : "acct_sim" + sub.substring(sub.length() - 1);
        }
        return "acct_sim" + payment.substring(payment.length() - 1);
    }

    private Action remember(List<Integer> made, Action action) {
        made.add(steps.size());
        return action;
    }

    private String key() {
        return "k" + (keys++);
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private int pick(List<Integer> options) {
        return options.get(random.nextInt(options.size()));
    }
}
