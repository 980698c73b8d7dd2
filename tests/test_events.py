"""Active events (regtrack.events): recorded events add their deadlines to upcoming, check and
the calendar; closing an event removes them; a bad event is an input error with file and line."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import vobject

from tests.helpers import HERE, run, write

EVENTS = (HERE / "fixtures" / "events.yaml").read_text(encoding="utf-8")


def test_upcoming_includes_the_deadlines_an_event_starts(tmp_path: Path) -> None:
    events = write(tmp_path, EVENTS, "events.yaml")
    result = run(
        "upcoming", "--events", str(events), "--today", "2026-11-27", "-w", "60d", "-f", "json"
    )
    assert result.code == 0, result.err
    rows = {(r["id"], r["milestone"]): r for r in json.loads(result.out)}
    breach = rows[("gdpr-art-33-breach-notification@breach-2026-11", "notify-authority")]
    assert breach["date"] == "2026-11-29" and breach["kind"] == "deadline"
    assert breach["milestone_title"].endswith("by 17:00 CET")
    assert ("nis2-art-23-incident-reporting@incident-7", "final-report") in rows
    # the early warning (21 Nov) has passed and is not done: it leads, as overdue (after the
    # built-in registry's passed deadlines, oldest first)
    listed = json.loads(result.out)
    lead = list(itertools.takewhile(lambda r: r["state"] == "overdue", listed))
    assert ("nis2-art-23-incident-reporting@incident-7", "early-warning") in {
        (r["id"], r["milestone"]) for r in lead
    }
    assert [r["date"] for r in lead] == sorted(r["date"] for r in lead)  # oldest first
    hidden = run(
        "upcoming",
        "--events",
        str(events),
        "--today",
        "2026-11-27",
        "-w",
        "60d",
        "-f",
        "json",
        "--no-overdue",
    )
    assert ("nis2-art-23-incident-reporting@incident-7", "early-warning") not in {
        (r["id"], r["milestone"]) for r in json.loads(hidden.out)
    }


def test_check_fails_on_an_open_breach_and_closing_it_clears(tmp_path: Path) -> None:
    events = write(tmp_path, EVENTS, "events.yaml")
    args = ("check", "-r", "gdpr", "--today", "2026-11-27", "--events", str(events))
    result = run(*args)
    assert result.code == 1
    assert "gdpr-art-33-breach-notification@breach-2026-11/notify-authority" in result.out
    closed = write(
        tmp_path,
        EVENTS.replace(
            "    reference: INC-2026-117\n", "    reference: INC-2026-117\n    closed: 2026-11-28\n"
        ),
        "events.yaml",
    )
    result = run("check", "-r", "gdpr", "--today", "2026-11-27", "--events", str(closed))
    assert result.code == 0 and "breach-2026-11" not in result.out


def test_events_from_the_environment(tmp_path: Path) -> None:
    events = write(tmp_path, EVENTS, "events.yaml")
    result = run(
        "upcoming", "--today", "2026-11-27", "-w", "5d", env={"REGTRACK_EVENTS": str(events)}
    )
    assert "breach-2026-11" in result.out


def test_calendar_has_timed_events_in_the_event_time_zone(tmp_path: Path) -> None:
    events = write(tmp_path, EVENTS, "events.yaml")
    out = tmp_path / "feed.ics"
    result = run(
        "export",
        "ics",
        "--events",
        str(events),
        "-r",
        "gdpr",
        "--within",
        "30d",
        "--today",
        "2026-11-27",
        "-o",
        str(out),
    )
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    calendar = vobject.readOne(text, validate=True)
    breach = next(e for e in calendar.vevent_list if "INC-2026-117" in e.summary.value)
    assert breach.dtend.value.isoformat() == "2026-11-29T17:00:00+01:00"
    assert "DTEND;TZID=Europe/Paris:20261129T170000" in text.replace("\r\n ", "")
    assert "BEGIN:VTIMEZONE" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            EVENTS.replace(
                "obligation: gdpr-art-33-breach-notification", "obligation: gdpr-art-33"
            ),
            "events.yaml:2:1: events[0].obligation: no obligation 'gdpr-art-33'",
        ),
        (
            EVENTS.replace(
                "obligation: gdpr-art-33-breach-notification", "obligation: gdpr-art-9-health-data"
            ),
            "events[0].obligation: gdpr-art-9-health-data has no periods to count",
        ),
        (
            EVENTS.replace("at: 2026-11-26T16:40", "at: last tuesday"),
            "events.yaml:4:9: events[0].at: 'last tuesday' is not a date and time",
        ),
        (
            EVENTS.replace("tz: Europe/Paris", "tz: Europe/Atlantis", 1),
            "events.yaml:5:9: events[0].tz: 'Europe/Atlantis' is not a time zone",
        ),
        # found by the fuzz test: zoneinfo reads names as paths (a folder, a name too long)
        (
            EVENTS.replace("tz: Europe/Paris", "tz: Europe", 1),
            "events.yaml:5:9: events[0].tz: 'Europe' is not a time zone",
        ),
        (
            EVENTS.replace("tz: Europe/Paris", "tz: " + "9" * 400, 1),
            "events.yaml:5:9: events[0].tz: '999",
        ),
        (
            EVENTS.replace("country: FR", "country: XX"),
            "events.yaml:6:14: events[0].country: 'XX' is not a country or region",
        ),
        (
            EVENTS.replace("id: incident-7", "id: breach-2026-11"),
            "events[1].id: duplicate event id 'breach-2026-11'",
        ),
    ],
)
def test_bad_events_are_input_errors(tmp_path: Path, text: str, message: str) -> None:
    events = write(tmp_path, text, "events.yaml")
    result = run("upcoming", "--events", str(events), "--today", "2026-11-27")
    assert result.code == 2
    assert message in result.err, result.err
