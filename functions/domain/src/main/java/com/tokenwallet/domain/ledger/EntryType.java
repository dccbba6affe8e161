package com.tokenwallet.domain.ledger;

import java.util.Arrays;

/** The kinds of ledger entry of SPEC 3.1, with their wire names. */
public enum EntryType {
    SIGNUP_GRANT, DEBIT, HOLD, CAPTURE, RELEASE, EXPIRY, REFUND, PURCHASE, PLAN_RESET, GRANT, ADJUSTMENT, CLAWBACK,
    /** An admin set a bucket's credit limit (issue 15): amount 0, the reason, metadata {@code admin}, {@code previousCreditLimit}, {@code creditLimit}. */
    CREDIT_LIMIT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static EntryType fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown ledger entry type " + name));
    }
}
