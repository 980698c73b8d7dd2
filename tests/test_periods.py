"""Legal time counting (regtrack.periods): worked cases for each paragraph of Reg. 1182/71 Art. 3
and the ICO practice, and properties that must hold for any event and period."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from regtrack.dates import parse_period
from regtrack.periods import Rulebook, count, working_days

PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
FR = working_days("FR")


def due(
    at: str,
    period: str,
    region: str = "FR",
    rules: Rulebook = Rulebook.EU,
    zone: ZoneInfo = PARIS,
    conservative: bool = False,
) -> str:
    event = dt.datetime.fromisoformat(at).replace(tzinfo=zone)
    counted = count(event, parse_period(period), rules, working_days(region), conservative)
    return counted.due.isoformat()


@pytest.mark.parametrize(
    ("at", "period", "region", "expected", "why"),
    [
        # 3(1): the day of the event is not counted; 3(2)(b): ends at the end of the last day
        ("2026-06-01T14:00", "P3D", "FR", "2026-06-04T23:59:59+02:00", "3(1) days"),
        ("2026-06-01T23:59", "P1D", "FR", "2026-06-02T23:59:59+02:00", "just before midnight"),
        ("2026-06-02T00:01", "P1D", "FR", "2026-06-03T23:59:59+02:00", "just after midnight"),
        # 3(1), 3(2)(a): the hour of the event is not counted
        ("2026-06-01T10:17", "PT24H", "FR", "2026-06-02T11:00:00+02:00", "3(1) hours"),
        ("2026-06-01T10:00", "PT1H", "FR", "2026-06-01T12:00:00+02:00", "event on the hour"),
        ("2026-06-01T23:59", "PT1H", "FR", "2026-06-02T01:00:00+02:00", "hours across midnight"),
        # hours are elapsed hours across daylight-saving changes, both ways
        ("2026-03-28T10:17", "PT24H", "FR", "2026-03-29T12:00:00+02:00", "spring forward"),
        ("2026-10-24T10:17", "PT24H", "FR", "2026-10-25T10:00:00+01:00", "fall back"),
        (
            "2026-03-27T10:17",
            "PT72H",
            "FR",
            "2026-03-30T12:00:00+02:00",
            "72 hours over the change",
        ),
        # 3(2)(c): same date or weekday; last day of the month when the date does not exist
        ("2026-03-16T09:00", "P1M", "FR", "2026-04-16T23:59:59+02:00", "3(2)(c) month"),
        ("2026-06-03T09:00", "P2W", "FR", "2026-06-17T23:59:59+02:00", "3(2)(c) weeks"),
        ("2028-01-31T09:00", "P1M", "FR", "2028-02-29T23:59:59+01:00", "month end, leap year"),
        ("2028-02-29T09:00", "P1Y", "FR", "2029-02-28T23:59:59+01:00", "29 February plus a year"),
        ("2027-01-31T09:00", "P3M", "FR", "2027-04-30T23:59:59+02:00", "31 to a 30-day month"),
        # 3(4): a last day on a Saturday, Sunday or public holiday moves to the next working day
        ("2026-01-31T10:00", "P1M", "FR", "2026-03-02T23:59:59+01:00", "28 Feb is a Saturday"),
        ("2026-01-15T10:00", "P1M", "FR", "2026-02-16T23:59:59+01:00", "15 Feb is a Sunday"),
        ("2026-04-30T10:00", "P1D", "FR", "2026-05-04T23:59:59+02:00", "1 May, FR holiday"),
        ("2026-01-05T10:00", "P1D", "DE-BY", "2026-01-07T23:59:59+01:00", "Epiphany in Bavaria"),
        ("2026-01-05T10:00", "P1D", "FR", "2026-01-06T23:59:59+01:00", "Epiphany is not French"),
        ("2026-07-13T10:00", "P1D", "FR", "2026-07-15T23:59:59+02:00", "14 July"),
        # 3(5): two days or more include at least two working days
        ("2026-12-24T10:00", "P2D", "FR", "2026-12-29T23:59:59+01:00", "Christmas weekend"),
        ("2026-04-29T12:00", "P2D", "FR", "2026-05-04T23:59:59+02:00", "two working days already"),
        # working days (3(3) "expressed in working days")
        ("2026-07-10T09:00", "10wd", "FR", "2026-07-27T23:59:59+02:00", "14 July skipped"),
    ],
)
def test_worked_cases_eu(at: str, period: str, region: str, expected: str, why: str) -> None:
    assert due(at, period, region) == expected, why


@pytest.mark.parametrize(
    ("at", "period", "expected", "why"),
    [
        ("2026-09-03T10:00", "P1M", "2026-10-05T23:59:59+01:00", "3 Oct is a Saturday"),
        ("2026-08-03T10:00", "P1M", "2026-09-03T23:59:59+01:00", "corresponding date"),
        ("2026-01-31T10:00", "P1M", "2026-03-02T23:59:59+00:00", "no 31 Feb, 28 Feb a Saturday"),
        (
            "2026-11-25T10:00",
            "P1M",
            "2026-12-29T23:59:59+00:00",
            "Christmas and Boxing Day observed",
        ),
        ("2026-06-19T10:00", "P30D", "2026-07-20T23:59:59+01:00", "19 July is a Sunday"),
        ("2026-06-01T10:17", "PT72H", "2026-06-04T10:17:00+01:00", "hours elapsed from awareness"),
    ],
)
def test_worked_cases_uk(at: str, period: str, expected: str, why: str) -> None:
    assert due(at, period, "GB-ENG", Rulebook.UK, LONDON) == expected, why


def test_conservative_is_the_earliest_defensible_instant() -> None:
    assert due("2026-06-01T10:17", "PT72H", conservative=True) == "2026-06-04T10:17:00+02:00"
    assert due("2026-01-15T10:00", "P1M", conservative=True) == "2026-02-15T23:59:59+01:00"


def test_without_a_country_only_weekends_move_the_date() -> None:
    assert due("2026-04-30T10:00", "P1D", region="") == "2026-05-01T23:59:59+02:00"
    counted = count(dt.datetime(2026, 4, 30, 10, tzinfo=PARIS), parse_period("P1D"), Rulebook.EU)
    assert "public holidays not applied" in counted.rule


def test_every_result_names_its_rule() -> None:
    counted = count(
        dt.datetime(2026, 1, 31, 10, tzinfo=PARIS), parse_period("P1M"), Rulebook.EU, FR
    )
    assert counted.steps == (
        "Reg. (EEC, Euratom) No 1182/71, Art. 3(1): the day of the event (Sat 2026-01-31) is not counted",
        "Art. 3(2)(c): day 31 does not exist in that month: ends on its last day (Sat 2026-02-28)",
        "Art. 3(4): 2026-02-28 is Saturday; the period ends on the next working day, Mon 2026-03-02",
    )


def test_unknown_regions_and_naive_events_are_refused() -> None:
    with pytest.raises(ValueError, match="XX"):
        working_days("XX")
    with pytest.raises(ValueError, match="time zone"):
        count(dt.datetime(2026, 1, 1), parse_period("P1D"), Rulebook.EU)  # noqa: DTZ001


# -- properties ---------------------------------------------------------------------------------

ZONES = st.sampled_from(
    [PARIS, LONDON, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"), dt.UTC]
)
EVENTS = st.builds(
    lambda day, minutes, zone: (
        dt.datetime.combine(day, dt.time()).replace(tzinfo=zone) + dt.timedelta(minutes=minutes)
    ),
    st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    st.integers(0, 24 * 60 - 1),
    ZONES,
)
DAY_PERIODS = st.one_of(
    st.integers(1, 400).map(lambda n: f"P{n}D"),
    st.integers(1, 60).map(lambda n: f"P{n}W"),
    st.integers(1, 36).map(lambda n: f"P{n}M"),
    st.integers(1, 5).map(lambda n: f"P{n}Y"),
)
REGIONS = st.sampled_from(["", "FR", "DE-BY", "GB-ENG", "IE"])


@settings(max_examples=300, deadline=None)
@given(EVENTS, DAY_PERIODS, REGIONS, st.sampled_from(list(Rulebook)))
def test_day_periods(event: dt.datetime, text: str, region: str, rules: Rulebook) -> None:
    period = parse_period(text)
    calendar = working_days(region)
    counted = count(event, period, rules, calendar)
    earliest = count(event, period, rules, calendar, conservative=True)
    last = counted.due.date()
    # ends at the last second of a local day, after the event's day, never before the plain date
    assert (counted.due.hour, counted.due.minute, counted.due.second) == (23, 59, 59)
    plain = event.date() + relativedelta(
        years=period.years, months=period.months, weeks=period.weeks, days=period.days
    )
    assert earliest.due.date() == plain
    assert last >= plain > event.date()
    # 3(4): the period ends on a working day; 3(5): two days or more hold two working days
    assert calendar.is_working(last)
    if rules is Rulebook.EU and (plain - event.date()).days >= 2:
        days = [
            event.date() + dt.timedelta(days=i) for i in range(1, (last - event.date()).days + 1)
        ]
        assert sum(calendar.is_working(d) for d in days) >= 2
    # the roll-forward never jumps further than a run of non-working days
    assert (last - plain).days <= 14


@settings(max_examples=300, deadline=None)
@given(EVENTS, st.integers(1, 200), st.sampled_from(list(Rulebook)))
def test_hour_periods_are_elapsed_time(event: dt.datetime, hours: int, rules: Rulebook) -> None:
    period = parse_period(f"PT{hours}H")
    counted = count(event, period, rules)
    earliest = count(event, period, rules, conservative=True)
    span = counted.due.astimezone(dt.UTC) - event.astimezone(dt.UTC)
    assert earliest.due.astimezone(dt.UTC) - event.astimezone(dt.UTC) == dt.timedelta(hours=hours)
    assert dt.timedelta(hours=hours) <= span <= dt.timedelta(hours=hours + 1)
    assert counted.due.tzinfo is event.tzinfo


@settings(max_examples=200, deadline=None)
@given(EVENTS, st.integers(1, 30), DAY_PERIODS, REGIONS)
def test_a_later_event_never_ends_earlier(
    event: dt.datetime, later: int, text: str, region: str
) -> None:
    period, calendar = parse_period(text), working_days(region)
    first = count(event, period, Rulebook.EU, calendar).due
    second = count(event + dt.timedelta(days=later), period, Rulebook.EU, calendar).due
    if text.endswith("D") or text.endswith("W"):
        assert second >= first
