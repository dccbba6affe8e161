package com.tokenwallet.domain.account;

import java.util.Arrays;
import java.util.Locale;

/** Where a lot's tokens came from, with the wire names of the contract. */
public enum LotSource {
    SIGNUP, PURCHASE, PLAN_ALLOWANCE, ROLLOVER, GRANT, ADJUSTMENT,
    /** Only in a charge's {@code consumed}: the tokens it took on credit, beyond every lot (id {@code credit:<bucket>}); never a stored lot. */
    CREDIT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LotSource fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown lot source " + name));
    }
}
