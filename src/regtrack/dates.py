"""Windows, precisions and durations: pure functions on dates (python-dateutil only)."""

from __future__ import annotations

import datetime as dt
import re

from regtrack.models import Duration, Precision, Window

# Patterns are compiled by `re` on first use (and kept in its cache), not at import: a command
# that reads no window or duration does not pay for compiling them. Digits are ASCII only:
# `\d` would also take other scripts' digits, which int() would then read.
_DAY = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_MONTH = r"([0-9]{4})-([0-9]{2})"
_QUARTER = r"([0-9]{4})-[Qq]([0-9])"
_YEAR = r"[0-9]{4}"
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The number of days of a month of the proleptic Gregorian calendar (as Python's)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]


WINDOW_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"
# The years regtrack reads dates in. Python's dates end in 9999: with every duration capped at
# MAX_YEARS, no sum of a date and a duration can leave the range Python can hold (a date near
# 9999 in --today, a registry or an event was an internal error, issue 14).
FIRST_YEAR, LAST_YEAR = 1900, 2999
MAX_YEARS = 100


def check_year(year: int, text: str) -> None:
    """ValueError for a year outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")


def parse_day(text: str) -> dt.date:
    """A real calendar day written `YYYY-MM-DD`; ValueError otherwise."""
    match = re.fullmatch(_DAY, text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)")
    year, month, day = (int(g) for g in match.groups())
    check_year(year, text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real calendar date") from None


def parse_window(text: str) -> Window:
    """A date with its precision: `2026-08-02`, `2026-06`, `2026-Q2` or `2027`, as a window."""
    value = text.strip()
    if re.fullmatch(_DAY, value):
        day = parse_day(value)
        return Window(day, day, Precision.DAY, day.isoformat())
    if match := re.fullmatch(_MONTH, value):
        year, month = int(match[1]), int(match[2])
        check_year(year, text)
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a real month")
        last = days_in_month(year, month)
        return Window(dt.date(year, month, 1), dt.date(year, month, last), Precision.MONTH, value)
    if match := re.fullmatch(_QUARTER, value):
        year, quarter = int(match[1]), int(match[2])
        check_year(year, text)
        if not 1 <= quarter <= 4:
            raise ValueError(f"{text!r} is not a real quarter (Q1 to Q4)")
        first_month = 3 * quarter - 2
        last = days_in_month(year, first_month + 2)
        start, end = dt.date(year, first_month, 1), dt.date(year, first_month + 2, last)
        return Window(start, end, Precision.QUARTER, f"{year}-Q{quarter}")
    if re.fullmatch(_YEAR, value):
        year = int(value)
        check_year(year, text)
        return Window(dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR, value)
    raise ValueError(f"{text!r} is not a date (expected {WINDOW_FORMS})")


# ISO 8601 durations (ISO 8601-1:2019 §5.5.2.4), integer parts only: legal periods are whole units.
_ISO_DURATION = (
    r"P(?!$)(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?"
    r"(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?"
)
_SHORT_DURATION = r"([0-9]+)[ \t]*([dwmyDWMY])"
_MAX_PART = 100_000


def parse_duration(text: str) -> Duration:
    """An ISO 8601 duration such as `PT72H`, `P1M`, `P2W` or `P1Y6M`; ValueError otherwise."""
    # ASCII first: str.upper() makes "ſ" an "S" and "ﬀ" "FF", which the schema never would
    value = text.strip().upper() if text.isascii() else ""
    match = re.fullmatch(_ISO_DURATION, value)
    if not match:
        raise ValueError(f"{text!r} is not an ISO 8601 duration (expected e.g. PT72H, P15D, P1M)")
    parts = [int(g) if g else 0 for g in match.groups()]
    if any(p > _MAX_PART for p in parts):
        raise ValueError(f"{text!r} is too long a duration")
    years, months, weeks, days, hours, minutes, seconds = parts
    duration = Duration(value, years, months, weeks, days, hours, minutes, seconds)
    _bounded(duration, text)
    return duration


def _bounded(duration: Duration, text: str) -> None:
    """ValueError for a duration longer than MAX_YEARS (no legal period is)."""
    # a year counts 366 days and a month a twelfth of that, so that P100Y and P1200M are both
    # within the bound, as each part alone is in the JSON Schema (regtrack.parse.grammar)
    days = (
        duration.years * 366
        + duration.months * 30.5
        + duration.weeks * 7
        + duration.days
        + duration.working_days * 7 / 5
        + (duration.hours + duration.minutes / 60 + duration.seconds / 3600) / 24
    )
    if days > MAX_YEARS * 366:
        raise ValueError(f"{text!r} is longer than {MAX_YEARS} years")


def parse_horizon(text: str) -> Duration:
    """How far ahead to look: `90d`, `12w`, `6m`, `1y`, or an ISO 8601 duration of whole days."""
    value = text.strip()
    if match := re.fullmatch(_SHORT_DURATION, value):
        amount, unit = int(match[1]), match[2].lower()
        if amount > _MAX_PART:
            raise ValueError(f"{text!r} is too far ahead")
        key = {"d": "days", "w": "weeks", "m": "months", "y": "years"}[unit]
        horizon = Duration(value, **{key: amount})
        _bounded(horizon, text)
        return horizon
    try:
        duration = parse_duration(value)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a duration (expected Nd, Nw, Nm, Ny or ISO 8601 such as P90D)"
        ) from None
    if duration.hours or duration.minutes or duration.seconds:
        raise ValueError(f"{text!r} must be whole days, weeks, months or years")
    return duration


_WORKING_DAYS = r"([0-9]+)[ \t]*(?:wd|working days?)"


def parse_period(text: str) -> Duration:
    """A period to count: ISO 8601 (`P15D`, `P2W`, `P1M`, `PT48H`) or working days (`30wd`)."""
    value = text.strip()
    if match := re.fullmatch(_WORKING_DAYS, value, re.IGNORECASE):
        amount = int(match[1])
        if not 0 < amount <= _MAX_PART:
            raise ValueError(f"{text!r} is not a usable number of working days")
        period = Duration(f"{amount}wd", working_days=amount)
        _bounded(period, text)
        return period
    try:
        duration = parse_duration(value)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a period (expected ISO 8601 such as P15D, P1M, PT72H, or 30wd)"
        ) from None
    if duration.in_hours and (duration.years or duration.months):
        raise ValueError(f"{text!r} mixes months or years with hours")
    return duration


def parse_lead_time(text: str) -> Duration:
    """How long before an event an alarm fires: `30d`, `2w`, or ISO 8601 (`P30D`, `PT12H`).
    Months and years are refused: RFC 5545 §3.3.6 durations have none."""
    value = text.strip()
    if match := re.fullmatch(_SHORT_DURATION, value):
        amount, unit = int(match[1]), match[2].lower()
        if unit in "my":
            raise ValueError(f"{text!r}: give alarms in days or weeks (e.g. 30d, 4w)")
        lead = Duration(value, **{"days" if unit == "d" else "weeks": amount})
        _bounded(lead, text)
        return lead
    try:
        duration = parse_duration(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a duration (expected e.g. 30d, 2w or P30D)") from None
    if duration.years or duration.months:
        raise ValueError(f"{text!r}: give alarms in days or weeks (e.g. 30d, 4w)")
    return duration


def add_duration(day: dt.date, duration: Duration) -> dt.date:
    """The day `duration` after `day`: years and months first, ending on the month's last day
    when the date does not exist there (as dateutil's relativedelta does; tested against it),
    then weeks and days. Written out so that start-up need not import dateutil."""
    months = duration.years * 12 + duration.months
    if months:
        year, month = divmod(day.month - 1 + months, 12)
        year, month = day.year + year, month + 1
        day = dt.date(year, month, min(day.day, days_in_month(year, month)))
    return day + dt.timedelta(weeks=duration.weeks, days=duration.days)


def subtract_duration(day: dt.date, duration: Duration) -> dt.date:
    """The day `duration` before `day` (`changes --since 3m`), by the same rules as
    `add_duration`: 31 May less one month is 30 April."""
    back = duration._replace(
        years=-duration.years, months=-duration.months, weeks=-duration.weeks, days=-duration.days
    )
    return add_duration(day, back)


def describe_duration(duration: Duration) -> str:
    """`PT72H` as `72 hours`, `P1M` as `1 month`."""
    names = ("year", "month", "week", "day", "hour", "minute", "second")
    values = (
        duration.years,
        duration.months,
        duration.weeks,
        duration.days,
        duration.hours,
        duration.minutes,
        duration.seconds,
    )
    words = [f"{v} {n}{'s' if v != 1 else ''}" for n, v in zip(names, values, strict=True) if v]
    if duration.working_days:
        words.append(
            f"{duration.working_days} working day{'s' if duration.working_days != 1 else ''}"
        )
    return ", ".join(words) if words else "0 days"


_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
# The parts of a rule regtrack reads (RFC 5545 §3.3.10 but BYHOUR, BYMINUTE and BYSECOND: a duty
# falls on days); any other name is refused here, not left to dateutil, which takes its own
# extensions (BYEASTER, BYWEEKDAY) too. regtrack.parse.grammar builds the schema from these.
RULE_PARTS = (
    "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
    "BYSETPOS", "BYDAY", "WKST",
)  # fmt: skip
RULE_INTERVAL, RULE_COUNT = (1, 1000), (1, 100_000)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# RFC 5545 §3.3.10: the values each BYxxx part may take (a list of them, comma-separated), and
# the frequencies it may be used with (None: any). dateutil checks none of these: BYMONTH=13 or
# BYMONTHDAY=32 parsed, and then matched no day, ever.
_BY_RANGES: dict[str, tuple[int, tuple[str, ...] | None]] = {
    "BYMONTH": (12, None),
    "BYMONTHDAY": (31, ("YEARLY", "MONTHLY", "DAILY")),
    "BYYEARDAY": (366, ("YEARLY",)),
    "BYWEEKNO": (53, ("YEARLY",)),
    "BYSETPOS": (366, None),
}
# A rule must fall on a day within this many years of its start: one that never does (BYMONTH=2
# with BYMONTHDAY=30) is no duty to track, and is an input error rather than an empty schedule.
RULE_HORIZON_YEARS = 10


def _numbers(text: str, label: str, most: int, signed: bool) -> list[int]:
    """A BYxxx list such as `1,15,-1`: each a whole number from 1 to `most` (or -`most` to -1
    where `signed`); ValueError otherwise."""
    values = []
    for item in text.split(","):
        match = re.fullmatch(r"([+-]?)([0-9]{1,3})", item)
        number = int(match[1] + match[2]) if match else 0
        if not match or not (1 <= abs(number) <= most) or (number < 0 and not signed):
            span = f"1 to {most}" + (f" or -{most} to -1" if signed else "")
            raise ValueError(f"{label}: {item!r} is not a whole number from {span}")
        values.append(number)
    return values


def _until(text: str) -> dt.date:
    """An UNTIL value, `YYYYMMDD` or `YYYYMMDDTHHMMSS[Z]`, as the day it ends on."""
    clock = r"(?:T(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]Z?)?"  # a real time of day
    match = re.fullmatch(r"([0-9]{4})([0-9]{2})([0-9]{2})" + clock, text)
    if not match:
        raise ValueError(f"UNTIL={text}: expected a date such as 20271231")
    return parse_day(f"{match[1]}-{match[2]}-{match[3]}")


def _rule_parts(value: str) -> dict[str, str]:
    """The parts of a rule, each checked against RFC 5545 §3.3.10; ValueError otherwise."""
    parts: dict[str, str] = {}
    for piece in value.split(";"):
        name, equals, text = piece.partition("=")
        if not equals or not name or not text:
            raise ValueError(f"{piece!r} is not NAME=VALUE")
        if name in parts:
            raise ValueError(f"{name} is given twice")
        parts[name] = text
    frequency = parts.get("FREQ", "")
    if frequency not in _FREQUENCIES:
        raise ValueError("needs FREQ=YEARLY, MONTHLY, WEEKLY or DAILY")
    timed = sorted(set(parts) & {"BYHOUR", "BYMINUTE", "BYSECOND"})
    if timed:  # a duty falls on days: hours, minutes and seconds only multiply the work
        raise ValueError(f"{', '.join(timed)} is not allowed (a duty falls on days)")
    if "BYEASTER" in parts:  # dateutil's own extension; Easter's dates follow no fixed cycle
        raise ValueError("BYEASTER is not RFC 5545 and is not supported")
    unknown = sorted(set(parts) - set(RULE_PARTS))
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not a part of an RRULE regtrack reads")
    for name, (low, high) in (("INTERVAL", RULE_INTERVAL), ("COUNT", RULE_COUNT)):
        given = parts.get(name, str(low))
        if not (given.isascii() and given.isdigit() and low <= int(given) <= high):
            raise ValueError(f"{name} must be a whole number from {low} to {high}")
    # RFC 5545 §3.3.10: COUNT and UNTIL "MUST NOT occur in the same 'recur'"
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("COUNT and UNTIL cannot both be given")
    if "UNTIL" in parts:
        _until(parts["UNTIL"])
    for name, (most, frequencies) in _BY_RANGES.items():
        if name in parts:
            if frequencies is not None and frequency not in frequencies:
                raise ValueError(f"{name} cannot be used with FREQ={frequency}")
            _numbers(parts[name], f"{name}={parts[name]}", most, signed=name != "BYMONTH")
    if "BYSETPOS" in parts and not any(p.startswith("BY") and p != "BYSETPOS" for p in parts):
        raise ValueError("BYSETPOS needs another BYxxx part to choose from")
    if "BYDAY" in parts:
        ordinals = {"YEARLY": 53, "MONTHLY": 5}.get(frequency, 0)
        for item in parts["BYDAY"].split(","):
            match = re.fullmatch(r"([+-]?[0-9]{1,2})?([A-Z]{2})", item)
            if not match or match[2] not in _WEEKDAYS:
                raise ValueError(f"BYDAY={parts['BYDAY']}: {item!r} is not a weekday (MO to SU)")
            if match[1] is not None:
                if not ordinals or "BYWEEKNO" in parts:
                    raise ValueError(
                        f"BYDAY={parts['BYDAY']}: {item!r} has an ordinal, which "
                        "only YEARLY (without BYWEEKNO) and MONTHLY rules take"
                    )
                _numbers(match[1], f"BYDAY={parts['BYDAY']}", ordinals, signed=True)
    if "WKST" in parts and parts["WKST"] not in _WEEKDAYS:
        raise ValueError(f"WKST={parts['WKST']} is not a weekday (MO to SU)")
    return parts


def parse_rrule(text: str, start: dt.date) -> str:
    """An RFC 5545 RRULE (`FREQ=YEARLY;BYMONTH=3`) that falls on a day within
    RULE_HORIZON_YEARS of `start`; ValueError otherwise. Sub-daily frequencies are refused: a
    compliance duty is at most daily."""
    from dateutil.rrule import rrulestr

    value = text.strip().upper() if text.isascii() else "?"  # no "ſ" read as an "S"
    if value.startswith("RRULE:"):
        value = value[6:]
    try:
        parts = _rule_parts(value)
        if "UNTIL" in parts:
            # Its day is what counts (duties fall on days); dateutil refuses a UTC time
            # (`20301231T235959Z`, RFC 5545's usual form) beside a start with no zone.
            parts["UNTIL"] = parts["UNTIL"][:8]
            value = ";".join(f"{name}={text}" for name, text in parts.items())
        rrulestr(value, dtstart=dt.datetime.combine(start, dt.time()))
    except (ValueError, TypeError) as error:
        raise ValueError(f"{text!r} is not a usable RRULE: {error}") from None
    horizon = add_duration(start, Duration("", years=RULE_HORIZON_YEARS))
    if first_occurrence(value, start, horizon) is None:
        raise ValueError(
            f"{text!r} falls on no day from {start.isoformat()} to {horizon.isoformat()}: "
            "it never occurs"
        )
    return value


# The most days one recurring duty may fall on within the dates a command looks at (a daily
# duty over a year and its neighbours is ~1,100).
MAX_OCCURRENCES = 5_000
_SIMPLE_YEARLY = r"FREQ=YEARLY;BYMONTH=([0-9]{1,2});BYMONTHDAY=([0-9]{1,2})"
# The Gregorian calendar repeats every 400 years, weekdays included (146,097 days are 20,871
# weeks): a rule and its start moved by a multiple of 400 years fall on the same days, moved.
_CYCLE = 400


def occurrences(rule: str, start: dt.date, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days `rule` falls on from `start`, between `first` and `last` (both included);
    ValueError when that is more than MAX_OCCURRENCES days."""
    found = _walk(rule, start, first, last, MAX_OCCURRENCES + 1)
    if len(found) > MAX_OCCURRENCES:
        raise ValueError(
            f"{rule!r} falls on more than {MAX_OCCURRENCES} days from "
            f"{max(first, start).isoformat()} to {last.isoformat()}"
        )
    return found


def first_occurrence(rule: str, start: dt.date, last: dt.date) -> dt.date | None:
    """The first day `rule` falls on from `start` through `last`, or None."""
    found = _walk(rule, start, start, last, 1)
    return found[0] if found else None


def _walk(rule: str, start: dt.date, first: dt.date, last: dt.date, most: int) -> list[dt.date]:
    """At most `most` days `rule` falls on from `start`, between `first` and `last`.

    dateutil looks for a rule's next day period by period until the year 9999: a rule that
    matches no day took seconds (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30: 4.6 s, issue 24). So the
    rule's start and the range are moved forward by whole 400-year cycles, as near to 9999 as
    they go, where that walk ends within a cycle of the range: the same days, bounded work
    (tests/test_dates.py counts dateutil's steps)."""
    begin = max(first, start)
    if simple := re.fullmatch(_SIMPLE_YEARLY, rule):
        # The common duty ("every 1 March") directly: dateutil walks every day of every year
        # since `start`, which costs a millisecond per obligation. Same result (tested).
        month, day = int(simple[1]), int(simple[2])
        found = []
        for year in range(begin.year, last.year + 1):
            try:
                when = dt.date(year, month, day)
            except ValueError:  # 30 February, or 29 February outside a leap year: no occurrence
                continue
            if begin <= when <= last:
                found.append(when)
        return found[:most]
    from dateutil.rrule import rrulestr

    parts = rule.split(";")
    until = next((_until(p[6:]) for p in parts if p.startswith("UNTIL=")), None)
    if until is not None:  # applied here, on the days: dateutil would compare it unmoved
        last = min(last, until)
        parts = [p for p in parts if not p.startswith("UNTIL=")]
    if last < begin:
        return []
    shift = (dt.MAXYEAR - last.year) // _CYCLE * _CYCLE

    def moved(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(dt.date(day.year + shift, day.month, day.day), dt.time())

    expanded = rrulestr(";".join(parts), dtstart=moved(start))
    end = moved(last)
    found = []
    try:
        for moment in expanded.xafter(moved(begin), count=most, inc=True):
            if moment > end:
                break
            found.append(dt.date(moment.year - shift, moment.month, moment.day))
    except (ValueError, OverflowError):  # dateutil stepping past the year 9999: the end
        pass
    return found


def due_day(instant: dt.datetime) -> dt.date:
    """The day a deadline that ends at `instant` falls on, in its own time zone. A deadline that
    ends at 00:00 ends with the day before (ISO 8601's 24:00): a breach's 72 hours counted from
    00:00 on Saturday end with Monday, not on Tuesday."""
    if instant.time() == dt.time(0, 0):
        return instant.date() - dt.timedelta(days=1)
    return instant.date()


def instant_text(instant: dt.datetime, *, weekday: bool = False) -> str:
    """`2026-12-07 15:30 CET`; a deadline at 00:00 is written as the end of the day before,
    `2026-12-07 24:00 CET`, the day every date-level view files it under (`due_day`). With
    `weekday`, the day's name leads: `Mon 2026-12-07 24:00 CET`."""
    day = due_day(instant)
    clock = "24:00" if day != instant.date() else f"{instant:%H:%M}"
    name = f"{day:%a} " if weekday else ""
    return f"{name}{day.isoformat()} {clock} {instant:%Z}".rstrip()
