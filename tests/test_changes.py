"""regtrack.changes: what changed in the law and in the registry since a day (issue 26)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from regtrack.changes import What, changes
from regtrack.registry import load
from tests.helpers import write

REGISTRY = """\
schema: 1
obligations:
  - id: demo
    title: Demo duty
    regulation: {short: DEMO, name: Demo Act, identifier: "32099R0001"}
    citation: Art. 1
    jurisdiction: EU
    summary: Test data, not legal facts.
    sources: [{url: "https://eur-lex.europa.eu/eli/reg/2099/1/oj", title: Demo Act}]
    milestones:
      - id: confirmed
        kind: deadline
        date: 2027-03-01
        status: fixed
        verified: 2026-11-20
        added: 2026-10-01
        previous:
          - {until: 2026-11-01, status: proposed, date: 2027}
          - {until: 2026-11-25, status: expected, date: 2027-Q1}
      - id: moved
        kind: applies
        date: 2028-01-01
        status: amended
        verified: 2026-11-20
        history:
          - {from: 2027-01-01, to: 2027-06-01, act: Act A, source: "https://eur-lex.europa.eu/a", published: 2026-09-15}
          - {from: 2027-06-01, to: 2028-01-01, act: Act B, source: "https://eur-lex.europa.eu/b", published: 2026-11-28}
      - id: cancelled
        kind: deadline
        date: 2027-05-01
        status: superseded
        verified: 2026-11-20
        previous:
          - {until: 2026-11-30, status: fixed}
      - id: silent
        kind: deadline
        date: 2027-05-01
        status: fixed
        verified: 2026-11-20
"""


def _changes(
    tmp_path: Path, since: str, until: str | None = None
) -> list[tuple[str, str, str, str]]:
    obligations = load([write(tmp_path, REGISTRY)]).obligations
    end = dt.date.fromisoformat(until) if until else None
    return [
        (c.on.isoformat(), c.what.value, c.milestone.id, f"{c.before} -> {c.after}")
        for c in changes(obligations, dt.date.fromisoformat(since), end)
    ]


def test_every_kind_of_change_on_the_day_it_became_known(tmp_path: Path) -> None:
    assert _changes(tmp_path, "2026-01-01") == [
        ("2026-09-15", "moved", "moved", "2027-01-01 -> 2027-06-01"),
        ("2026-10-01", "added", "confirmed", " -> 2027 proposed"),
        ("2026-11-01", "corrected", "confirmed", "2027 proposed -> 2027-Q1 expected"),
        ("2026-11-25", "confirmed", "confirmed", "2027-Q1 expected -> 2027-03-01 fixed"),
        ("2026-11-28", "moved", "moved", "2027-06-01 -> 2028-01-01"),
        ("2026-11-30", "cancelled", "cancelled", "2027-05-01 fixed -> 2027-05-01 superseded"),
    ]


def test_since_and_until_are_inclusive(tmp_path: Path) -> None:
    assert [c[0] for c in _changes(tmp_path, "2026-11-25", "2026-11-28")] == [
        "2026-11-25",
        "2026-11-28",
    ]
    assert _changes(tmp_path, "2026-12-01") == []


def test_a_move_the_registry_does_not_date_is_no_news(tmp_path: Path) -> None:
    text = REGISTRY.replace(", published: 2026-11-28", "")
    obligations = load([write(tmp_path, text)]).obligations
    found = changes(obligations, dt.date(2026, 1, 1))
    assert [c.on for c in found if c.what is What.MOVED] == [dt.date(2026, 9, 15)]
