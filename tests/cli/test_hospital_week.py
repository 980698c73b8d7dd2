"""The hospital's week around a breach (issue 24), moment by moment: found at 23:10 in Paris on
Friday 4 December 2026 (and recorded at once), its 72 hours end at 00:00 on Tuesday, the end of
Monday 7 December.
What each view says about that deadline at each moment, until the DPO records the
notification, from a clean folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import icalendar

from tests.helpers import BREACH, run, write
from tests.helpers import BREACH_EVENTS as EVENTS

NAME = f"{BREACH}/notify-authority"
# (day, instant in Paris, upcoming's Days, calendar state, digest's time left, the gate says)
WEEK = [
    ("2026-12-04", "22:00", "3", "upcoming",
     "not started: the event is dated 2026-12-04 23:10 CET, after now",
     "due in 3 days (2026-12-07 24:00 CET)"),
    ("2026-12-04", "23:30", "3", "upcoming", "72 h left", "due in 3 days (2026-12-07 24:00 CET)"),
    ("2026-12-05", "09:00", "2", "upcoming", "63 h left", "due in 2 days (2026-12-07 24:00 CET)"),
    ("2026-12-06", "09:00", "1", "upcoming", "39 h left", "due in 1 day (2026-12-07 24:00 CET)"),
    ("2026-12-07", "09:00", "today", "open", "15 h left", "due today, by 2026-12-07 24:00 CET"),
    ("2026-12-07", "23:30", "today", "open", "under 1 h left", "due today, by 2026-12-07 24:00 CET"),
    ("2026-12-08", "00:30", "overdue", "overdue", "overdue by under 1 h",
     "overdue: was due by 2026-12-07 24:00 CET"),
    ("2026-12-08", "09:00", "overdue", "overdue", "overdue by 9 h",
     "overdue: was due by 2026-12-07 24:00 CET"),
]  # fmt: skip


def _at(day: str, time: str) -> tuple[str, ...]:
    return ("--events", "events.yaml", "--today", day, "--now", f"{day}T{time}+01:00")


def _row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    found = [r for r in rows if f"{r['id']}/{r['milestone']}" == NAME]
    assert len(found) == 1
    return found[0]


def test_the_72_hours_day_by_day(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    roles = ("--role", "controller", "--role", "deployer", "--role", "essential-entity")
    assert run("init", "--name", "CHU", "-j", "FR", *roles, "--sector", "health").code == 0
    write(tmp_path, EVENTS, "events.yaml")

    clock = run("clock", "gdpr-art-33-breach-notification", "--at", "2026-12-04T23:10",
                "--tz", "Europe/Paris", "--country", "FR")  # fmt: skip
    assert "Mon 2026-12-07 24:00 CET  Notify the supervisory authority" in clock.out

    for day, time, days, state, left, gate_says in WEEK:
        moment = _at(day, time)
        where = f"{day} {time}"
        # upcoming: filed under Monday 7 December, whatever the day
        table = run("upcoming", *moment, "-w", "7d").out
        line = next(x for x in table.splitlines() if x.startswith("2026-12-07"))
        assert line.split()[1] == days, (where, line)
        row = _row(json.loads(run("upcoming", *moment, "-w", "7d", "-f", "json").out))
        assert (row["date"], row["state"], row["standing"]) == ("2026-12-07", state, state), where
        if state == "overdue":  # it leads, before the window's dates
            rows = json.loads(run("upcoming", *moment, "-w", "7d", "-f", "json").out)
            assert rows[0]["id"] == BREACH, where
        # check: fails all week, and says why in the same words
        gate = run("check", *moment)
        assert gate.code == 1
        said = next(x for x in gate.out.splitlines() if NAME in x)
        assert said.startswith("FAIL") and gate_says in said, (where, said)
        # timeline: on the chart's day, in the same state
        timeline = json.loads(run("timeline", *moment, "-f", "json").out)
        assert _row(timeline["overdue"] + timeline["period"])["state"] == state, where
        # the digest: a clock running until its instant, then overdue, in hours
        digest = run("digest", *moment).out
        assert f"2026-12-07 24:00 CET · {left}" in digest, (where, digest)
        section = "Overdue" if state == "overdue" else "Statutory clocks running"
        assert digest.index(section) < digest.index(left), where
        # the report: its table row, and the gate's count of the same
        page = tmp_path / "report.html"
        assert run("report", *moment, "-o", str(page)).code == 0
        html = page.read_text(encoding="utf-8")
        assert f'data-id="{NAME}" data-standing="{state}"' in html, where

    # Tuesday 09:30: the DPO records the notification made at 23:00 on Monday
    done = run("done", BREACH, "--evidence", "CNIL notification 2026-42", "--by", "DPO",
               "--on", "2026-12-07", *_at("2026-12-08", "09:30")[:4])  # fmt: skip
    assert done.code == 0, done.err
    after = _at("2026-12-08", "10:00")
    assert NAME not in run("upcoming", *after).out
    assert NAME not in run("check", *after).out and run("check", *after).code in (0, 1)
    assert BREACH not in run("digest", *after).out
    shown = json.loads(run("show", BREACH, *after, "-f", "json").out)
    notified = next(m for m in shown["milestones"] if m["id"] == "notify-authority")
    assert (notified["state"], notified["standing"]) == ("overdue", "done")
    assert "Done on 2026-12-07 by DPO: CNIL notification 2026-42" in run("show", BREACH, *after).out
    feed = tmp_path / "deadlines.ics"
    assert run("export", "ics", *after, "-o", str(feed)).code == 0
    event = next(
        e for e in icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
        if "Notify the supervisory authority" in str(e.get("SUMMARY"))
    )  # fmt: skip
    assert str(event.get("SUMMARY")).endswith("[done]")
    assert event.decoded("DTEND").isoformat() == "2026-12-08T00:00:00+01:00"
    assert not event.walk("VALARM")
