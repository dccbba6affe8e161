package com.tokenwallet.domain.account;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The period an allowance belongs to: a calendar month in UTC ({@code 2026-11}) for accounts without a Stripe
 * subscription, the subscription's billing period for those with one. {@code endsAt} is exclusive.
 */
public record Period(String id, Instant startsAt, Instant endsAt) {
    public Period {
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("period " + id + " ends before it starts");
        }
    }

    public static Period calendarMonthOf(Instant instant) {
        YearMonth month = YearMonth.from(instant.atOffset(ZoneOffset.UTC));
        return new Period(month.toString(),
                month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(startsAt) && instant.isBefore(endsAt);
    }
}
