"""Calendar export (regtrack.formats.ics, `regtrack export ics`), read back by what consumes it:
two parsers not built on icalendar (`ical`, `vobject` with validation) and a real client (khal)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from regtrack.formats.ics import uid
from tests.helpers import FIXTURE, HERE, NODE, consumer, generated, run

HERE_FIXTURES = HERE / "fixtures"

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z


def export(*args: str, registry: Path = FIXTURE, env: dict[str, str] | None = None) -> bytes:
    """The bytes `regtrack export ics -o FILE` writes (the CLI runner's stdout folds CRLF)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "feed.ics"
        result = run(
            "export",
            "ics",
            "--no-builtin",
            "--registry",
            str(registry),
            "-o",
            str(out),
            *(() if "--today" in args else ("--today", "2026-01-10")),
            *args,
            env=env or EPOCH,
        )
        assert result.code == 0, result.err
        return out.read_bytes()


def test_parsed_by_ical_with_dates_uids_and_alarms() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "without warnings"
        calendar = IcsCalendarStream.calendar_from_ics(export().decode("utf-8"))
    events = {e.uid: e for e in calendar.events}
    assert len(events) == 6  # every dated milestone of the fixture, past and superseded included
    applies = events[uid("test-applies-day", "applies")]
    assert applies.dtstart == dt.date(2026, 8, 2) and applies.dtend == dt.date(2026, 8, 3)
    assert applies.summary == "AI Act Art. 113: Rules start to apply"
    assert [a.trigger for a in applies.alarm] == [-dt.timedelta(days=30), -dt.timedelta(days=7)]
    quarter = events[uid("test-quarter-expected", "recommendation")]
    assert quarter.dtstart == dt.date(2026, 4, 1)  # a window is drawn on its first day
    assert quarter.summary is not None and quarter.summary.endswith("(2026-Q2) [expected]")
    assert str(quarter.status).endswith("TENTATIVE")
    cancelled = events[uid("test-deadline-amended", "old-due")]
    assert str(cancelled.status).endswith("CANCELLED") and not cancelled.alarm


def test_parsed_by_vobject_with_validation() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        calendar = vobject.readOne(export().decode("utf-8"), validate=True)
    assert calendar.method.value == "PUBLISH"
    assert calendar.contents["x-wr-calname"][0].value == "regtrack: compliance deadlines"
    events = calendar.vevent_list
    assert len(events) == 6
    review = next(e for e in events if e.uid.value == uid("test-year-review", "review"))
    assert review.dtstart.value == dt.date(2027, 1, 1)
    # registry text stays text: no injected property or markup survives as structure
    assert review.summary.value.startswith(
        "UK GDPR Art. 35(11): Review [red]with markup[/red], =HYP"
    )
    assert review.transp.value == "TRANSPARENT"
    assert review.categories.value == ["UK GDPR"]
    assert review.url.value == "https://www.legislation.gov.uk/ukpga/2018/12"


def test_raw_bytes_crlf_and_folded_at_75_octets() -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "summary: A day milestone of kind applies.",
        "summary: " + "Überprüfung — données de santé, ‘quotes’ and emoji 🩺 " * 4,
    )
    data = export(registry=_write(text))
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert max(len(line) for line in lines) <= 75
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT12H\r\n" in data
    assert b"X-WR-TIMEZONE" not in data


def test_the_same_inputs_give_the_same_bytes() -> None:
    assert export() == export()
    other = export(env={"SOURCE_DATE_EPOCH": "1767312000"})
    assert b"DTSTAMP:20260101T000000Z" in export() and b"DTSTAMP:20260102T000000Z" in other
    # without SOURCE_DATE_EPOCH, the stamp comes from the registry, never the clock
    assert b"DTSTAMP:20261127T000000Z" in export(env={"SOURCE_DATE_EPOCH": ""})


def test_a_changed_date_keeps_its_uid_with_a_higher_sequence(tmp_path: Path) -> None:
    before = vobject.readOne(export().decode("utf-8"))
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "        date: 2026-08-02\n        status: fixed\n        verified: 2026-11-27",
        "        date: 2026-09-01\n        status: amended\n        verified: 2026-12-01\n"
        "        history: [{from: 2026-08-02, to: 2026-09-01, act: Act, source: 'https://eur-lex.europa.eu/x'}]",
    )
    after = vobject.readOne(export(registry=_write(text, tmp_path)).decode("utf-8"))
    key = uid("test-applies-day", "applies")

    def find(calendar: vobject.base.Component) -> vobject.base.Component:
        return next(e for e in calendar.vevent_list if e.uid.value == key)

    old, new = find(before), find(after)
    assert old.dtstart.value == dt.date(2026, 8, 2) and new.dtstart.value == dt.date(2026, 9, 1)
    assert int(new.sequence.value) > int(old.sequence.value)


def test_uids_are_stable_and_reveal_nothing() -> None:
    assert uid("a", "b") == uid("a", "b") != uid("a", "c")
    assert uid("ab", "c") != uid("a", "bc")
    assert set(uid("gdpr-art-33", "applies")) <= set("0123456789abcdef-")


@pytest.mark.parametrize(
    ("mode", "start", "end"),
    [
        ("start", "20260401", "20260402"),
        ("span", "20260401", "20260701"),
        ("end", "20260630", "20260701"),
    ],
)
def test_window_modes(mode: str, start: str, end: str) -> None:
    data = export("--windows", mode, "--search", "recommendation").decode("utf-8")
    assert f"DTSTART;VALUE=DATE:{start}\r\n" in data and f"DTEND;VALUE=DATE:{end}\r\n" in data


def test_alarm_options() -> None:
    # not on the cancelled event, nor on the one already past (2025-02-02) on 2026-01-10
    assert export("--alarm", "14d").count(b"TRIGGER:-P14D") == 4
    assert b"VALARM" not in export("--no-alarms")
    assert export("--alarm", "2w", "--alarm", "P1D").count(b"BEGIN:VALARM") == 8
    for bad, message in (("1m", "days or weeks"), ("soon", "not a duration")):
        result = run("export", "ics", "--no-builtin", "--registry", str(FIXTURE), "--alarm", bad)
        assert result.code == 2 and message in result.err


def test_filters_and_window() -> None:
    data = export("--today", "2026-06-01", "--within", "90d").decode("utf-8")
    assert data.count("BEGIN:VEVENT") == 2  # the open quarter and 2026-08-02
    assert export("-r", "gdpr").count(b"BEGIN:VEVENT") == 2
    assert export("--status", "fixed").count(b"BEGIN:VEVENT") == 2


def test_text_cannot_inject_properties_or_components(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "summary: A day milestone of kind applies.",
        'summary: "Evil.\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:injected\\nSUMMARY:x; y, z \\\\ w"',
    )
    data = export(registry=_write(text, tmp_path)).decode("utf-8")
    assert (
        "\r\nUID:injected" not in data
        and "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected" not in data
    )
    calendar = vobject.readOne(data, validate=True)
    assert len(calendar.vevent_list) == 6
    event = next(
        e for e in calendar.vevent_list if e.uid.value == uid("test-applies-day", "applies")
    )
    assert "END:VEVENT\nBEGIN:VEVENT\nUID:injected\nSUMMARY:x; y, z \\ w" in event.description.value


def test_output_file_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deadlines.ics"
    result = run(
        "export", "ics", "--no-builtin", "--registry", str(FIXTURE), "-o", str(target), env=EPOCH
    )
    assert result.code == 0 and result.out == ""
    assert "6 events" in result.err
    first = target.read_bytes()
    assert first.startswith(b"BEGIN:VCALENDAR\r\n")

    def crash(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    result = run(
        "export",
        "ics",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "-o",
        str(target),
        "--no-alarms",
    )
    assert result.code == 4  # the output could not be written (README, exit codes; issue 27)
    assert f"cannot write {target}: No space left on device" in result.err
    assert target.read_bytes() == first  # the previous file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deadlines.ics"]  # no temporary left


def test_an_unwritable_destination_is_a_clean_error(tmp_path: Path) -> None:
    result = run(
        "export",
        "ics",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "-o",
        str(tmp_path / "no" / "x.ics"),
    )
    assert result.code == 2
    assert "cannot write" in result.err and "Traceback" not in result.err


def test_icalendar_is_imported_only_by_the_export() -> None:
    code = (
        "import sys; from regtrack.cli import app\n"
        "from typer.testing import CliRunner\n"
        "CliRunner().invoke(app, ['upcoming', '--today', '2026-01-01'])\n"
        "print('icalendar' in sys.modules)\n"
        "CliRunner().invoke(app, ['export', 'ics'])\n"
        "print('icalendar' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


@pytest.mark.skipif(
    shutil.which("khal") is None and not (Path(sys.executable).parent / "khal").exists(),
    reason="khal is not installed (pip install '.[test]')",
)
def test_khal_shows_the_deadlines_on_the_right_days(tmp_path: Path) -> None:
    khal = shutil.which("khal") or str(Path(sys.executable).parent / "khal")
    feed = tmp_path / "deadlines.ics"
    feed.write_bytes(export())
    (tmp_path / "cal").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[deadlines]]\npath = {tmp_path / 'cal'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = UTC\ndefault_timezone = UTC\n"
        f"[default]\ndefault_calendar = deadlines\n[sqlite]\npath = {tmp_path / 'khal.db'}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "TZ": "UTC"}

    def khal_run(*args: str) -> str:
        done = subprocess.run(
            [khal, "-c", str(config), *args], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout

    khal_run("import", "--batch", str(feed))
    listed = khal_run("list", "2026-07-01", "2026-12-31", "--format", "{start-date} {title}")
    assert "2026-08-02 AI Act Art. 113: Rules start to apply" in listed.splitlines()
    quarter = khal_run("list", "2026-03-15", "2026-04-15", "--format", "{start-date} {title}")
    assert (
        "2026-04-01 CNIL/HAS n/a: Joint recommendation expected (2026-Q2) [expected]"
        in quarter.splitlines()
    )
    # Importing the same feed again updates the events instead of duplicating them.
    khal_run("import", "--batch", str(feed))
    again = khal_run("list", "2026-07-01", "2026-12-31", "--format", "{start-date} {title}")
    assert again.splitlines().count("2026-08-02 AI Act Art. 113: Rules start to apply") == 1


def _write(text: str, folder: Path | None = None) -> Path:
    import tempfile

    directory = folder or Path(tempfile.mkdtemp())
    path = directory / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_past_gets_an_alarm() -> None:
    calendar = IcsCalendarStream.calendar_from_ics(export("--today", "2026-09-01").decode("utf-8"))
    alarmed = {e.uid for e in calendar.events if e.alarm}
    assert uid("test-applies-day", "applies") not in alarmed  # 2026-08-02, past
    assert uid("test-year-review", "review") in alarmed  # 2027, ahead


def test_every_event_has_an_organizer_as_publish_requires() -> None:
    for data in (export(), run("clock", "gdpr-art-33-breach-notification", "--at",
                              "2026-11-26T16:40", "-f", "ics").out.encode("utf-8")):  # fmt: skip
        calendar = vobject.readOne(data.decode("utf-8"), validate=True)
        assert calendar.method.value == "PUBLISH"
        for event in calendar.vevent_list:
            assert event.organizer.value == "mailto:noreply@regtrack.invalid"


EVENTS = """\
events:
  - {id: breach-1, obligation: gdpr-art-33-breach-notification, at: 2026-11-26T16:40,
     tz: Europe/Paris}
"""


def test_a_statutory_clock_has_alarms_in_hours_and_one_uid_whoever_exports_it(
    tmp_path: Path,
) -> None:
    events = tmp_path / "events.yaml"
    events.write_text(EVENTS, encoding="utf-8")

    def feed(today: str) -> str:
        result = run("export", "ics", "-r", "GDPR", "--today", today, "--events", str(events))
        assert result.code == 0, result.err
        return result.out

    calendar = vobject.readOne(feed("2026-11-26"), validate=True)
    [breach] = [e for e in calendar.vevent_list if "breach-1" in e.description.value]
    triggers = [a.trigger.value for a in breach.valarm_list]
    assert triggers == [-dt.timedelta(hours=24), -dt.timedelta(hours=2)]  # not -P30D, -P7D
    clock = run("clock", "gdpr-art-33-breach-notification", "--at", "2026-11-26T16:40",
                "--tz", "Europe/Paris", "-f", "ics")  # fmt: skip
    assert clock.code == 0, clock.err
    [clocked] = vobject.readOne(clock.out, validate=True).vevent_list
    assert clocked.uid.value == breach.uid.value
    # past the deadline, the calendar keeps it without an alarm
    later = vobject.readOne(feed("2026-12-10")).vevent_list
    [past] = [e for e in later if "breach-1" in e.description.value]
    assert not past.contents.get("valarm")


def _events_by_uid(data: str) -> dict[str, object]:
    return {e.uid.value: e for e in vobject.readOne(data, validate=True).vevent_list}


def test_a_closed_event_is_cancelled_in_calendars_with_a_higher_sequence(tmp_path: Path) -> None:
    """An export before and after closing an event, read by two parsers: the deadlines stay,
    CANCELLED with a higher SEQUENCE, so every calendar that imported them drops them."""
    events = tmp_path / "events.yaml"
    events.write_text(EVENTS, encoding="utf-8")
    feed = tmp_path / "feed.ics"

    def export_to(today: str, *extra: str) -> str:
        result = run("export", "ics", "-r", "GDPR", "--today", today, "--events", str(events),
                     "-o", str(feed), *extra, env=EPOCH)  # fmt: skip
        assert result.code == 0, result.err
        return feed.read_text(encoding="utf-8")

    before = _events_by_uid(export_to("2026-11-27"))
    published = tmp_path / "published.ics"
    published.write_text(feed.read_text(encoding="utf-8"), encoding="utf-8")
    events.write_text(EVENTS.replace("tz: Europe/Paris}", "tz: Europe/Paris, closed: 2026-11-28}"))
    after_text = export_to("2026-11-29", "--previous", str(published))
    after = _events_by_uid(after_text)
    breach = [k for k, e in before.items() if "breach-1" in e.description.value]  # type: ignore[attr-defined]
    assert breach
    for key in breach:
        old, new = before[key], after[key]
        assert new.status.value == "CANCELLED"  # type: ignore[attr-defined]
        assert int(new.sequence.value) > int(old.sequence.value)  # type: ignore[attr-defined]
    ical_events = {e.uid: e for e in IcsCalendarStream.calendar_from_ics(after_text).events}
    assert all(str(ical_events[k].status).endswith("CANCELLED") for k in breach)
    # 90 days after calendars were told, the cancelled deadlines leave the feed
    told = tmp_path / "told.ics"
    told.write_text(after_text, encoding="utf-8")
    still = _events_by_uid(export_to("2027-02-20", "--previous", str(told)))
    assert set(breach) <= set(still)
    assert all(still[k].sequence.value == after[k].sequence.value for k in breach)  # type: ignore[attr-defined]
    told.write_text(feed.read_text(encoding="utf-8"), encoding="utf-8")
    gone = _events_by_uid(export_to("2027-03-01", "--previous", str(told)))
    assert not set(breach) & set(gone)


def test_a_removed_or_changed_milestone_converges_without_a_new_verified(tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    registry.write_text(text, encoding="utf-8")
    first = tmp_path / "first.ics"
    first.write_bytes(export(registry=registry))
    # the editor renames a title and drops a milestone, and forgets to update `verified`
    edited = text.replace("title: Rules start to apply", "title: The rules start to apply")
    edited, dropped = re.subn(r"      - id: old-date\n(?:        .*\n)+", "", edited)
    assert dropped == 1
    registry.write_text(edited, encoding="utf-8")
    second = export("--previous", str(first), registry=registry).decode("utf-8")
    old, new = _events_by_uid(first.read_text(encoding="utf-8")), _events_by_uid(second)
    renamed = uid("test-applies-day", "applies")
    assert int(new[renamed].sequence.value) == int(old[renamed].sequence.value) + 1  # type: ignore[attr-defined]
    removed = uid("test-applies-day", "old-date")
    assert new[removed].status.value == "CANCELLED"  # type: ignore[attr-defined]
    assert int(new[removed].sequence.value) == int(old[removed].sequence.value) + 1  # type: ignore[attr-defined]
    unchanged = uid("test-quarter-expected", "recommendation")
    assert new[unchanged].sequence.value == old[unchanged].sequence.value  # type: ignore[attr-defined]
    # exporting again from the new feed changes nothing: the feed has converged
    again = tmp_path / "second.ics"
    again.write_text(second, encoding="utf-8")
    assert export("--previous", str(again), registry=registry).decode("utf-8") == second


def _both(rows: list[object], **options: object) -> tuple[bytes, bytes]:
    from regtrack.formats import ics

    chosen = ics.IcsOptions(dtstamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), **options)  # type: ignore[arg-type]
    direct = b"".join(ics._direct_calendar(rows, chosen))  # type: ignore[arg-type]
    return direct, ics._icalendar_calendar(rows, chosen)  # type: ignore[arg-type]


@pytest.mark.parametrize("source", ["fixture", "builtin", "generated", "organisation", "hostile"])
def test_the_direct_writer_writes_icalendar_s_bytes(tmp_path: Path, source: str) -> None:
    """The direct writer (issue 17) against icalendar's object model, the reference: the same
    bytes for every window mode, alarm set and day, on registries with every feature."""
    from regtrack.agenda import Agenda, Moment
    from regtrack.dates import parse_lead_time
    from regtrack.formats.ics import WindowMode
    from regtrack.models import Status
    from regtrack.registry import builtin_path, load
    from regtrack.select import Filters
    from regtrack.workspace import open_workspace

    if source == "generated":
        path = generated(tmp_path, 100)
    elif source == "hostile":  # escapes, separators and multi-byte text across fold points
        text = FIXTURE.read_text(encoding="utf-8")
        long = "Überprüfung; der Daten, \\N und \\ ré-évaluée — " * 6 + "🩺" * 40
        text = re.sub(r'title: "Review .*"', lambda _: f"title: '{long}'", text)
        path = tmp_path / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
    else:
        path = FIXTURE if source == "fixture" else builtin_path()
    if source == "organisation":  # recurring duties, a ledger, overrides (events are timed)
        obligations = open_workspace(
            config_path=HERE_FIXTURES / "regtrack.yaml",
            today=dt.date(2026, 12, 20),
            include_all=True,
        ).every
    else:
        obligations = load([path]).obligations
    chosen = Filters(statuses=tuple(Status), include_done=True)
    alarm_sets = [(), (parse_lead_time("30d"), parse_lead_time("7d")), (parse_lead_time("PT12H"),)]
    for today in (dt.date(2026, 1, 10), dt.date(2026, 12, 20)):
        rows = [
            r
            for r in Agenda(obligations, Moment.start_of(today), chosen).window()
            if r.milestone.due_at is None
        ]
        assert rows
        combinations = [(mode, alarm_sets[1]) for mode in WindowMode]
        combinations += [(WindowMode.START, alarms) for alarms in (alarm_sets[0], alarm_sets[2])]
        named: dict[str, object] = {}
        if source == "hostile":  # a portfolio client's calendar: its name, its UIDs
            rows = [r._replace(organisation="clinique-a") for r in rows]
            named = {"name": "regtrack: Clinique A, Paris; 7e", "description": "a, b; c \\ d"}
        for mode, alarms in combinations:
            direct, reference = _both(rows, alarms=alarms, windows=mode, today=today, **named)  # type: ignore[arg-type]
            assert direct == reference, (source, today, mode, alarms)


def test_a_feed_with_timed_deadlines_or_a_previous_feed_takes_icalendar_s_path(
    tmp_path: Path,
) -> None:
    from regtrack.formats import ics

    events = tmp_path / "events.yaml"
    events.write_text(EVENTS, encoding="utf-8")
    result = run("export", "ics", "-r", "GDPR", "--today", "2026-11-26", "--events", str(events))
    assert result.code == 0 and "BEGIN:VTIMEZONE" in result.out  # icalendar adds the zone
    assert ics.render_calendar.__doc__


# Text around the fold points: ASCII, the escapes icalendar keeps with what they escape, and
# characters of two, three and four octets that a cut must not split.
_FOLD_ALPHABET = st.sampled_from(["a", " ", "\\", "^", ";", "é", "—", "€", "🩺", "\u00a0"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FOLD_ALPHABET, min_size=50, max_size=400).map("".join))
@example("a" * 61 + "^" + "b" * 20)  # a caret, then a backslash escape, at the first cut
@example("a" * 60 + "\\" + "b" * 20)
@example("a" * 61 + "🩺" + "b" * 20)  # a four-octet character across the cut
def test_folding_cuts_where_icalendar_cuts(text: str) -> None:
    """The direct writer's escaping and folding (issue 17: byte cuts, not a loop per
    character) against icalendar's serialiser, the reference, on lines of every length and mix
    of widths."""
    import icalendar

    from regtrack.formats.ics import _fold, _text

    event = icalendar.Event()
    event.add("description", text)
    reference = event.to_ical().decode("utf-8").split("\r\n", 1)[1].rsplit("\r\nEND:", 1)[0]
    assert _fold(f"DESCRIPTION:{_text(text)}") == reference


@pytest.mark.parametrize(
    ("zone", "at"),
    [
        ("Europe/Paris", "2026-03-27T10:00"),  # the deadline falls in summer time
        ("Europe/Paris", "2026-10-23T10:00"),  # ... in winter time
        ("Europe/London", "2026-06-01T09:30"),
        ("Europe/Berlin", "2026-12-01T16:40"),
    ],
)
def test_ical_js_reads_timed_deadlines_at_their_instant(tmp_path: Path, zone: str, at: str) -> None:
    """ical.js (Thunderbird's engine) read only the first of a VTIMEZONE's comma-separated
    RDATEs, and put a Paris deadline in summer an hour late (issue 28). Each deadline's end,
    as ical.js reads it, is the instant regtrack computed, in both seasons."""
    import zoneinfo

    consumer("ical.js")
    feed = tmp_path / "clock.ics"
    result = run("clock", "gdpr-art-33-breach-notification", "--at", at, "--tz", zone, "-f", "ics")
    assert result.code == 0, result.err
    feed.write_text(result.out, encoding="utf-8")
    read = subprocess.run(
        ["node", str(NODE / "ics.mjs"), str(feed)], capture_output=True, text=True, check=True
    ).stdout.split()
    shown = dt.datetime.fromisoformat(read[1].replace("Z", "+00:00"))
    event = dt.datetime.fromisoformat(at).replace(tzinfo=zoneinfo.ZoneInfo(zone))
    data = json.loads(
        run("clock", "gdpr-art-33-breach-notification", "--at", at, "--tz", zone, "-f", "json").out
    )
    due = dt.datetime.fromisoformat(data["deadlines"][0]["due"])
    assert shown == due.astimezone(dt.UTC), (zone, at, read)
    assert shown > event
    # vobject, which read only the first RDATE too
    parsed = vobject.readOne(result.out)
    assert parsed.vevent.dtend.value.astimezone(dt.UTC) == due.astimezone(dt.UTC)


# -- more consumers (issue 28): node-ical, recurring-ical-events, libical ----------------------


def _feeds(tmp_path: Path) -> dict[str, Path]:
    """Every kind of feed regtrack writes: the built-in registry's dates, a statutory clock in
    summer and in winter time, and a feed whose event was closed (CANCELLED, --previous)."""
    feeds = {}
    builtin = tmp_path / "builtin.ics"
    assert run("export", "ics", "--today", "2026-12-04", "-o", str(builtin), env=EPOCH).code == 0
    feeds["builtin"] = builtin
    for season, at in (("summer", "2026-03-27T10:00"), ("winter", "2026-10-23T10:00")):
        clock = run("clock", "gdpr-art-33-breach-notification", "--at", at, "--tz",
                    "Europe/Paris", "-f", "ics", env=EPOCH)  # fmt: skip
        assert clock.code == 0, clock.err
        feeds[season] = tmp_path / f"{season}.ics"
        feeds[season].write_text(clock.out, encoding="utf-8")
    events = tmp_path / "events.yaml"
    events.write_text(EVENTS, encoding="utf-8")
    first, closed = tmp_path / "first.ics", tmp_path / "closed.ics"
    common = ("export", "ics", "-r", "GDPR", "--events", str(events))
    assert run(*common, "--today", "2026-11-27", "-o", str(first), env=EPOCH).code == 0
    events.write_text(EVENTS.replace("tz: Europe/Paris}", "tz: Europe/Paris, closed: 2026-11-28}"))
    done = run(*common, "--today", "2026-11-29", "--previous", str(first), "-o", str(closed),
               env=EPOCH)  # fmt: skip
    assert done.code == 0, done.err
    feeds["closed"] = closed
    return feeds


def _icalendar_events(path: Path) -> dict[str, Any]:
    import icalendar

    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_node_ical_reads_every_feed_as_regtrack_wrote_it(tmp_path: Path) -> None:
    """node-ical: every event, its status, a date or a time, and its start and end instants."""
    consumer("node-ical")
    for name, feed in _feeds(tmp_path).items():
        lines = subprocess.run(
            ["node", str(NODE / "node-ical.mjs"), str(feed)],
            capture_output=True, text=True, check=True, env={**os.environ, "TZ": "UTC"},
        ).stdout.splitlines()  # fmt: skip
        read = {item["uid"]: item for item in map(json.loads, lines)}
        ours = _icalendar_events(feed)
        assert set(read) == set(ours), name
        for key, event in ours.items():
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            got = read[key]
            assert got["status"] == (str(event["STATUS"]) if "STATUS" in event else None)
            if isinstance(start, dt.datetime):
                assert not got["dateOnly"]
                for mine, theirs in ((start, got["start"]), (end, got["end"])):
                    assert dt.datetime.fromisoformat(theirs) == mine, (name, key)
            else:
                assert got["dateOnly"] and got["start"][:10] == start.isoformat(), (name, key)
                assert got["end"][:10] == end.isoformat(), (name, key)


def test_recurring_ical_events_finds_each_deadline_in_its_window(tmp_path: Path) -> None:
    """recurring-ical-events (what many Python calendar tools query a feed with): the events
    of a window are the ones regtrack dated in it, timed ones at their instant."""
    import icalendar
    import recurring_ical_events

    for name, feed in _feeds(tmp_path).items():
        calendar = icalendar.Calendar.from_ical(feed.read_bytes())
        ours = _icalendar_events(feed)
        for year in (2016, 2025, 2026, 2027, 2031):
            low, high = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
            found = {str(e["UID"]) for e in recurring_ical_events.of(calendar).between(low, high)}

            def within(event: Any, low: dt.date = low, high: dt.date = high) -> bool:
                start, end = event.decoded("DTSTART"), event.decoded("DTEND")
                if isinstance(start, dt.datetime):
                    low_at = dt.datetime.combine(low, dt.time(), start.tzinfo)
                    high_at = dt.datetime.combine(high, dt.time(), start.tzinfo)
                    return bool(start < high_at and end > low_at)
                return bool(start < high and end > low)

            assert found == {k for k, e in ours.items() if within(e)}, (name, year)


def _libical(feed: Path) -> subprocess.CompletedProcess[str] | None:
    """libical (Evolution, GNOME Calendar; Debian's GObject binding, with Debian's Python)."""
    script = (
        "import re, sys, gi\n"
        "gi.require_version('ICalGLib', '3.0')\n"
        "from gi.repository import ICalGLib\n"
        "text = open(sys.argv[1], encoding='utf-8', newline='').read()\n"
        "calendar = ICalGLib.Component.new_from_string(text)\n"
        "ok = calendar.check_restrictions()\n"
        "errors = sorted(set(re.findall(r'X-LIC-ERROR[^\\r\\n]*', calendar.as_ical_string())))\n"
        "events = calendar.count_components(ICalGLib.ComponentKind.VEVENT_COMPONENT)\n"
        "print(ok, events, errors)\n"
    )
    python = "/usr/bin/python3"
    probe = subprocess.run(
        [python, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"], capture_output=True
    ) if Path(python).exists() else None  # fmt: skip
    if probe is None or probe.returncode != 0:
        return None
    return subprocess.run(
        [python, "-c", script, str(feed)], capture_output=True, text=True, timeout=120
    )


def test_libical_finds_every_feed_valid_under_itip_publish(tmp_path: Path) -> None:
    """libical's iTIP restrictions (RFC 5546 for METHOD:PUBLISH) hold for every feed; the
    same check refuses a feed with an event's DTSTAMP taken out (so it can fail)."""
    feeds = _feeds(tmp_path)
    broken = tmp_path / "broken.ics"
    text = feeds["builtin"].read_bytes()
    cut = text.index(b"DTSTAMP")
    broken.write_bytes(text[:cut] + text[text.index(b"\r\n", cut) + 2 :])
    if _libical(broken) is None:
        if os.environ.get("CI"):
            pytest.fail("libical is not installed: .ci/run installs gir1.2-ical-3.0")
        pytest.skip("libical's GObject binding is not installed (apt-get install gir1.2-ical-3.0)")
    for name, feed in feeds.items():
        done = _libical(feed)
        assert done is not None and done.returncode == 0, done
        ok, events, errors = done.stdout.split(" ", 2)
        assert ok == "1" and errors.strip() == "[]", (name, done.stdout)
        assert int(events) == len(_icalendar_events(feed)), name
    refused = _libical(broken)
    assert refused is not None and refused.stdout.startswith("0 ")
