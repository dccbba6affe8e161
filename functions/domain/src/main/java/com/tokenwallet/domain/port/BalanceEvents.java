package com.tokenwallet.domain.port;

import com.tokenwallet.domain.events.BalanceEvent;
import java.util.List;

/**
 * Where balance events go: EventBridge in AWS, a log line locally. Called after the write that caused them
 * committed; a failure to publish is the implementation's to report (the write stands either way).
 */
public interface BalanceEvents {
    void publish(List<BalanceEvent> events);
}
