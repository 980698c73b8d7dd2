"""iCalendar (RFC 5545, RFC 7986) feeds that calendar apps keep in sync. The only module that
imports icalendar. See ../shared/reference/formats.md for the rules each line below follows.

- One VEVENT per milestone: all-day (`DTSTART;VALUE=DATE`, `DTEND` the next day, exclusive).
- A month, quarter or year is drawn on its first day by default (`WindowMode.START`): the earliest
  day the date can fall on, with the window in the summary; `SPAN` draws the whole window,
  `END` its last day.
- UID: a name-based UUID of obligation and milestone ids, so the same milestone is the same event
  on every machine and every run (RFC 7986 §5.3: no host or user data).
- A deadline an event started (a breach's 72 hours) is a timed event with the UID `clock -f ics`
  gives it too, and alarms hours before it, never before the event; nothing past gets an alarm.
- SEQUENCE rises when the milestone is checked again (`verified`) or an amending act moves it
  (`history`): subscribed clients then update the event instead of duplicating it.
- DTSTAMP comes from the caller (SOURCE_DATE_EPOCH or the registry), never the clock.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import icalendar

from regtrack import __version__
from regtrack.agenda import Due, Standing
from regtrack.dates import describe_duration, instant_text
from regtrack.events import CANCELLED_FOR
from regtrack.formats import RenderOptions
from regtrack.formats.wording import note
from regtrack.models import Duration, Kind, State, Status
from regtrack.periods import Clock

# A removed event stays in the feed as cancelled as long as a closed event's deadlines do
# (README, "Calendars"): one definition, in regtrack.events.

# Fixed forever: changing it would change every UID and duplicate every event in every calendar.
UID_NAMESPACE = uuid.UUID("5d0c3f0e-8a4b-5c1e-9a7d-2f6b1e4c8a90")
SEQUENCE_EPOCH = dt.date(2016, 1, 1)
REFRESH = dt.timedelta(hours=12)

_KIND_WORDS = {
    Kind.APPLIES: "the rules start to apply",
    Kind.DEADLINE: "must be done by this date",
    Kind.EXPECTED: "a publication or decision is expected",
    Kind.REVIEW: "a periodic review falls due",
}
_STATUS = {
    Status.FIXED: "CONFIRMED",
    Status.AMENDED: "CONFIRMED",
    Status.EXPECTED: "TENTATIVE",
    Status.PROPOSED: "TENTATIVE",
    Status.SUPERSEDED: "CANCELLED",
}


class WindowMode(enum.StrEnum):
    """How a month, quarter or year is drawn."""

    START = "start"  # an all-day event on its first day
    SPAN = "span"  # one event over the whole window
    END = "end"  # an all-day event on its last day


class IcsOptions(NamedTuple):
    """What the caller decides: alarms (most important first), windows, the stamp, the name."""

    dtstamp: dt.datetime
    alarms: tuple[Duration, ...] = ()
    windows: WindowMode = WindowMode.START
    name: str = "regtrack: compliance deadlines"
    description: str = "Regulatory deadlines tracked by regtrack"
    today: dt.date | None = None  # past milestones get no alarm


def uid(obligation_id: str, milestone_id: str) -> str:
    """The event's UID: stable across runs and machines, revealing nothing."""
    return str(uuid.uuid5(UID_NAMESPACE, f"{obligation_id}\x1f{milestone_id}"))


def clock_uid(obligation_id: str, period_id: str, since: dt.datetime) -> str:
    """The UID of a deadline an event started: the obligation, the period and the instant the
    clock started, which `export ics` (from a recorded event) and `clock -f ics` (from --at) both
    know, so that importing both never duplicates a deadline (issue 15). The event's own id is
    not in it: renaming an event does not make its deadlines new events."""
    return str(uuid.uuid5(UID_NAMESPACE, f"{obligation_id}\x1f{period_id}\x1f{since.isoformat()}"))


def _uid(row: Due) -> str:
    """The event's UID; in a portfolio, namespaced by the client: the same milestone of two
    clients is two events, which a merged calendar must never fold into one (issue 25)."""
    o, m = row.obligation, row.milestone
    if m.since is not None:
        found = clock_uid(o.id.split("@", 1)[0], m.id, m.since)
    else:
        found = uid(o.id, m.id)
    if row.organisation:
        return str(uuid.uuid5(UID_NAMESPACE, f"{row.organisation}\x1e{found}"))
    return found


# RFC 5546 §3.2.1: a PUBLISH'd VEVENT has an ORGANIZER (libical's iTIP check requires it). The
# address is in the `.invalid` top-level domain (RFC 2606 §2): it names regtrack, reaches no one.
ORGANIZER = "mailto:noreply@regtrack.invalid"


def _organizer(item: icalendar.Event) -> None:
    item.add("organizer", ORGANIZER, parameters={"CN": "regtrack"})


def sequence(row: Due) -> int:
    """Rises with every re-verification and every recorded move of the date."""
    m = row.milestone
    return max(0, (m.verified - SEQUENCE_EPOCH).days) + len(m.history)


def summary(row: Due) -> str:
    """`AI Act Art. 113(3)(c)(i): title — milestone (2026-Q2) [expected]`; in a portfolio led by
    the client (`[clinique-a] ...`)."""
    o, m = row.obligation, row.milestone
    whose = f"[{row.organisation}] " if row.organisation else ""
    text = f"{whose}{o.regulation.short} {o.citation}: {o.title}"
    if m.title:
        text += f" — {m.title}"
    if m.window.start != m.window.end:
        text += f" ({m.window.text})"
    if m.status is not Status.FIXED and m.status is not Status.AMENDED:
        text += f" [{m.status.value}]"
    if row.standing is Standing.DONE:
        text += " [done]"
    elif row.standing is Standing.WAIVED:
        text += " [waived]"
    elif row.standing is Standing.NOT_YOURS:
        text += f" [owed by {', '.join(row.owers)}]"
    return text


def description(row: Due) -> str:
    """What the milestone is, how sure, where to check it."""
    o, m = row.obligation, row.milestone
    window = m.window
    dates = window.text
    if window.start != window.end:
        dates += f" ({window.start.isoformat()} to {window.end.isoformat()})"
    if m.due_at is not None:
        dates = f"by {instant_text(m.due_at, weekday=True)}"
    lines = [
        o.summary,
        "",
        f"Date: {dates}",
        f"Kind: {m.kind.value} ({_KIND_WORDS[m.kind]})",
        f"Status: {m.status.value}",
        f"Regulation: {o.regulation.name} ({o.regulation.identifier}), {o.citation}",
    ]
    if o.authority:
        lines.append(f"Authority: {o.authority}")
    if m.note:
        lines.append(f"Note: {m.note}")
    lines += [f"Moved from {c.old.text} to {c.new.text} by {c.act} ({c.source})" for c in m.history]
    lines.append("Sources:")
    lines += [
        f"- {s.title}: {s.url}" + ("" if s.official else " (not official)") for s in row.sources
    ]
    said = note(row)
    if said:
        lines.append(said[0].upper() + said[1:])
    lines.append(f"Verified: {m.verified.isoformat()}")
    lines.append(f"regtrack: {o.id} / {m.id}")
    return "\n".join(lines)


def _days(row: Due, mode: WindowMode) -> tuple[dt.date, dt.date]:
    window = row.milestone.window
    if mode is WindowMode.SPAN:
        return window.start, window.end + dt.timedelta(days=1)
    day = window.end if mode is WindowMode.END else window.start
    return day, day + dt.timedelta(days=1)


def _all_day_alarm(duration: Duration, row: Due) -> tuple[str, dt.timedelta]:
    """An all-day event's alarm: its description and trigger. It fires at local midnight before
    the event; weeks and days only, since RFC 5545 durations have no months (a month is given in
    whole days by the caller)."""
    days = duration.weeks * 7 + duration.days
    trigger = -dt.timedelta(days=days, hours=duration.hours, minutes=duration.minutes)
    return f"In {describe_duration(duration)}: {summary(row)}", trigger


def _all_day_alarms(row: Due, options: IcsOptions) -> list[tuple[str, dt.timedelta]]:
    """The caller's alarms (`--alarm`) for an all-day milestone that still needs doing: none for
    a cancelled or completed one, nor for one already past on the export's day."""
    past = row.state in (State.OVERDUE, State.PASSED, State.IN_FORCE)
    if row.standing in _SILENT or past:
        return []
    return [_all_day_alarm(duration, row) for duration in options.alarms]


def _alarm(text: str, trigger: dt.timedelta) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger)
    return alarm


def event(
    row: Due, options: IcsOptions, before: dict[str, Published] | None = None
) -> icalendar.Event:
    """One milestone as an all-day VEVENT (a timed one for a deadline an event started)."""
    o, m = row.obligation, row.milestone
    item = icalendar.Event()
    item.add("uid", _uid(row))
    _organizer(item)
    item.add("dtstamp", options.dtstamp)
    if m.due_at is not None:
        # A deadline an event started is due at an instant: a timed event, in the event's time
        # zone, ending at that instant.
        item.add("dtstart", m.due_at - dt.timedelta(hours=1))
        item.add("dtend", m.due_at)
    else:
        start, end = _days(row, options.windows)
        item.add("dtstart", start)
        item.add("dtend", end)
    item.add("summary", summary(row))
    item.add("description", description(row))
    sources = o.milestone_sources(m)
    if sources:
        item.add("url", sources[0].url)
    item.add("categories", [o.regulation.short, *o.tags])
    item.add("status", _STATUS[m.status])
    item.add("transp", "TRANSPARENT")
    for alarm in _alarms(row, options):
        item.add_component(alarm)
    was = (before or {}).get(str(item["UID"]))
    if m.status is Status.SUPERSEDED:  # since when calendars were told (_withdrawn drops it later)
        since = was.cancelled if was is not None and was.cancelled else options.today
        if since is not None:
            item.add("x-regtrack-cancelled", since.isoformat())
    _converged(item, sequence(row), was)
    return item


# A deadline an event started is hours away, not weeks: its alarms are these, and none before
# the event itself (a breach's 72 hours had -P30D and -P7D alarms, weeks before the breach).
CLOCK_ALARMS = (dt.timedelta(hours=24), dt.timedelta(hours=2))


def _alarms(row: Due, options: IcsOptions) -> list[icalendar.Alarm]:
    """The alarms a milestone gets: none for what is past on the export's day; for a deadline an
    event started, CLOCK_ALARMS after the event; else the caller's (`--alarm`)."""
    m = row.milestone
    if m.due_at is not None:
        if row.state is State.OVERDUE or row.standing in _SILENT:
            return []
        return _clock_alarms(m.due_at, m.since, summary(row))
    return [_alarm(text, trigger) for text, trigger in _all_day_alarms(row, options)]


# Nothing to remind anyone of: a cancelled date, one done, one owed by others only.
_SILENT = frozenset({Standing.CANCELLED, Standing.DONE, Standing.NOT_YOURS})


def _clock_alarms(due: dt.datetime, since: dt.datetime | None, title: str) -> list[icalendar.Alarm]:
    """CLOCK_ALARMS before a statutory deadline, none of them before the event that started it."""
    return [
        _alarm(f"In {int(lead.total_seconds() // 3600)} hours: {title}", -lead)
        for lead in CLOCK_ALARMS
        if since is None or due - lead > since
    ]


class Published(NamedTuple):
    """An event of the feed as it was last published (`export ics --previous`)."""

    sequence: int
    digest: str  # of what a calendar shows (X-REGTRACK-DIGEST)
    cancelled: dt.date | None  # since when the feed has published it as cancelled
    component: icalendar.cal.Component


def published(data: bytes) -> dict[str, Published]:
    """The events of a feed regtrack published before, by UID; ValueError for anything that is
    not an iCalendar feed."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # icalendar raises ValueError and others for broken input
        # the parser's message quotes the line it choked on: a secret in a file named by
        # mistake (`--previous .env`) must not be printed (issue 27)
        raise ValueError(f"not an iCalendar file ({type(error).__name__})") from None
    found = {}
    for item in calendar.walk("VEVENT"):
        uid_ = str(item.get("UID", ""))
        if not uid_:
            continue
        try:
            sequence_ = int(item.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            sequence_ = 0
        since = str(item.get("X-REGTRACK-CANCELLED", "")) or None
        try:
            cancelled = dt.date.fromisoformat(since) if since else None
        except ValueError:
            cancelled = None
        found[uid_] = Published(sequence_, str(item.get("X-REGTRACK-DIGEST", "")), cancelled, item)
    return found


def _digest(item: icalendar.Event) -> str:
    """A short hash of everything a calendar shows of an event (not its SEQUENCE or DTSTAMP)."""
    import hashlib

    shown = b"\r\n".join(
        line for line in item.to_ical().split(b"\r\n") if not line.startswith(b"DTSTAMP")
    )
    return hashlib.sha256(shown).hexdigest()[:20]


def _converged(item: icalendar.Event, base: int, before: Published | None) -> None:
    """SEQUENCE and the digest: a change of anything shown (date, title, status, text, alarms)
    raises SEQUENCE over the last published one, whether or not `verified` was updated
    (RFC 5546 §2.1.4: clients apply an update only when SEQUENCE rose)."""
    digest = _digest(item)
    number = base
    if before is not None:
        number = max(base, before.sequence + (1 if before.digest != digest else 0))
    item.add("sequence", number)
    item.add("x-regtrack-digest", digest)


_KEPT_WHEN_WITHDRAWN = frozenset(
    {"UID", "DTSTAMP", "DTSTART", "DTEND", "DUE", "DURATION", "SUMMARY", "DESCRIPTION"}
    | {"CATEGORIES", "TRANSP", "CLASS"}
)


def _withdrawn(before: Published, today: dt.date) -> icalendar.Event | None:
    """An event the feed published and no longer has: as cancelled, with a higher SEQUENCE,
    for CANCELLED_FOR; then None (it leaves the feed)."""
    since = before.cancelled or today
    if today > since + CANCELLED_FOR:
        return None
    item = icalendar.Event()
    # Only what identifies the event and says what it was: the previous file is input, and a
    # URL, an ATTACH or an X-ALT-DESC with a script in it must not ride into the new feed
    # (issue 27). Alarms are not kept either: a cancelled date reminds no one.
    for name, value in before.component.property_items(recursive=False):
        if name not in _KEPT_WHEN_WITHDRAWN:
            continue
        item.add(name, value, encode=False)
    item.add("status", "CANCELLED")
    item.add("sequence", before.sequence + (0 if before.cancelled else 1))
    item.add("x-regtrack-cancelled", since.isoformat())
    return item


# -- the direct writer -----------------------------------------------------------------------
# icalendar builds an object per property and folds each line character by character: at 10,000
# obligations (~20,000 events) an export took ~9 s, nearly all of it there (issue 17). The
# writer below produces the very same bytes (tests/formats/test_ics.py compares them with
# icalendar's on the built-in, fixture and generated registries) from the same summary,
# description, UID, SEQUENCE, alarm and digest rules, for the common feed: all-day events and no
# previous feed. Timed deadlines (they need VTIMEZONE components) and `--previous` keep
# icalendar's path.


def _text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping, as icalendar's `_escape_char` does it."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """RFC 5545 §3.1 folding at 75 octets, as icalendar's `_foldline` does it: each folded line
    holds at most 74 octets, never splits a UTF-8 character, and does not end with a backslash
    or caret that escapes the next character (icalendar issue #1501).

    Cut on the encoded bytes, a line at a time: icalendar's loop, a character at a time, was
    three quarters of a 20,000-event export (issue 17). tests/formats/test_ics.py compares the
    two on random text."""
    if len(line) < 75 and line.isascii():
        return line
    data = line.encode("utf-8")
    if len(data) <= 74:
        return line
    folded: list[str] = []
    start, size = 0, len(data)
    while size - start > 74:
        cut = start + 74
        while data[cut] & 0xC0 == 0x80:  # not inside a character
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1  # the escape goes with what it escapes
        folded.append(data[start:cut].decode("utf-8"))
        start = cut
    folded.append(data[start:].decode("utf-8"))
    return "\r\n ".join(folded)


def _duration(td: dt.timedelta) -> str:
    """A timedelta as icalendar's vDuration writes it."""
    sign = ""
    if td.days < 0:
        sign, td = "-", -td
    time = ""
    if td.seconds:
        time = "T"
        hours, minutes, seconds = td.seconds // 3600, td.seconds % 3600 // 60, td.seconds % 60
        if hours:
            time += f"{hours}H"
        if minutes or (hours and seconds):
            time += f"{minutes}M"
        if seconds:
            time += f"{seconds}S"
    if td.days == 0 and time:
        return f"{sign}P{time}"
    return f"{sign}P{td.days}D{time}"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _direct_event(row: Due, options: IcsOptions) -> str:
    """One all-day milestone's VEVENT, byte for byte what `event` gives through icalendar."""
    o, m = row.obligation, row.milestone
    start, end = _days(row, options.windows)
    head = [
        f"SUMMARY:{_text(summary(row))}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"DTSTAMP:{_stamp(options.dtstamp)}",
        f"UID:{_text(_uid(row))}",
    ]
    tail = [
        "CATEGORIES:" + ",".join(_text(c) for c in (o.regulation.short, *o.tags)),
        f"DESCRIPTION:{_text(description(row))}",
        f"ORGANIZER;CN=regtrack:{ORGANIZER}",
        f"STATUS:{_STATUS[m.status]}",
        "TRANSP:TRANSPARENT",
    ]
    sources = o.milestone_sources(m)
    if sources:
        tail.append(f"URL:{sources[0].url}")
    if m.status is Status.SUPERSEDED and options.today is not None:
        tail.append(f"X-REGTRACK-CANCELLED:{options.today.isoformat()}")
    alarms: list[str] = []
    for text, trigger in _all_day_alarms(row, options):
        alarms += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            _fold(f"DESCRIPTION:{_text(text)}"),
            f"TRIGGER:{_duration(trigger)}",
            "END:VALARM",
        ]
    body = [_fold(line) for line in (*head, *tail)]
    shown = ["BEGIN:VEVENT", *body[:5], *body[5:], *alarms, "END:VEVENT"]
    # the digest of what calendars show, as _converged takes it: without DTSTAMP, SEQUENCE or
    # the digest itself
    import hashlib

    digest = hashlib.sha256(
        "\r\n".join(line for line in shown if not line.startswith("DTSTAMP")).encode("utf-8")
        + b"\r\n"
    ).hexdigest()[:20]
    return "\r\n".join(
        [
            "BEGIN:VEVENT",
            *body[:5],
            f"SEQUENCE:{sequence(row)}",
            *body[5:],
            f"X-REGTRACK-DIGEST:{digest}",
            *alarms,
            "END:VEVENT",
        ]
    )


def _direct_calendar(rows: Sequence[Due], options: IcsOptions) -> Iterator[bytes]:
    """The whole feed by the direct writer (see above), an event at a time: a 100,000-obligation
    feed is never whole in memory (issue 17)."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        _fold(f"PRODID:{_text(f'-//regtrack//regtrack {__version__}//EN')}"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _fold(f"DESCRIPTION:{_text(options.description)}"),
        _fold(f"X-WR-CALDESC:{_text(options.description)}"),
        _fold(f"NAME:{_text(options.name)}"),
        _fold(f"X-WR-CALNAME:{_text(options.name)}"),
        f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(REFRESH)}",
        f"X-PUBLISHED-TTL:{_duration(REFRESH)}",
    ]
    yield ("\r\n".join(head) + "\r\n").encode("utf-8")
    for row in rows:
        yield (_direct_event(row, options) + "\r\n").encode("utf-8")
    yield b"END:VCALENDAR\r\n"


def render_calendar(
    rows: Sequence[Due], options: IcsOptions, before: dict[str, Published] | None = None
) -> Iterable[bytes]:
    """A whole feed: calendar properties, then one event per row, in the rows' order. With the
    feed as it was last published (`before`), events whose content changed get a higher
    SEQUENCE, and events it had and this one has not are published as cancelled. In pieces,
    for regtrack.atomic.write_atomic and the CLI's output to write as they come."""
    if before is None and all(row.milestone.due_at is None for row in rows):
        return _direct_calendar(rows, options)
    return (_icalendar_calendar(rows, options, before),)


def _icalendar_calendar(
    rows: Sequence[Due], options: IcsOptions, before: dict[str, Published] | None = None
) -> bytes:
    """The whole feed through icalendar's object model (timed deadlines, `--previous`), and
    the reference the direct writer is tested against."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//regtrack//regtrack {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # as vText: icalendar writes NAME and X- properties unescaped otherwise, so a name with a
    # comma (a client's, "Clinique A, Paris") read differently from the direct writer's, which
    # escapes TEXT as RFC 5545 §3.3.11 says
    cal.add("name", icalendar.vText(options.name))
    cal.add("x-wr-calname", icalendar.vText(options.name))
    cal.add("description", options.description)
    cal.add("x-wr-caldesc", icalendar.vText(options.description))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    seen = set()
    for row in rows:
        item = event(row, options, before)
        seen.add(str(item["UID"]))
        cal.add_component(item)
    today = options.today or options.dtstamp.date()
    for key, was in sorted((before or {}).items()):
        if key not in seen and (gone := _withdrawn(was, today)) is not None:
            cal.add_component(gone)
    if any(row.milestone.due_at is not None for row in rows):
        cal.add_missing_timezones()
        _one_rdate_a_line(cal)
    data: bytes = cal.to_ical()
    return data


def _one_rdate_a_line(cal: icalendar.Calendar) -> None:
    """Each RDATE of a VTIMEZONE on a line of its own. icalendar writes a zone's transitions as
    one comma-separated RDATE (RFC 5545 §3.8.5.2 allows it), and ical.js (Thunderbird) and
    vobject read only its first value: a Paris deadline in summer read an hour late there
    (issue 28)."""
    for zone in cal.walk("VTIMEZONE"):
        for part in zone.subcomponents:
            found = part.get("RDATE")
            if found is None:
                continue
            lists = found if isinstance(found, list) else [found]
            days = [value.dt for each in lists for value in each.dts]
            del part["RDATE"]
            for day in days:
                part.add("rdate", day)


def render_clock(clock: Clock, options: RenderOptions) -> str:
    """Each deadline as a timed event ending at its due instant, with its time zone, so that a
    calendar shows it at the right hour wherever it is opened."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//regtrack//regtrack {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    subject = clock.obligation.id if clock.obligation else "period"
    name = f"regtrack clock: {subject} from {clock.event.isoformat()}"
    cal.add("name", icalendar.vText(name))
    cal.add("x-wr-calname", icalendar.vText(name))
    for line in clock.lines:
        if line.counted is None:  # no date until its trigger is recorded: nothing to show
            continue
        due = line.counted.due
        item = icalendar.Event()
        item.add("uid", clock_uid(subject, line.id, clock.event))
        _organizer(item)
        item.add("dtstamp", clock.event.astimezone(dt.UTC))
        item.add("dtstart", due - dt.timedelta(hours=1))
        item.add("dtend", due)
        title = f"Due: {line.label}"
        if clock.obligation is not None:
            cited = line.citation or clock.obligation.citation
            title = f"{clock.obligation.regulation.short} {cited}: {title}"
        item.add("summary", title)
        item.add(
            "description",
            f"{line.period.text} from {line.runs_from}.\n" + "\n".join(line.counted.steps),
        )
        item.add("transp", "TRANSPARENT")
        for alarm in _clock_alarms(due, clock.event, title):
            item.add_component(alarm)
        cal.add_component(item)
    cal.add_missing_timezones()
    _one_rdate_a_line(cal)
    data: bytes = cal.to_ical()
    return data.decode("utf-8")
