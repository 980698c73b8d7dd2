"""Windows, durations and horizons (regtrack.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regtrack.dates import (
    add_duration,
    days_in_month,
    describe_duration,
    first_occurrence,
    occurrences,
    parse_day,
    parse_duration,
    parse_horizon,
    parse_rrule,
    parse_window,
)
from regtrack.models import Precision


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2026-08-02", "2026-08-02", "2026-08-02", Precision.DAY),
        ("2026-06", "2026-06-01", "2026-06-30", Precision.MONTH),
        ("2028-02", "2028-02-01", "2028-02-29", Precision.MONTH),
        ("2026-Q2", "2026-04-01", "2026-06-30", Precision.QUARTER),
        ("2026-q4", "2026-10-01", "2026-12-31", Precision.QUARTER),
        ("2027", "2027-01-01", "2027-12-31", Precision.YEAR),
    ],
)
def test_window_spans_first_to_last_day(
    text: str, start: str, end: str, precision: Precision
) -> None:
    window = parse_window(text)
    assert (window.start.isoformat(), window.end.isoformat()) == (start, end)
    assert window.precision is precision


def test_quarter_keeps_its_canonical_spelling() -> None:
    assert parse_window("2026-q2").text == "2026-Q2"


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2026-Q5",
        "2026-Q0",
        "2026-13",
        "26-01-01",
        "2026/01/01",
        "",
        "soon",
        "\u0662\u0660\u0662\u0666-08-02",  # Arabic-Indic digits: int() reads them, we do not
        "\uff12\uff10\uff12\uff17",  # fullwidth 2027
    ],
)
def test_impossible_windows_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_window(text)


@given(st.integers(1, 9999), st.integers(1, 12))
def test_days_in_month_matches_the_calendar_module(year: int, month: int) -> None:
    import calendar

    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]


def test_parse_day_refuses_non_dates() -> None:
    assert parse_day("2024-02-29") == dt.date(2024, 2, 29)
    with pytest.raises(ValueError, match="not a real calendar date"):
        parse_day("2025-02-29")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("PT72H", {"hours": 72}),
        ("P1M", {"months": 1}),
        ("P2W", {"weeks": 2}),
        ("P1Y6M", {"years": 1, "months": 6}),
        ("P15D", {"days": 15}),
        ("P1DT12H", {"days": 1, "hours": 12}),
    ],
)
def test_iso_durations(text: str, parts: dict[str, int]) -> None:
    duration = parse_duration(text)
    for name, value in parts.items():
        assert getattr(duration, name) == value


@pytest.mark.parametrize("text", ["P", "PT", "72h", "P1.5M", "P-1D", "1M", "P1H"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_horizons_accept_short_and_iso_forms() -> None:
    start = dt.date(2026, 1, 31)
    assert add_duration(start, parse_horizon("90d")) == dt.date(2026, 5, 1)
    assert add_duration(start, parse_horizon("2w")) == dt.date(2026, 2, 14)
    assert add_duration(start, parse_horizon("1m")) == dt.date(
        2026, 2, 28
    )  # end of a shorter month
    assert add_duration(start, parse_horizon("1y")) == dt.date(2027, 1, 31)
    assert add_duration(start, parse_horizon("P90D")) == dt.date(2026, 5, 1)


@pytest.mark.parametrize("text", ["PT12H", "ninety days", "-5d", "10x"])
def test_bad_horizons_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_horizon(text)


def test_durations_read_as_words() -> None:
    assert describe_duration(parse_duration("PT72H")) == "72 hours"
    assert describe_duration(parse_duration("P1M")) == "1 month"


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 31),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
    st.integers(0, 3000),
)
def test_the_yearly_fast_path_matches_dateutil(
    month: int, day: int, start: dt.date, first: dt.date, span: int
) -> None:
    from dateutil.rrule import rrulestr

    rule = f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
    last = first + dt.timedelta(days=span)
    expected = [
        moment.date()
        for moment in rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time())).between(
            dt.datetime.combine(max(first, start), dt.time()),
            dt.datetime.combine(last, dt.time()),
            inc=True,
        )
    ]
    assert occurrences(rule, start, first, last) == expected


RULES = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY"])},
    optional={
        "INTERVAL": st.sampled_from(["1", "2", "3", "7", "13"]),
        "BYMONTH": st.sampled_from(["1", "2", "3,9", "12"]),
        "BYMONTHDAY": st.sampled_from(["1", "15", "29", "31", "-1", "1,10,20"]),
        "BYDAY": st.sampled_from(["MO", "MO,TU,WE,TH,FR", "SA,SU", "1MO", "-1FR", "2TU"]),
        "BYSETPOS": st.sampled_from(["1", "-1", "2"]),
        "COUNT": st.sampled_from(["1", "5", "40"]),
        "UNTIL": st.sampled_from(["20270315", "20300101T120000"]),
        "WKST": st.sampled_from(["MO", "SU"]),
    },
)


@settings(max_examples=400, deadline=None)
@given(
    RULES,
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
    st.integers(0, 1500),
)
def test_occurrences_are_dateutils_own(
    parts: dict[str, str], start: dt.date, first: dt.date, span: int
) -> None:
    # The days are dateutil's for the rule as written, although regtrack walks it moved by
    # 400-year cycles (dates._walk): the calendar repeats, so the days must too.
    from dateutil.rrule import rrulestr

    rule = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        checked = parse_rrule(rule, start)
    except ValueError:
        return  # refused: an error, never an expansion
    last = first + dt.timedelta(days=span)
    direct = rrulestr(checked, dtstart=dt.datetime.combine(start, dt.time()))
    expected = [
        moment.date()
        for moment in direct.between(
            dt.datetime.combine(max(first, start), dt.time()),
            dt.datetime.combine(last, dt.time()),
            inc=True,
        )
    ]
    assert occurrences(checked, start, first, last) == expected


def test_a_rule_that_never_occurs_is_refused_with_bounded_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # dateutil's search for the next day goes period by period to the year 9999: ~2.9 million
    # steps for a daily rule that matches nothing (4.6 s, issue 24). Counted, not timed.
    from dateutil import rrule

    steps = 0
    original = rrule._iterinfo.ddayset

    def counted(self: object, *args: int) -> object:
        nonlocal steps
        steps += 1
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(rrule._iterinfo, "ddayset", counted)
    with pytest.raises(ValueError, match="falls on no day from 2026-01-01 to 2036-01-01"):
        parse_rrule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", dt.date(2026, 1, 1))
    assert 0 < steps <= (400 + 10) * 366
    steps = 0
    days = occurrences("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", dt.date(2026, 1, 1),
                       dt.date(2026, 1, 1), dt.date(2027, 1, 1))  # fmt: skip
    assert days == [] and 0 < steps <= (400 + 1) * 366
    assert first_occurrence("FREQ=DAILY;BYDAY=MO", dt.date(2026, 12, 1), dt.date(2027, 1, 1)) == (
        dt.date(2026, 12, 7)
    )


@settings(max_examples=500, deadline=None)
@given(
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
    st.integers(0, 50),
    st.integers(0, 400),
    st.integers(0, 60),
    st.integers(0, 400),
)
def test_add_duration_matches_relativedelta(
    day: dt.date, years: int, months: int, weeks: int, days: int
) -> None:
    from dateutil.relativedelta import relativedelta

    from regtrack.models import Duration

    expected = day + relativedelta(years=years, months=months, weeks=weeks, days=days)
    assert add_duration(day, Duration("P", years, months, weeks, days)) == expected
