package com.tokenwallet.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A calendar period is a UTC month: it starts at its first instant and ends (exclusive) at the next month's. */
class PeriodTest {

    @ParameterizedTest(name = "{0} is in {1}")
    @CsvSource({
            "2026-11-01T00:00:00Z,           2026-11, 2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z",
            "2026-11-30T23:59:59.999999999Z, 2026-11, 2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z",
            "2026-11-15T12:34:56Z,           2026-11, 2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z",
            "2026-12-01T00:00:00Z,           2026-12, 2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "2026-12-31T23:59:59.999Z,       2026-12, 2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "2027-01-01T00:00:00Z,           2027-01, 2027-01-01T00:00:00Z, 2027-02-01T00:00:00Z",
            "2028-02-29T12:00:00Z,           2028-02, 2028-02-01T00:00:00Z, 2028-03-01T00:00:00Z",
            "2027-02-28T23:59:59Z,           2027-02, 2027-02-01T00:00:00Z, 2027-03-01T00:00:00Z",
            "2028-03-01T00:00:00Z,           2028-03, 2028-03-01T00:00:00Z, 2028-04-01T00:00:00Z",
    })
    void calendarMonthOf_isTheUtcMonthOfTheInstant(Instant instant, String id, Instant startsAt, Instant endsAt) {
        Period period = Period.calendarMonthOf(instant);

        assertThat(period).isEqualTo(new Period(id, startsAt, endsAt));
        assertThat(period.contains(instant)).isTrue();
    }

    @Test
    void calendarMonthOf_usesUtc_notTheLocalZone() {
        // 23:30 on 31 January in New York is already February in UTC.
        Instant instant = Instant.parse("2027-02-01T04:30:00Z");

        assertThat(Period.calendarMonthOf(instant).id()).isEqualTo("2027-02");
    }

    @Test
    void leapFebruary_has29Days_andCommonFebruary28() {
        Period leap = Period.calendarMonthOf(Instant.parse("2028-02-10T00:00:00Z"));
        Period common = Period.calendarMonthOf(Instant.parse("2027-02-10T00:00:00Z"));

        assertThat(java.time.Duration.between(leap.startsAt(), leap.endsAt()).toDays()).isEqualTo(29);
        assertThat(java.time.Duration.between(common.startsAt(), common.endsAt()).toDays()).isEqualTo(28);
    }

    @Test
    void contains_includesTheStart_andExcludesTheEnd() {
        Period november = Period.calendarMonthOf(Instant.parse("2026-11-10T00:00:00Z"));

        assertThat(november.contains(Instant.parse("2026-11-01T00:00:00Z"))).isTrue();
        assertThat(november.contains(Instant.parse("2026-10-31T23:59:59.999999999Z"))).isFalse();
        assertThat(november.contains(Instant.parse("2026-12-01T00:00:00Z"))).isFalse();
        assertThat(november.contains(Instant.parse("2026-11-30T23:59:59.999999999Z"))).isTrue();
    }

    @Test
    void periodThatEndsBeforeOrWhenItStarts_isRefused() {
        Instant t = Instant.parse("2026-11-01T00:00:00Z");

        assertThatThrownBy(() -> new Period("x", t, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Period("x", t, t.minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
