package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.Charge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refusals must be true of some state the request could have seen: the account as it stood when the request was
 * launched or after any write committed before it was answered. {@code insufficient_tokens} needs a state with less
 * available than the charge, counting as gone the remaining tokens of the bucket's lots expired by the answer (unless
 * the period ended meanwhile: its roll-over may lower the allowance); {@code too_many_lots} a state storing the most
 * lots an account may;
 * {@code account_not_found} needs the account not created before the request began; {@code hold_expired} needs the
 * hold's expiry passed by the time of the answer. A refusal decided on a stale cached snapshot fails this.
 */
final class RefusalCheck {
    /** When a step ran: the commit log's size at its launch and at its answer, and the clock at its answer. */
    record Span(int fromCommit, int toCommit, Instant answeredAt) {
    }

    private RefusalCheck() {
    }

    /** The most the bucket's lots expired by {@code at} can lapse: their remaining tokens. */
    private static long lapsing(Account a, String bucket, java.time.Instant at) {
        return a.bucket(bucket).lots().stream().filter(l -> l.expiredAt(at)).mapToLong(com.tokenwallet.domain.account.Lot::remaining).sum();
    }

    static List<String> check(List<Step> steps, Map<Integer, Outcome> outcomes, Map<Integer, Span> spans, List<Commit> commits,
                              Catalog catalog) {
        List<String> anomalies = new ArrayList<>();
        for (Step step : steps) {
            Outcome outcome = outcomes.get(step.id());
            Span span = spans.get(step.id());
            if (outcome == null || span == null || outcome.kind() != Outcome.Kind.REFUSED) {
                continue;
            }
            String account = step.action().account();
            switch (outcome.body()) {
                case "insufficient_tokens" -> {
                    String operation = switch (step.action()) {
                        case Action.Debit d -> d.operation();
                        case Action.Hold h -> h.operation();
                        default -> null;
                    };
                    if (operation == null) {
                        continue;
                    }
                    Charge charge = catalog.price(operation, Map.of());
                    List<Account> states = states(account, span, commits);
                    // A lot of the bucket expiring by the answer lapses before the charge is judged (issue 15): at most
                    // its remaining tokens (less when holds need them), so the refusal stands if even that could be short.
                    boolean couldNotPay = states.isEmpty() || states.stream().anyMatch(a -> a.calendarPeriodEndedBy(span.answeredAt())
                            || a.bucket(charge.bucket()).available() - lapsing(a, charge.bucket(), span.answeredAt()) < charge.amountTokens());
                    if (!couldNotPay) {
                        anomalies.add("#" + step.id() + " (" + step.action() + ") was refused insufficient_tokens, but "
                                + charge.bucket() + " had at least " + charge.amountTokens() + " available in every state it could see: "
                                + states.stream().map(a -> "v" + a.version() + "=" + a.bucket(charge.bucket())).toList());
                    }
                }
                case "credit_limit_below_debt" -> {
                    if (!(step.action() instanceof Action.CreditLimit limit)) {
                        continue;
                    }
                    boolean owed = states(account, span, commits).stream().anyMatch(a -> {
                        var bucket = a.bucket(limit.bucket());
                        return limit.limit() < Math.max(bucket.debt(), bucket.held() - bucket.total());
                    });
                    if (!owed) {
                        anomalies.add("#" + step.id() + " (" + step.action() + ") was refused credit_limit_below_debt, but no state it "
                                + "could see owed more than " + limit.limit());
                    }
                }
                case "too_many_lots" -> {
                    boolean full = states(account, span, commits).stream()
                            .anyMatch(a -> a.storedLotCount() >= com.tokenwallet.domain.Limits.MAX_STORED_LOTS);
                    if (!full) {
                        anomalies.add("#" + step.id() + " (" + step.action() + ") was refused too_many_lots, but no state it could see "
                                + "stored " + com.tokenwallet.domain.Limits.MAX_STORED_LOTS + " lots");
                    }
                }
                case "account_not_found" -> {
                    boolean created = commits.subList(0, span.fromCommit()).stream()
                            .anyMatch(c -> c.before() == null && c.after().id().value().equals(account));
                    if (created) {
                        anomalies.add("#" + step.id() + " (" + step.action() + ") was refused account_not_found, but the account was "
                                + "created before it began");
                    }
                }
                case "hold_expired" -> {
                    String holdId = switch (step.action()) {
                        case Action.Capture c -> holdMadeBy(c.holdOf(), outcomes);
                        case Action.Release r -> holdMadeBy(r.holdOf(), outcomes);
                        default -> null;
                    };
                    PendingHold hold = holdId == null ? null : commits.stream().map(c -> c.after().holds().get(holdId))
                            .filter(h -> h != null).findFirst().orElse(null);
                    if (hold != null && span.answeredAt().isBefore(hold.expiresAt())) {
                        anomalies.add("#" + step.id() + " (" + step.action() + ") was refused hold_expired at " + span.answeredAt()
                                + ", but the hold expires at " + hold.expiresAt());
                    }
                }
                default -> {
                }
            }
        }
        return anomalies;
    }

    private static String holdMadeBy(int step, Map<Integer, Outcome> outcomes) {
        Outcome made = outcomes.get(step);
        return made == null ? null : made.field("hold");
    }

    /** The account as it stood at the launch, and after each of its writes until the answer. */
    private static List<Account> states(String account, Span span, List<Commit> commits) {
        List<Account> states = new ArrayList<>();
        for (int i = span.fromCommit() - 1; i >= 0; i--) {
            if (commits.get(i).after().id().value().equals(account)) {
                states.add(commits.get(i).after());
                break;
            }
        }
        for (int i = span.fromCommit(); i < span.toCommit() && i < commits.size(); i++) {
            if (commits.get(i).after().id().value().equals(account)) {
                states.add(commits.get(i).after());
            }
        }
        return states;
    }
}
