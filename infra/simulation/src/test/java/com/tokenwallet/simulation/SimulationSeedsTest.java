package com.tokenwallet.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.port.WalletStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fixed seeds CI runs, replay, and that the checker sees a broken balance. */
class SimulationSeedsTest {
    /** Seeds 1..FIXED_SEEDS: about 30 s on a loaded 2-core machine. */
    private static final int FIXED_SEEDS = 120;

    /** Each fixed seed's run, made once for the tests that read it (about 35 s on a loaded 2-core machine). */
    private static final java.util.Map<Long, Simulation.Result> RESULTS = new java.util.TreeMap<>();

    private static synchronized java.util.Map<Long, Simulation.Result> results() {
        if (RESULTS.isEmpty()) {
            for (long seed = 1; seed <= FIXED_SEEDS; seed++) {
                RESULTS.put(seed, Simulation.run(HistoryGenerator.generate(seed)));
            }
        }
        return RESULTS;
    }

    @Test
    void fixedSeedsFindNoAnomaly() {
        List<String> failures = new ArrayList<>();
        long operations = 0;
        for (var run : results().entrySet()) {
            operations += run.getValue().operations();
            if (!run.getValue().anomalies().isEmpty()) {
                // Run again to shrink it: the line the command prints (seed, first anomaly, shrunk history).
                failures.add(SimulationMain.runSeed(run.getKey()).line());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(results()).hasSize(FIXED_SEEDS);
        assertThat(operations).isGreaterThan(FIXED_SEEDS * 40L);
    }

    /**
     * Issue 15 in the histories: operators set credit limits, and charges then take buckets below zero (the purchased
     * part negative: debt), which later tokens repay; the fixed seeds must reach that state, or they prove nothing of it.
     */
    @Test
    void theHistoriesTakeBucketsIntoDebt() {
        long limits = results().keySet().stream().flatMap(seed -> HistoryGenerator.generate(seed).steps().stream())
                .filter(s -> s.action() instanceof Action.CreditLimit).count();
        long inDebt = results().values().stream().flatMap(r -> r.writes().stream())
                .filter(c -> c.after().buckets().values().stream().anyMatch(b -> b.debt() > 0)).count();
        assertThat(limits).as("credit limits set").isGreaterThan(10);
        assertThat(inDebt).as("writes that left a bucket in debt").isGreaterThan(0);
    }

    /**
     * Credit lots (issue 15) in the histories: grants with terms become lots that charges burn by priority and
     * expiry, periods that end carry unused allowance into rollover lots, lots expire and lapse, refunds give tokens
     * back to the lots they came from, Stripe claw-backs take from the payment's lot, and an account reaches the most
     * lots it may store (grants refused, purchases and refunds unlotted, many lots lapsing in one entry); the fixed seeds must reach each, or the model's lot rules prove nothing.
     */
    @Test
    void theHistoriesReachEveryKindOfLot() {
        java.util.Map<String, Long> reached = new java.util.TreeMap<>();
        for (Simulation.Result result : results().values()) {
            result.writes().stream().flatMap(c -> c.entries().stream()).forEach(e -> {
                String reference = e.reference() == null ? "" : e.reference();
                String metadata = e.metadataJson() == null ? "" : e.metadataJson();
                switch (e.type()) {
                    case GRANT -> count(reached, "grant lots", reference.startsWith("lot_"));
                    case PLAN_RESET -> count(reached, "rollover lots", reference.startsWith("rollover:"));
                    case EXPIRY -> count(reached, "lot expiries", e.amount() < 0);
                    case DEBIT, CAPTURE -> {
                        count(reached, "charges from grant lots", e.consumed().stream().anyMatch(x -> x.lotId().startsWith("lot_")));
                        count(reached, "charges from rollover lots", e.consumed().stream().anyMatch(x -> x.lotId().startsWith("rollover:")));
                        count(reached, "charges from purchase lots", e.consumed().stream().anyMatch(x -> x.lotId().startsWith("purchase:")));
                        count(reached, "charges across lots", e.consumed().size() > 1);
                    }
                    case CLAWBACK -> count(reached, "claw-backs from a payment's lot", metadata.contains("\"fromLot\""));
                    case REFUND -> {
                        count(reached, "refunds returned to a stored lot", metadata.matches(".*\\{\"lotId\":\"(lot_|rollover:|purchase:)[^}]*\"outcome\":\"returned\".*"));
                        count(reached, "refunds recreating a lot", metadata.contains("\"outcome\":\"recreated\""));
                        count(reached, "refunds to an expired lot", metadata.contains("\"outcome\":\"expired\""));
                    }
                    default -> {
                    }
                }
            });
        }
        for (Simulation.Result result : results().values()) {
            count(reached, "writes at the stored-lot limit", result.writes().stream().anyMatch(c -> c.after().storedLotCount() == 100));
            result.outcomes().values().forEach(o -> count(reached, "grants refused too_many_lots",
                    o.kind() == Outcome.Kind.REFUSED && o.body().equals("too_many_lots")));
            result.writes().stream().filter(c -> c.step() != null && c.step().action() instanceof Action.Stripe s
                    && s.event() instanceof StripeEvent.InvoicePaid).forEach(c -> count(reached, "rollover lots at a paid invoice",
                    c.before().billing().onSubscription() // (so no calendar period ended in this write)
                            && c.entries().stream().anyMatch(e -> e.reference() != null && e.reference().startsWith("rollover:"))));
            result.writes().stream().flatMap(c -> c.entries().stream()).forEach(e -> {
                count(reached, "purchases unlotted at the limit", e.description() != null && e.description().contains("lots, so its tokens are unlotted"));
                count(reached, "refunds unlotted at the limit", e.metadataJson() != null && e.metadataJson().contains("\"outcome\":\"unlotted\""));
                count(reached, "lot expiries in one entry", e.type() == com.tokenwallet.domain.ledger.EntryType.EXPIRY && e.reference() == null && e.amount() < 0);
            });
        }
        System.out.println("lots reached: " + reached);
        assertThat(reached).allSatisfy((what, n) -> assertThat(n).as(what).isGreaterThan(0));
        assertThat(reached).hasSize(17);
    }

    private static void count(java.util.Map<String, Long> reached, String what, boolean happened) {
        reached.merge(what, happened ? 1L : 0L, Long::sum);
    }

    @Test
    void aSeedReplaysExactly() {
        History history = HistoryGenerator.generate(42);
        assertThat(HistoryGenerator.generate(42)).isEqualTo(history);
        Simulation.Result first = Simulation.run(history);
        Simulation.Result again = Simulation.run(history);
        assertThat(first.commits()).isNotEmpty().isEqualTo(again.commits());
        assertThat(again.anomalies()).isEqualTo(first.anomalies());
    }

    @Test
    void theCommandPrintsItsSummaryLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = SimulationMain.run(new String[] {"--seed", "7"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[lines.length - 1]).matches("simulation: 1 histories, \\d+ operations, 0 anomalies");
        assertThat(status).isZero();
    }

    @Test
    void theCheckerSeesABalanceTheLedgerDoesNotSumTo() {
        History history = HistoryGenerator.generate(3);
        Scheduler scheduler = new Scheduler(new java.util.SplittableRandom(1), t -> { });
        try (Cluster cluster = new Cluster(history, new StoreFaults(scheduler, new java.util.SplittableRandom(1), 0))) {
            cluster.lambda(0).wallet().open(new com.tokenwallet.domain.command.CreateAccountCommand(AccountId.of("acct_sim0"), Optional.empty()));
            Account before = cluster.checkerStore.findAccount(AccountId.of("acct_sim0")).orElseThrow();
            // 999 purchased where the ledger says 10, one lot of them stored empty
            var empty = new com.tokenwallet.domain.account.Lot("lot_empty", "credits", com.tokenwallet.domain.account.LotSource.GRANT, 5, 0,
                    50, null, null, null, java.time.Instant.parse("2026-01-01T00:00:00Z"));
            cluster.checkerStore.write(new WalletStore.AccountWrite(before, before.withBucket("credits",
                    new BucketBalance(0, 999, 0, List.of(empty))), List.of(), Optional.empty()));
            List<String> anomalies = new InvariantChecker(cluster.checkerStore).check(List.of("acct_sim0"), new HashMap<>());
            assertThat(anomalies).anyMatch(a -> a.contains("acct_sim0.credits: ledger sums to allowance 0, purchased 10"))
                    .anyMatch(a -> a.equals("acct_sim0.credits: lot lot_empty stored empty"));
        }
    }

    /**
     * A Stripe refund that claws nothing back is an anomaly twice over: its write holds no claw-back while tokens are
     * due ({@code BillingModel.event}), and by the end the payment was not taken back to the refund's target
     * ({@code answeredClawBacks}). Shown by removing the claw-back entries from a fixed seed's refund write.
     */
    @Test
    void theModelSeesARefundThatTookNothingBack() {
        for (var run : results().entrySet()) {
            List<Commit> writes = run.getValue().writes();
            for (int i = 0; i < writes.size(); i++) {
                if (refundClawingBack(writes.get(i)) != null && isLastClawBackOf(writes, i)) {
                    History history = HistoryGenerator.generate(run.getKey());
                    Simulation.Result result = run.getValue();
                    ReferenceModel honest = new ReferenceModel(Cluster.CATALOG);
                    assertThat(honest.feed(writes)).isEmpty();
                    assertThat(honest.answeredClawBacks(history.steps(), result.outcomes(), result.spans())).isEmpty();

                    List<Commit> doctored = new ArrayList<>(writes);
                    Commit refund = writes.get(i);
                    // The refund applied with nothing taken: its buckets as before, its claw-back entries gone.
                    Account unchanged = refund.after();
                    for (var bucket : refund.before().buckets().entrySet()) {
                        unchanged = unchanged.withBucket(bucket.getKey(), bucket.getValue());
                    }
                    doctored.set(i, new Commit(refund.step(), refund.before(), unchanged, refund.entries().stream()
                            .filter(e -> e.type() != com.tokenwallet.domain.ledger.EntryType.CLAWBACK).toList(), refund.sides(), refund.key()));
                    ReferenceModel model = new ReferenceModel(Cluster.CATALOG);
                    assertThat(model.feed(doctored)).as("seed " + run.getKey() + ", write " + i)
                            .anyMatch(a -> a.contains("charge.refunded") && a.contains("wrote no claw-back"));
                    assertThat(model.answeredClawBacks(history.steps(), result.outcomes(), result.spans())).as("seed " + run.getKey())
                            .anyMatch(a -> a.contains("charge.refunded") && a.contains("were taken back in the end"));
                    return;
                }
            }
        }
        throw new AssertionError("no fixed seed has a refund that clawed back");
    }

    /** The payment a write of a Stripe refund took tokens back from, or null. */
    private static String refundClawingBack(Commit c) {
        boolean refund = c.step() != null && c.step().action() instanceof Action.Stripe s && s.event() instanceof StripeEvent.Refunded;
        return refund ? c.entries().stream().filter(e -> e.type() == com.tokenwallet.domain.ledger.EntryType.CLAWBACK)
                .map(com.tokenwallet.domain.ledger.LedgerEntry::reference).findFirst().orElse(null) : null;
    }

    /** Whether no later write claws back from the same payment as write {@code i}. */
    private static boolean isLastClawBackOf(List<Commit> writes, int i) {
        String payment = refundClawingBack(writes.get(i));
        return writes.subList(i + 1, writes.size()).stream().flatMap(c -> c.entries().stream())
                .noneMatch(e -> e.type() == com.tokenwallet.domain.ledger.EntryType.CLAWBACK && payment.equals(e.reference()));
    }

    /**
     * {@code insufficient_tokens} is excused by a lot expiring by the answer only as far as its remaining tokens go:
     * a bucket still able to pay after losing the whole expired lot was refused wrongly.
     */
    @Test
    void theRefusalCheckCountsAnExpiredLotByItsRemainingTokensOnly() {
        var charge = Cluster.CATALOG.price("ai_chat", java.util.Map.of());
        java.time.Instant now = java.time.Instant.parse("2026-03-01T12:00:00Z");
        var expired = new com.tokenwallet.domain.account.Lot("lot_old", charge.bucket(), com.tokenwallet.domain.account.LotSource.GRANT,
                2, 2, 50, now.minusSeconds(60), null, null, now.minusSeconds(86_400));
        Step debit = new Step(1, 0, new Action.Debit("acct_sim0", "k0", "ai_chat"));
        java.util.function.LongFunction<List<String>> refusedWith = purchased -> {
            Account account = new Account(AccountId.of("acct_sim0"), null, "free", com.tokenwallet.domain.account.Period.calendarMonthOf(now),
                    java.util.Map.of(charge.bucket(), new BucketBalance(0, purchased, 0, List.of(expired))), java.util.Map.of(), null,
                    now.minusSeconds(86_400), 1);
            return RefusalCheck.check(List.of(debit), java.util.Map.of(1, Outcome.refused("insufficient_tokens")),
                    java.util.Map.of(1, new RefusalCheck.Span(1, 1, now)), List.of(new Commit(null, null, account, List.of(), List.of(), null)),
                    Cluster.CATALOG);
        };
        // The expired lot's 2 tokens gone, the bucket holds the charge and 1 more: the refusal was wrong.
        assertThat(refusedWith.apply(charge.amountTokens() + 3)).singleElement().asString().contains("was refused insufficient_tokens");
        // The expired lot's 2 tokens gone, the bucket holds 1 token less than the charge: the refusal stands.
        assertThat(refusedWith.apply(charge.amountTokens() + 1)).isEmpty();
    }

    /** A refusal no state justifies (as when decided on a stale cached snapshot) is an anomaly. */
    @Test
    void theRefusalCheckSeesARefusalNoStateJustifies() {
        History history = HistoryGenerator.generate(3);
        Scheduler scheduler = new Scheduler(new java.util.SplittableRandom(1), t -> { });
        try (Cluster cluster = new Cluster(history, new StoreFaults(scheduler, new java.util.SplittableRandom(1), 0))) {
            Step open = new Step(0, 0, new Action.Open("acct_sim0"));
            cluster.runAs(open);
            cluster.lambda(0).wallet().open(new com.tokenwallet.domain.command.CreateAccountCommand(AccountId.of("acct_sim0"), Optional.empty()));
            Step debit = new Step(1, 0, new Action.Debit("acct_sim0", "k0", "ai_chat"));
            Step missing = new Step(2, 0, new Action.Debit("acct_sim0", "k1", "ai_chat"));
            java.util.Map<Integer, Outcome> outcomes = java.util.Map.of(1, Outcome.refused("insufficient_tokens"),
                    2, Outcome.refused("account_not_found"));
            int commits = cluster.log.commits().size();
            java.util.Map<Integer, RefusalCheck.Span> spans = java.util.Map.of(
                    1, new RefusalCheck.Span(commits, commits, cluster.clock.instant()),
                    2, new RefusalCheck.Span(commits, commits, cluster.clock.instant()));
            List<String> anomalies = RefusalCheck.check(List.of(open, debit, missing), outcomes, spans, cluster.log.commits(),
                    cluster.catalog());
            assertThat(anomalies).hasSize(2);
            assertThat(anomalies.get(0)).startsWith("#1 (debit acct_sim0 ai_chat key=k0) was refused insufficient_tokens, but credits");
            assertThat(anomalies.get(1)).contains("refused account_not_found, but the account was created before it began");
        }
    }

    /**
     * An anomaly the simulator found, shrunk to 5 steps (seed -5176019802280310013 of the simulator as it was then): a hold, a package paid short
     * (recorded as owed), a day later the owed payment settled by credit. The settlement wrote the account with the
     * expired hold still pending, where every write releases expired holds first; fixed in OwedPayments (tested there
     * too: OffersAndOwedPaymentsTest). A seed replays exactly with the same build of the simulator.
     */
    @Test
    void theShrunkHistoryOfTheOwedSettlementAnomalyRunsClean() {
        // The steps are written out (the generator has grown since, so the seed now makes another history); the
        // accounts, instances and start still come from the seed's first draws, which are unchanged.
        History full = HistoryGenerator.generate(-5176019802280310013L);
        History shrunk = full.withSteps(List.of(
                new Step(1, 1, new Action.Open("acct_sim1")),
                new Step(47, 0, new Action.Hold("acct_sim1", "k17", "ai_chat", 1434)),
                new Step(52, 0, new Action.Stripe("acct_sim1", new StripeEvent.Purchase("evt_sim0", 60, "pi_sim0_1", "starter",
                        "checkout.session.completed", null, 224))),
                new Step(55, 0, new Action.Clock(86_400)),
                new Step(56, 0, new Action.SettleOwed("acct_sim1", "pi_sim0_1", true, "dol", 30))));
        assertThat(shrunk.readable()).isEqualTo("[#1 L1 open acct_sim1; #47 L0 hold acct_sim1 ai_chat ttl=1434s key=k17; "
                + "#52 L0 stripe evt_sim0 checkout.session.completed pi_sim0_1 package starter paid 224 cents short for acct_sim1; "
                + "#55 L0 clock +86400s; #56 L0 admin settle owed acct_sim1 pi_sim0_1 credit 30 dol]");

        Simulation.Result result = Simulation.run(shrunk);

        assertThat(result.anomalies()).isEmpty();
        assertThat(result.outcomes().get(56)).isEqualTo(Outcome.ok("settled=credited"));
    }
}
