package com.tokenwallet.eventbridge;

import com.tokenwallet.domain.events.BalanceEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code detail} of a balance event, the same in EventBridge and in the local log line: the account, the
 * bucket, the line crossed and the available tokens on either side of it. Nothing else of the account (no
 * e-mail address: a consumer that wants to write to the user looks the account up in its own records).
 */
public final class BalanceEventJson {
    /** EventBridge's {@code source} of every wallet event. */
    public static final String SOURCE = "token-wallet";

    private BalanceEventJson() {
    }

    public static Map<String, Object> detail(BalanceEvent event) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("accountId", event.accountId().value());
        detail.put("bucket", event.bucket());
        detail.put("threshold", event.threshold());
        detail.put("availableBefore", event.availableBefore());
        detail.put("availableAfter", event.availableAfter());
        detail.put("accountVersion", event.version());
        detail.put("occurredAt", event.occurredAt().toString());
        return detail;
    }
}
