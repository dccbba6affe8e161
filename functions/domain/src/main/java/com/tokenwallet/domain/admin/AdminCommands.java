package com.tokenwallet.domain.admin;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.idempotency.Idempotency;
import java.util.Objects;
import java.util.Optional;

/**
 * The commands of SPEC 3.4, each valid once constructed. Every one names the admin who gives it (the token's
 * {@code sub}) and the reason, which go into the ledger entry it writes, so the account's history says who changed
 * it and why. The Idempotency-Key is optional on admin routes: with one, the change happens once and replays
 * answer the first response; without, each call applies it again (an operator clicking twice grants twice).
 */
public final class AdminCommands {
    /** The longest admin {@code sub} written into a ledger entry (as metadata, whose values are bounded so). */
    public static final int MAX_ADMIN_LENGTH = Limits.MAX_METADATA_VALUE_LENGTH;
    /** No part of a bucket is made larger than this by an admin: far above any real balance, far below overflow. */
    public static final long MAX_BALANCE_TOKENS = 1_000_000_000_000_000L;

    private AdminCommands() {
    }

    /** Which part of a bucket a signed adjustment changes. */
    public enum Part {
        PURCHASED, ALLOWANCE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Part fromWireName(String name) {
            for (Part p : values()) {
                if (p.wireName().equals(name)) {
                    return p;
                }
            }
            throw new InvalidRequestException("part", "'part' must be 'purchased' or 'allowance'.");
        }
    }

    /** Adds {@code amount} tokens to a bucket's purchased part (they persist across periods). */
    public record Grant(AccountId accountId, String bucket, long amount, String reason, String admin,
                        Optional<Idempotency> idempotency, LotTerms terms) {
        public Grant {
            Objects.requireNonNull(accountId, "accountId");
            requireBucketName(bucket);
            if (amount < 1 || amount > Limits.MAX_AMOUNT_TOKENS) {
                throw new InvalidRequestException("amount", "'amount' must be a whole number from 1 to " + Limits.MAX_AMOUNT_TOKENS + ".");
            }
            requireReason(reason);
            requireAdmin(admin);
            idempotency = idempotency == null ? Optional.empty() : idempotency;
            terms = terms == null ? LotTerms.NONE : terms;
        }

        /** A grant without lot terms: its tokens join the bucket's unlotted purchased tokens, as before lots. */
        public Grant(AccountId accountId, String bucket, long amount, String reason, String admin, Optional<Idempotency> idempotency) {
            this(accountId, bucket, amount, reason, admin, idempotency, LotTerms.NONE);
        }
    }

    /**
     * The optional terms of a granted lot. A grant that sets any of them stores a lot of source {@code grant};
     * {@code costBasis} is in minor currency units per token, at most 6 decimal places.
     */
    public record LotTerms(Optional<java.time.Instant> expiresAt, Optional<Integer> priority, Optional<java.math.BigDecimal> costBasis) {
        public static final LotTerms NONE = new LotTerms(Optional.empty(), Optional.empty(), Optional.empty());
        public static final int MAX_COST_BASIS_SCALE = 6;

        public LotTerms {
            expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
            priority = priority == null ? Optional.empty() : priority;
            costBasis = costBasis == null ? Optional.empty() : costBasis;
            if (priority.isPresent() && (priority.get() < com.tokenwallet.domain.account.Lot.MIN_PRIORITY
                    || priority.get() > com.tokenwallet.domain.account.Lot.MAX_PRIORITY)) {
                throw new InvalidRequestException("priority", "'priority' must be a whole number from 0 to 100.");
            }
            if (costBasis.isPresent() && (costBasis.get().signum() < 0
                    || costBasis.get().stripTrailingZeros().scale() > MAX_COST_BASIS_SCALE
                    || costBasis.get().compareTo(java.math.BigDecimal.valueOf(1_000_000)) > 0)) {
                throw new InvalidRequestException("costBasis", "'costBasis' must be a number from 0 to 1000000 with at most "
                        + MAX_COST_BASIS_SCALE + " decimal places.");
            }
        }

        public boolean storesLot() {
            return expiresAt.isPresent() || priority.isPresent() || costBasis.isPresent();
        }
    }

    /**
     * Adds (positive) or takes away (negative) tokens of one part of a bucket, {@code purchased} unless said
     * otherwise. Taking away never leaves the part below zero nor the bucket below what its pending holds need.
     */
    public record Adjustment(AccountId accountId, String bucket, long amount, Part part, String reason, String admin,
                             Optional<Idempotency> idempotency) {
        public Adjustment {
            Objects.requireNonNull(accountId, "accountId");
            requireBucketName(bucket);
            if (amount == 0 || amount < -Limits.MAX_AMOUNT_TOKENS || amount > Limits.MAX_AMOUNT_TOKENS) {
                throw new InvalidRequestException("amount", "'amount' must be a whole number from -" + Limits.MAX_AMOUNT_TOKENS
                        + " to " + Limits.MAX_AMOUNT_TOKENS + ", not 0.");
            }
            part = part == null ? Part.PURCHASED : part;
            requireReason(reason);
            requireAdmin(admin);
            idempotency = idempotency == null ? Optional.empty() : idempotency;
        }
    }

    /**
     * Sets a bucket's credit limit (issue 15): how far below zero charges may take its balance, 0 to
     * {@link Limits#MAX_CREDIT_LIMIT}. Refused (409 credit_limit_below_debt) below what the bucket owes or holds on credit.
     */
    public record CreditLimit(AccountId accountId, String bucket, long creditLimit, String reason, String admin,
                              Optional<Idempotency> idempotency) {
        public CreditLimit {
            Objects.requireNonNull(accountId, "accountId");
            requireBucketName(bucket);
            if (creditLimit < 0 || creditLimit > Limits.MAX_CREDIT_LIMIT) {
                throw new InvalidRequestException("creditLimit", "'creditLimit' must be a whole number from 0 to " + Limits.MAX_CREDIT_LIMIT + ".");
            }
            requireReason(reason);
            requireAdmin(admin);
            idempotency = idempotency == null ? Optional.empty() : idempotency;
        }
    }

    /**
     * Moves the account to {@code plan}; with {@code resetAllowance} every bucket's allowance becomes the new plan's
     * at once, else at the next period change. {@code reason} is optional here (SPEC's body has none).
     */
    public record PlanChange(AccountId accountId, String plan, boolean resetAllowance, Optional<String> reason,
                             String admin, Optional<Idempotency> idempotency) {
        public PlanChange {
            Objects.requireNonNull(accountId, "accountId");
            if (plan == null || !Catalog.NAME.matcher(plan).matches()) {
                throw new InvalidRequestException("plan", "'plan' must be a plan id such as 'solo'.");
            }
            reason = reason == null ? Optional.empty() : reason;
            reason.ifPresent(AdminCommands::requireReason);
            requireAdmin(admin);
            idempotency = idempotency == null ? Optional.empty() : idempotency;
        }
    }

    static void requireBucketName(String bucket) {
        if (bucket == null || !Catalog.NAME.matcher(bucket).matches()) {
            throw new InvalidRequestException("bucket", "'bucket' must be a bucket name such as 'credits'.");
        }
    }

    static void requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > Limits.MAX_REASON_LENGTH) {
            throw new InvalidRequestException("reason", "'reason' must be 1 to " + Limits.MAX_REASON_LENGTH + " characters.");
        }
        if (hasControlCharacter(reason)) {
            throw new InvalidRequestException("reason", "'reason' may not contain control characters.");
        }
    }

    /** The admin's {@code sub}, as the authorizer passed it: bounded and printable, since it is written to the ledger. */
    static void requireAdmin(String admin) {
        if (admin == null || admin.isBlank() || admin.length() > MAX_ADMIN_LENGTH || hasControlCharacter(admin)) {
            throw new InvalidRequestException("sub", "The token's sub must be 1 to " + MAX_ADMIN_LENGTH
                    + " printable characters to be written into the ledger.");
        }
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
