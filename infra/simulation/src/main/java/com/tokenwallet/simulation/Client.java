package com.tokenwallet.simulation;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.billing.BillingRetryLater;
import com.tokenwallet.domain.billing.OwedPayments;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.command.QuoteCommand;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.reset.QuotaReset;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * A client doing one step as real clients do: it calls a Lambda instance, and when it gets no answer (the store was
 * unavailable, the instance died, Stripe was told to retry later) it tries again, with the same Idempotency-Key,
 * on the next instance, a bounded number of times. The response bodies it stores are its own (the services take
 * the rendering as a function), so each names what the client needs later (a hold id, a transaction id).
 */
final class Client {
    static final int MAX_ATTEMPTS = 6;
    /** A hold id that names no hold: what a client sends when the hold it means was never made. */
    static final String NO_HOLD = "hold_00000000000000000000000000";
    static final String NO_TRANSACTION = "tx_00000000000000000000000000";

    private final Cluster cluster;
    private final IntFunction<Outcome> outcomeOfStep;

    Client(Cluster cluster, IntFunction<Outcome> outcomeOfStep) {
        this.cluster = cluster;
        this.outcomeOfStep = outcomeOfStep;
    }

    Outcome run(Step step) {
        cluster.runAs(step);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Cluster.Lambda lambda = cluster.lambda(step.lambda() + attempt);
            try {
                return Outcome.ok(execute(lambda, step.action()));
            } catch (StoreUnavailableException | StoreFaults.InstanceDied | BillingRetryLater noAnswer) {
                // try again, same key
            } catch (WalletException refused) {
                return Outcome.refused(refused.code());
            }
        }
        return Outcome.UNKNOWN;
    }

    private String execute(Cluster.Lambda lambda, Action action) {
        var wallet = lambda.wallet();
        return switch (action) {
            case Action.Open a -> "created=" + wallet.open(new CreateAccountCommand(id(a), Optional.empty())).created();
            case Action.Debit a -> body(wallet.debit(new DebitCommand(id(a), charge(a.operation()), tag(a.key()), idem(a.key(), a)),
                    r -> stored("tx=" + r.entry().transactionId() + " amount=" + -r.entry().amount())));
            case Action.Hold a -> body(wallet.hold(new HoldCommands.Hold(id(a), charge(a.operation()), a.ttlSeconds(), tag(a.key()),
                    idem(a.key(), a)), r -> stored("hold=" + r.hold().holdId() + " amount=" + r.hold().amount())));
            case Action.Capture a -> body(wallet.capture(new HoldCommands.Capture(id(a), holdOf(a.holdOf()), amount(a.amount()),
                    idem(a.key(), a)), r -> stored("tx=" + r.entry().transactionId() + " captured=" + r.captured())));
            case Action.Release a -> body(wallet.release(new HoldCommands.Release(id(a), holdOf(a.holdOf()), idem(a.key(), a)),
                    r -> stored("released=" + r.released())));
            case Action.Refund a -> body(wallet.refund(new HoldCommands.Refund(id(a), chargeOf(a.chargeOf()), amount(a.amount()),
                    a.key(), idem(a.key(), a)), r -> stored("tx=" + r.entry().transactionId() + " refunded=" + r.amount())));
            case Action.Read a -> read(lambda, a);
            case Action.Grant a -> body(wallet.grant(new AdminCommands.Grant(id(a), a.bucket(), a.amount(), a.key(), "sim-admin",
                    Optional.of(idem(a.key(), a)), new AdminCommands.LotTerms(Optional.ofNullable(a.expiresAt()),
                    Optional.ofNullable(a.priority()), Optional.ofNullable(a.costBasis()))), r -> stored("tx=" + r.entry().transactionId())));
            case Action.Adjust a -> body(wallet.adjust(new AdminCommands.Adjustment(id(a), a.bucket(), a.amount(),
                    a.purchased() ? AdminCommands.Part.PURCHASED : AdminCommands.Part.ALLOWANCE, a.key(), "sim-admin",
                    Optional.of(idem(a.key(), a))), r -> stored("tx=" + r.entry().transactionId())));
            case Action.PlanChange a -> body(wallet.changePlanAsAdmin(new AdminCommands.PlanChange(id(a), a.plan(), a.resetNow(),
                    Optional.of(a.key()), "sim-admin", Optional.of(idem(a.key(), a))), r -> stored("plan=" + r.account().plan())));
            case Action.CreditLimit a -> body(wallet.setCreditLimit(new AdminCommands.CreditLimit(id(a), a.bucket(), a.limit(), a.key(),
                    "sim-admin", Optional.of(idem(a.key(), a))), r -> stored("tx=" + r.entry().transactionId() + " limit=" + r.balance().creditLimit())));
            case Action.Checkout a -> "offer=" + lambda.offers().offer(id(a), a.key(), cluster.catalog().packages().get(a.packageId())).offerId();
            case Action.SettleOwed a -> "settled=" + lambda.owed().settle(id(a), a.paymentId(), a.credit()
                    ? new OwedPayments.Settle(OwedPayments.Settle.CREDIT, Optional.of(a.bucket()), a.tokens(), "sim", "sim-admin")
                    : new OwedPayments.Settle(OwedPayments.Settle.REFUNDED, Optional.empty(), 0, "sim", "sim-admin")).payment().status();
            case Action.Stripe a -> "outcome=" + lambda.billing().apply(StripeEvents.of(a, cluster.startEpoch())).outcome();
            case Action.Sweep a -> "expired=" + wallet.sweepExpiredHolds(cluster.clock.instant().plusSeconds(60), 50);
            case Action.Reset a -> reset(lambda);
            case Action.Clock a -> throw new IllegalStateException("the clock is moved by the history, not by a client");
        };
    }

    private String read(Cluster.Lambda lambda, Action.Read read) {
        AccountId id = AccountId.of(read.account());
        return switch (read.what()) {
            case "quote" -> "affordable=" + lambda.wallet().quote(new QuoteCommand(id, new ChargeRequest.ByOperation("ai_chat", Map.of())))
                    .affordable();
            case "ledger" -> "entries=" + lambda.wallet().transactions(id, 20, Optional.empty()).entries().size();
            default -> "version=" + lambda.wallet().balance(id).version();
        };
    }

    /**
     * The monthly job as its state machine runs it (quota-reset.asl.json, issue 18): per segment, turns of one page
     * each, every turn given the state the last one returned, until the segment is done.
     */
    private String reset(Cluster.Lambda lambda) {
        Instant now = cluster.clock.instant();
        String job = lambda.reset().jobFor(now);
        long reset = 0;
        for (int segment = 0; segment < 2; segment++) {
            QuotaReset.SegmentState state = QuotaReset.SegmentState.start(job, segment, 2);
            for (int turn = 0; turn < 1_000 && !state.done(); turn++) {
                state = lambda.reset().step(state, () -> false).state();
            }
            reset += state.reset();
        }
        return "reset=" + reset;
    }

    private String holdOf(int step) {
        Outcome made = outcomeOfStep.apply(step);
        String hold = made == null ? null : made.field("hold");
        return hold == null ? NO_HOLD : hold;
    }

    private String chargeOf(int step) {
        Outcome made = outcomeOfStep.apply(step);
        String tx = made == null ? null : made.field("tx");
        return tx == null ? NO_TRANSACTION : tx;
    }

    private static AccountId id(Action action) {
        return AccountId.of(action.account());
    }

    private static ChargeRequest charge(String operation) {
        return new ChargeRequest.ByOperation(operation, Map.of());
    }

    /** Every keyed request's entry carries its key (in metadata, or as its reason), so the checker can count them. */
    private static Metadata tag(String key) {
        return Metadata.of(Map.of("sim", key));
    }

    private static Idempotency idem(String key, Action action) {
        return new Idempotency(new IdempotencyKey(key), action.toString());
    }

    private static OptionalLong amount(long amount) {
        return amount == 0 ? OptionalLong.empty() : OptionalLong.of(amount);
    }

    private static StoredResponse stored(String body) {
        return new StoredResponse(200, body);
    }

    private static String body(Answer answer) {
        return answer.response().body();
    }
}
