"""Legal time counting: when a period that runs from an event ends. Pure: the event, the period,
the rules and the holidays are all arguments.

EU instruments: Regulation (EEC, Euratom) No 1182/71 of 3 June 1971 determining the rules
applicable to periods, dates and time limits (OJ L 124, 8.6.1971, p. 1;
https://eur-lex.europa.eu/eli/reg/1971/1182/oj), Art. 3:
- 3(1): the hour (periods in hours) or the day (periods in days, weeks, months, years) during
  which the event occurs is not counted;
- 3(2)(a)-(b): a period in hours starts at the beginning of the first hour and ends with the expiry
  of its last hour; a period in days ends with the expiry of the last hour of its last day;
- 3(2)(c): a period in weeks, months or years ends with the expiry of the last hour of the day of
  the last week, month or year that is the same weekday, or the same date, as the day the period
  runs from; if that date does not exist in the last month, on the last day of that month;
- 3(3): Saturdays, Sundays and public holidays are included unless the period is in working days;
- 3(4): a period other than in hours whose last day is a public holiday, Saturday or Sunday ends
  with the expiry of the last hour of the next working day;
- 3(5): any period of two days or more includes at least two working days.
Art. 2(1): public holidays are those of the Member State where the action is to be taken: they
come from the `holidays` package for the `--country` given, and are not applied without one.
Periods in hours are counted as elapsed hours, exact across daylight-saving changes, and 3(4) and
3(5) are applied to periods of days or longer only.

UK instruments: the ICO's published practice for UK GDPR time limits (ico.org.uk, right of
access, "time limits"): a month runs "from the day you receive the request ... until the
corresponding calendar date in the next month", the last day of the next month when there is no
such date, and moves to the next working day when it falls on a weekend or a bank holiday; periods
in days begin on the day after receipt and move the same way; periods in hours are elapsed hours
from the moment of awareness. Art. 3(5) of the EU rule has no UK counterpart and is not applied.

`conservative` gives the earliest defensible instant: no roll-forward to a working day, no
two-working-days extension, and hours counted from the event itself rather than from the next
full hour.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Mapping
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from regtrack.dates import describe_duration
from regtrack.models import Duration, Obligation, Period, Status

EU_RULE = "Reg. (EEC, Euratom) No 1182/71, Art. 3"
UK_RULE = "ICO practice (UK GDPR time limits)"
LAST_SECOND = dt.time(23, 59, 59)


class Rulebook(enum.StrEnum):
    """Which counting rules apply."""

    EU = "eu"  # Regulation (EEC, Euratom) No 1182/71
    UK = "uk"  # the ICO's published practice


class WorkingDays(NamedTuple):
    """Which days are working days: not Saturday, Sunday or a public holiday of `region`."""

    region: str  # e.g. "FR", "DE-BY", "GB-ENG"; "" when no public holidays are applied
    holiday_name: Callable[[dt.date], str | None]

    def reason_not_working(self, day: dt.date) -> str | None:
        """Why `day` is not a working day (`Saturday`, a holiday's name), or None."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        name = self.holiday_name(day)
        return f"a public holiday ({name})" if name else None

    def is_working(self, day: dt.date) -> bool:
        """True for a working day."""
        return self.reason_not_working(day) is None

    def next_working(self, day: dt.date) -> dt.date:
        """The first working day after `day`."""
        day += dt.timedelta(days=1)
        while not self.is_working(day):
            day += dt.timedelta(days=1)
        return day


WEEKENDS_ONLY = WorkingDays("", lambda day: None)


def time_zone(name: str) -> dt.tzinfo:
    """The IANA time zone `name` (`Europe/Paris`); ValueError for anything else. zoneinfo reads
    the name as a file path, so besides ZoneInfoNotFoundError a bad name can raise ValueError
    (`../x`) or OSError (`Europe`, a folder; a name too long for the file system)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{name!r} is not a time zone (e.g. Europe/Paris)") from None


def localize(moment: dt.datetime, zone: dt.tzinfo, name: str) -> dt.datetime:
    """`moment` (a wall-clock time, or one with an offset) in `zone` (named `name`). A wall
    clock time that happens twice (clocks go back) or never (clocks go forward) is a
    ValueError naming both readings: a deadline counted from the wrong one is an hour off, and
    zoneinfo would silently take the first (issue 24)."""
    if moment.tzinfo is not None:
        return moment.astimezone(zone)
    first, second = moment.replace(tzinfo=zone, fold=0), moment.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first

    def offset(candidate: dt.datetime) -> str:
        return candidate.isoformat()[-6:]  # +02:00

    def reading(candidate: dt.datetime) -> str:
        real = candidate.astimezone(dt.UTC).astimezone(zone)
        return f"{real:%H:%M %Z} ({offset(real)}, {real.astimezone(dt.UTC):%H:%M} UTC)"

    written = moment.isoformat(timespec="minutes")
    exists = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == moment
    if exists:
        raise ValueError(
            f"{written} happens twice in {name} (the clocks go back): {reading(first)} or "
            f"{reading(second)}; give its offset, e.g. {written}{offset(first)}"
        )
    raise ValueError(
        f"{written} does not exist in {name} (the clocks go forward): it reads as "
        f"{reading(first)} or {reading(second)}; give the time with its offset"
    )


@functools.cache
def regions() -> dict[str, list[str]]:
    """The countries (ISO 3166 alpha-2 and alpha-3) with public holidays, and their
    subdivisions, as the installed `holidays` package lists them, UK for GB included: what
    `working_days` takes, and what the JSON Schemas offer (regtrack.parse.grammar). Only the
    subdivisions written as codes (`BY`, `ENG`): a region is read in upper-case ASCII, which
    names such as `Zone A` or `São Paulo Capital` never are."""
    import holidays

    listed = {
        code: [s for s in below if s.isascii() and s == s.upper()]
        for code, below in holidays.list_supported_countries().items()
    }
    listed["UK"] = listed.get("GB", [])
    return listed


def working_days(region: str | None) -> WorkingDays:
    """Saturdays, Sundays and the public holidays of `region` (`FR`, `DE-BY`, `GB-ENG`), from the
    `holidays` package; weekends only without a region. ValueError for an unknown region."""
    if not region:
        return WEEKENDS_ONLY
    import holidays  # imported only by the commands that count periods

    code, dash, subdivision = region.strip().upper().partition("-")
    # Only the countries and subdivisions holidays lists: it looks a code up as any attribute
    # of its module, and `JAN` (an int) or `NYSE` (a market) are attributes too.
    listed = regions()
    if not region.isascii() or code not in listed or (dash and subdivision not in listed[code]):
        raise ValueError(
            f"{region!r} is not a country or region with known public holidays "
            "(e.g. FR, DE-BY, GB-ENG)"
        )
    code = {"UK": "GB"}.get(code, code)
    try:
        calendar = holidays.country_holidays(code, subdiv=subdivision or None)
    except NotImplementedError as error:
        raise ValueError(
            f"{region!r} is not a country or region with known public holidays "
            f"(e.g. FR, DE-BY, GB-ENG): {error}"
        ) from None

    def name(day: dt.date) -> str | None:
        found = calendar.get(day)
        return str(found) if found else None

    return WorkingDays(f"{code}-{subdivision}" if subdivision else code, name)


class Counted(NamedTuple):
    """When a period ends, and every step of the rule that got there."""

    start: dt.datetime  # the first instant counted
    due: dt.datetime  # the last instant of the period, in the event's time zone
    steps: tuple[str, ...]

    @property
    def rule(self) -> str:
        """The steps as one sentence."""
        return "; ".join(self.steps)


def _day_name(day: dt.date) -> str:
    return f"{day.strftime('%a')} {day.isoformat()}"


def count(
    event: dt.datetime,
    duration: Duration,
    rulebook: Rulebook,
    calendar: WorkingDays = WEEKENDS_ONLY,
    conservative: bool = False,
) -> Counted:
    """The end of `duration` running from `event` (an aware datetime), by `rulebook`."""
    if event.tzinfo is None:
        raise ValueError("the event needs a time zone")
    if duration.in_hours:
        return _hours(event, duration, rulebook, conservative)
    return _days(event, duration, rulebook, calendar, conservative)


def _hours(
    event: dt.datetime, duration: Duration, rulebook: Rulebook, conservative: bool
) -> Counted:
    zone = event.tzinfo
    length = describe_duration(duration)
    if conservative or rulebook is Rulebook.UK:
        start = event
        why = (
            "conservative: elapsed from the event itself"
            if conservative
            else f"{UK_RULE}: elapsed from the moment of awareness"
        )
        steps = [f"{why}; {length} of elapsed time, exact across daylight-saving changes"]
    else:
        # 3(1) and 3(2)(a): the hour during which the event occurs is not counted; the period
        # starts at the beginning of the next hour (local clock hour; arithmetic in UTC, so a
        # daylight-saving change neither adds nor removes an hour).
        hour = event.replace(minute=0, second=0, microsecond=0)
        start = (hour.astimezone(dt.UTC) + dt.timedelta(hours=1)).astimezone(zone)
        steps = [
            f"{EU_RULE}(1), (2)(a): the hour of the event ({hour:%H:%M}-"
            f"{(hour + dt.timedelta(hours=1)):%H:%M}) is not counted; the period starts at "
            f"{start:%Y-%m-%d %H:%M %Z}",
            f"{length} of elapsed time, exact across daylight-saving changes",
        ]
    due = (start.astimezone(dt.UTC) + duration.elapsed).astimezone(zone)
    return Counted(start, due, tuple(steps))


def _days(
    event: dt.datetime,
    duration: Duration,
    rulebook: Rulebook,
    calendar: WorkingDays,
    conservative: bool,
) -> Counted:
    zone = event.tzinfo
    day0 = event.date()
    first = day0 + dt.timedelta(days=1)
    steps: list[str] = []
    source = EU_RULE if rulebook is Rulebook.EU else UK_RULE
    if duration.working_days:
        last = day0
        for _ in range(duration.working_days):
            last = calendar.next_working(last)
        steps.append(
            f"{source}: {duration.working_days} working days after {_day_name(day0)}, "
            f"Saturdays, Sundays and public holidays excluded (Art. 3(3))"
        )
    else:
        last = day0 + relativedelta(
            years=duration.years, months=duration.months, weeks=duration.weeks, days=duration.days
        )
        if rulebook is Rulebook.EU:
            steps.append(f"{EU_RULE}(1): the day of the event ({_day_name(day0)}) is not counted")
        else:
            steps.append(f"{UK_RULE}: counted from {_day_name(day0)}, the day of receipt")
        if duration.years or duration.months or duration.weeks:
            same = (
                "weekday" if duration.weeks and not (duration.years or duration.months) else "date"
            )
            ending = f"ends on the same {same} ({_day_name(last)})"
            if (duration.years or duration.months) and last.day != day0.day:
                ending = (
                    f"day {day0.day} does not exist in that month: ends on its last day "
                    f"({_day_name(last)})"
                )
            steps.append(
                f"{'Art. 3(2)(c)' if rulebook is Rulebook.EU else 'corresponding date'}: {ending}"
            )
        else:
            article = "Art. 3(2)(b)" if rulebook is Rulebook.EU else "days"
            steps.append(f"{article}: {describe_duration(duration)} end on {_day_name(last)}")
        nominal = last
        if conservative:
            steps.append("conservative: no roll-forward to a working day")
        else:
            reason = calendar.reason_not_working(last)
            if reason:
                moved = last
                while not calendar.is_working(moved):
                    moved += dt.timedelta(days=1)
                article = "Art. 3(4)" if rulebook is Rulebook.EU else "next working day"
                steps.append(
                    f"{article}: {last.isoformat()} is {reason}; the period ends on the next "
                    f"working day, {_day_name(moved)}"
                )
                last = moved
            # 3(5) is about the period's own length ("two days or more"), not the days a
            # roll-forward added to it.
            if rulebook is Rulebook.EU and (nominal - day0).days >= 2:
                worked = _working_between(first, last, calendar)
                if worked < 2:
                    while worked < 2:
                        last = calendar.next_working(last)
                        worked += 1
                    steps.append(
                        f"Art. 3(5): a period of two days or more includes at least two working "
                        f"days; it ends on {_day_name(last)}"
                    )
    if not calendar.region:
        steps.append("public holidays not applied (no --country given); weekends are")
    start = dt.datetime.combine(first, dt.time(0, 0), zone)
    due = dt.datetime.combine(last, LAST_SECOND, zone)
    return Counted(start, due, tuple(steps))


def _working_between(first: dt.date, last: dt.date, calendar: WorkingDays) -> int:
    worked, day = 0, first
    while day <= last:
        worked += calendar.is_working(day)
        day += dt.timedelta(days=1)
    return worked


def add(duration: Duration, extension: Duration) -> Duration:
    """A period and its extension as one period (`P1M` + `P2M` = `P3M`)."""
    parts = {
        name: getattr(duration, name) + getattr(extension, name)
        for name in ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
    }
    return Duration(f"{duration.text}+{extension.text}", **parts)


class ClockLine(NamedTuple):
    """One deadline of a clock."""

    id: str
    label: str
    citation: str
    period: Duration
    runs_from: str  # the event in words, or "the end of <period>"
    counted: Counted | None  # None: it runs from a moment not recorded yet (`waiting`)
    status: Status = Status.FIXED
    extended: bool = False  # the period with its extension added
    waiting: str = ""  # the trigger it runs from, while that moment is not recorded


class Clock(NamedTuple):
    """Every deadline an event starts, for one obligation or one ad-hoc period."""

    obligation: Obligation | None
    event: dt.datetime
    zone: str
    region: str
    rulebook: Rulebook
    conservative: bool
    lines: tuple[ClockLine, ...]


def rulebook_for(jurisdiction: str) -> Rulebook:
    """The UK's practice for UK instruments; Regulation 1182/71 for the rest."""
    return Rulebook.UK if jurisdiction.upper() in ("UK", "GB") else Rulebook.EU


def obligation_clock(
    obligation: Obligation,
    event: dt.datetime,
    zone: str,
    calendar: WorkingDays,
    rulebook: Rulebook,
    conservative: bool = False,
    triggers: Mapping[str, dt.datetime] | None = None,
) -> Clock:
    """Every period of the obligation from `event`, soonest first; a period `after` another
    runs from that period's end (the latest the earlier step may be done); a period with a
    `trigger` runs from that later moment of the event (`triggers`), and has no date while it
    is not recorded (NIS2 Art. 23(4)(e): a final report one month after the incident's handling
    ends, unknown when the incident starts); an extension adds a line."""
    by_id = {p.id: p for p in obligation.periods}
    known = triggers or {}
    done: dict[str, Counted | None] = {}

    def start_of(period: Period) -> dt.datetime | None:
        if period.after:
            earlier = counted(by_id[period.after])
            return earlier.due if earlier is not None else None
        if period.trigger:
            return known.get(period.trigger)
        return event

    def counted(period: Period) -> Counted | None:
        if period.id not in done:
            start = start_of(period)
            done[period.id] = (
                None
                if start is None
                else count(start, period.duration, rulebook, calendar, conservative)
            )
        return done[period.id]

    def waiting(period: Period) -> str:
        while period.after:
            period = by_id[period.after]
        return period.trigger if period.trigger not in known else ""

    lines = []
    for period in obligation.periods:
        runs_from = f"the end of {by_id[period.after].title}" if period.after else period.start
        lines.append(
            ClockLine(
                period.id,
                period.title,
                period.citation,
                period.duration,
                runs_from,
                counted(period),
                period.status,
                waiting=waiting(period),
            )
        )
        if period.extension:
            start = start_of(period)
            longer = add(period.duration, period.extension)
            lines.append(
                ClockLine(
                    f"{period.id}+extension",
                    f"{period.title} (if extended by {describe_duration(period.extension)})",
                    period.citation,
                    longer,
                    runs_from,
                    None
                    if start is None
                    else count(start, longer, rulebook, calendar, conservative),
                    period.status,
                    extended=True,
                    waiting=waiting(period),
                )
            )
    # soonest first, as every view lists dates; those waiting for a moment last
    lines.sort(key=_soonest)
    return Clock(obligation, event, zone, calendar.region, rulebook, conservative, tuple(lines))


def _soonest(line: ClockLine) -> tuple[bool, dt.datetime]:
    if line.counted is None:
        return True, dt.datetime.max.replace(tzinfo=dt.UTC)
    return False, line.counted.due.astimezone(dt.UTC)


def adhoc_clock(
    duration: Duration,
    event: dt.datetime,
    zone: str,
    calendar: WorkingDays,
    rulebook: Rulebook,
    conservative: bool = False,
) -> Clock:
    """One period given on the command line (an authority's 15 days, a contract's 30 working
    days)."""
    line = ClockLine(
        "period",
        f"{describe_duration(duration)} from the event",
        "",
        duration,
        "the event given with --at",
        count(event, duration, rulebook, calendar, conservative),
    )
    return Clock(None, event, zone, calendar.region, rulebook, conservative, (line,))
