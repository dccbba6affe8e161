package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import java.util.Optional;

/** The quota reset job's half of the period change: the same rule the lazy path applies in every write. */
final class PeriodRollover {
    private final AccountWriter writer;

    PeriodRollover(AccountWriter writer) {
        this.writer = writer;
    }

    boolean rollOverIfDue(Account seen) {
        return writer.writeWithoutKey(seen.id(), Optional.of(seen), (stored, now, prepared) ->
                stored.calendarPeriodEndedBy(now) ? Optional.of(prepared) : Optional.empty()).isPresent();
    }
}
