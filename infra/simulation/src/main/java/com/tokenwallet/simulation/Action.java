package com.tokenwallet.simulation;

/**
 * One operation of a history, as a client (or a job, or the clock) asks for it. Requests that carry an
 * Idempotency-Key carry it here, so a duplicate of a request is the same action again. Holds and transactions made
 * earlier in the history are named by the step that made them ({@code holdOf}, {@code chargeOf}), resolved when the
 * step runs from what that step was answered.
 */
sealed interface Action {

    /** The account the action is about (empty for jobs and the clock). */
    String account();

    /** The request's Idempotency-Key, or null for an action that carries none. */
    static String keyOf(Action action) {
        return switch (action) {
            case Debit a -> a.key();
            case Hold a -> a.key();
            case Capture a -> a.key();
            case Release a -> a.key();
            case Refund a -> a.key();
            case Grant a -> a.key();
            case Adjust a -> a.key();
            case PlanChange a -> a.key();
            case CreditLimit a -> a.key();
            default -> null;
        };
    }

    record Open(String account) implements Action {
        public String toString() {
            return "open " + account;
        }
    }

    record Debit(String account, String key, String operation) implements Action {
        public String toString() {
            return "debit " + account + " " + operation + " key=" + key;
        }
    }

    record Hold(String account, String key, String operation, long ttlSeconds) implements Action {
        public String toString() {
            return "hold " + account + " " + operation + " ttl=" + ttlSeconds + "s key=" + key;
        }
    }

    /** {@code amount} 0: the whole hold. */
    record Capture(String account, String key, int holdOf, long amount) implements Action {
        public String toString() {
            return "capture " + account + " hold-of-#" + holdOf + (amount == 0 ? "" : " amount=" + amount) + " key=" + key;
        }
    }

    record Release(String account, String key, int holdOf) implements Action {
        public String toString() {
            return "release " + account + " hold-of-#" + holdOf + " key=" + key;
        }
    }

    /** {@code amount} 0: all that is left. */
    record Refund(String account, String key, int chargeOf, long amount) implements Action {
        public String toString() {
            return "refund " + account + " charge-of-#" + chargeOf + (amount == 0 ? "" : " amount=" + amount) + " key=" + key;
        }
    }

    /** A read: the balance, a quote, or the first ledger page. */
    record Read(String account, String what) implements Action {
        public String toString() {
            return "read " + what + " " + account;
        }
    }

    /**
     * An operator grants tokens; with any of {@code expiresAt}, {@code priority}, {@code costBasis} (each may be null)
     * they are a lot of their own (issue 15), else unlotted purchased tokens.
     */
    record Grant(String account, String key, String bucket, long amount, java.time.Instant expiresAt, Integer priority,
                 java.math.BigDecimal costBasis) implements Action {
        boolean storesLot() {
            return expiresAt != null || priority != null || costBasis != null;
        }

        public String toString() {
            return "admin grant " + account + " " + amount + " " + bucket + (expiresAt == null ? "" : " expiresAt=" + expiresAt)
                    + (priority == null ? "" : " priority=" + priority) + (costBasis == null ? "" : " costBasis=" + costBasis.toPlainString())
                    + " key=" + key;
        }
    }

    record Adjust(String account, String key, String bucket, boolean purchased, long amount) implements Action {
        public String toString() {
            return "admin adjust " + account + " " + (amount > 0 ? "+" : "") + amount + " " + bucket + "."
                    + (purchased ? "purchased" : "allowance") + " key=" + key;
        }
    }

    record PlanChange(String account, String key, String plan, boolean resetNow) implements Action {
        public String toString() {
            return "admin plan " + account + " -> " + plan + (resetNow ? " (allowance now)" : "") + " key=" + key;
        }
    }

    /** An operator sets how far below zero charges may take a bucket (issue 15): debits beyond its lots become debt. */
    record CreditLimit(String account, String key, String bucket, long limit) implements Action {
        public String toString() {
            return "admin credit limit " + account + " " + bucket + " = " + limit + " key=" + key;
        }
    }

    /**
     * Checkout for a package: the offer stored before Stripe is called (its id derives from the account and the key;
     * the same key again finds the same offer). Its key is not a wallet Idempotency-Key: nothing is written to the account.
     */
    record Checkout(String account, String key, String packageId) implements Action {
        public String toString() {
            return "checkout " + account + " " + packageId + " key=" + key;
        }
    }

    /** An operator settles an owed payment: {@code credit} {@code tokens} to {@code bucket}, or {@code refunded}. */
    record SettleOwed(String account, String paymentId, boolean credit, String bucket, long tokens) implements Action {
        public String toString() {
            return "admin settle owed " + account + " " + paymentId + (credit ? " credit " + tokens + " " + bucket : " refunded");
        }
    }

    /** A Stripe event delivered to the webhook (the same event may be delivered more than once). */
    record Stripe(String account, StripeEvent event) implements Action {
        public String toString() {
            return "stripe " + event + " for " + account;
        }
    }

    /** The hold-expiry sweep. */
    record Sweep() implements Action {
        public String account() {
            return "";
        }

        public String toString() {
            return "hold sweep";
        }
    }

    /** The monthly quota reset job (each segment looped on its cursor, as the state machine does). */
    record Reset() implements Action {
        public String account() {
            return "";
        }

        public String toString() {
            return "quota reset";
        }
    }

    /** The clock moves on (a big jump may cross a period end). */
    record Clock(long seconds) implements Action {
        public String account() {
            return "";
        }

        public String toString() {
            return "clock +" + seconds + "s";
        }
    }
}
