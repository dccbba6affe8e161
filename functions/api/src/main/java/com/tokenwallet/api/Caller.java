package com.tokenwallet.api;

import com.tokenwallet.domain.account.AccountId;
import java.util.Set;

/**
 * Who is calling, as API Gateway's JWT authorizer established it: the token's {@code sub} and scopes.
 * The rules of SPEC section 3: {@code wallet:read} reaches the caller's own account only,
 * {@code wallet:charge} charges and reads any account, {@code wallet:admin} reaches everything.
 */
public record Caller(String subject, Set<String> scopes) {
    public static final String READ = "wallet:read";
    public static final String CHARGE = "wallet:charge";
    public static final String ADMIN = "wallet:admin";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean isAdmin() {
        return scopes.contains(ADMIN);
    }

    public boolean canCharge() {
        return isAdmin() || scopes.contains(CHARGE);
    }

    public boolean owns(AccountId accountId) {
        return scopes.contains(READ) && subject.equals(accountId.value());
    }

    /** Reads of an account: its owner with wallet:read, or a trusted backend. */
    public void requireRead(AccountId accountId) {
        if (!canCharge() && !owns(accountId)) {
            throw ApiProblem.forbidden(scopes.contains(READ)
                    ? "A wallet:read token reaches its own account only."
                    : "This route needs wallet:read (own account), wallet:charge or wallet:admin.");
        }
    }

    /** Charging routes: wallet:charge or wallet:admin. */
    public void requireCharge() {
        if (!canCharge()) {
            throw ApiProblem.forbidden("This route needs the wallet:charge scope.");
        }
    }

    /** Any of the wallet's scopes (for example the catalog). */
    public void requireAnyWalletScope() {
        if (!canCharge() && !scopes.contains(READ)) {
            throw ApiProblem.forbidden("This route needs wallet:read, wallet:charge or wallet:admin.");
        }
    }
}
