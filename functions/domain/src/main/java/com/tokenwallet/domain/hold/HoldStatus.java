package com.tokenwallet.domain.hold;

import java.util.Locale;

/** Where a hold stands; every status but {@code PENDING} is final. */
public enum HoldStatus {
    PENDING, CAPTURED, RELEASED, EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HoldStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
