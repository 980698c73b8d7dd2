"""Filters and the upcoming window (regtrack.select)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from regtrack.agenda import Agenda, Due, Moment
from regtrack.models import Kind, Obligation, State, Status
from regtrack.registry import load
from regtrack.select import Filters, select_obligations, state_on, suggest
from tests.helpers import FIXTURE

OBLIGATIONS = load([FIXTURE]).obligations
DAY = dt.date(2026, 1, 10)


def upcoming(
    obligations: Sequence[Obligation], filters: Filters, day: dt.date, until: dt.date
) -> list[Due]:
    """What `upcoming` lists in its window (the filters select through the agenda)."""
    return Agenda(obligations, Moment.start_of(day), filters).window(day, until)


def ids(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [f"{r.obligation.id}/{r.milestone.id}" for r in rows]


def test_upcoming_is_soonest_first_and_bounded() -> None:
    rows = upcoming(OBLIGATIONS, Filters(), DAY, dt.date(2026, 8, 2))
    assert ids(rows) == [
        "test-deadline-amended/due",
        "test-quarter-expected/recommendation",
        "test-applies-day/applies",
    ]
    assert rows[0].days_left == (dt.date(2026, 3, 1) - DAY).days


def test_a_window_that_overlaps_the_range_is_included() -> None:
    # 2026-05-20 is inside 2026-Q2: the quarter is still open, days_left is negative.
    rows = upcoming(OBLIGATIONS, Filters(), dt.date(2026, 5, 20), dt.date(2026, 5, 21))
    assert ids(rows) == ["test-quarter-expected/recommendation"]
    assert rows[0].state is State.OPEN and rows[0].days_left < 0


def test_the_last_day_of_the_range_is_included() -> None:
    rows = upcoming(OBLIGATIONS, Filters(), DAY, dt.date(2026, 8, 1))
    assert "test-applies-day/applies" not in ids(rows)
    rows = upcoming(OBLIGATIONS, Filters(), dt.date(2026, 8, 2), dt.date(2026, 8, 2))
    assert ids(rows) == ["test-applies-day/applies"]


def test_superseded_dates_only_when_asked_for() -> None:
    end = dt.date(2026, 12, 31)
    assert "test-deadline-amended/old-due" not in ids(upcoming(OBLIGATIONS, Filters(), DAY, end))
    asked = Filters(statuses=(Status.SUPERSEDED,))
    assert ids(upcoming(OBLIGATIONS, asked, DAY, end)) == ["test-deadline-amended/old-due"]


def test_filters_are_case_insensitive_or_within_and_across() -> None:
    end = dt.date(2027, 12, 31)
    assert ids(upcoming(OBLIGATIONS, Filters(regulations=("gdpr",)), DAY, end)) == [
        "test-deadline-amended/due"
    ]
    both = Filters(regulations=("GDPR", "ai act"))
    assert len(upcoming(OBLIGATIONS, both, DAY, end)) == 2
    # -j FR is what applies in France: French law and EU law, as in a profile
    in_france = ids(upcoming(OBLIGATIONS, Filters(jurisdictions=("fr",)), DAY, end))
    assert "test-quarter-expected/recommendation" in in_france
    assert "test-applies-day/applies" in in_france  # EU law
    assert ids(upcoming(OBLIGATIONS, Filters(laws=("fr",)), DAY, end)) == [
        "test-quarter-expected/recommendation"
    ]
    health_ai = Filters(tags=("HEALTH",), roles=("provider",))
    assert ids(upcoming(OBLIGATIONS, health_ai, DAY, end)) == ["test-applies-day/applies"]
    assert ids(upcoming(OBLIGATIONS, Filters(kinds=(Kind.REVIEW,)), DAY, end)) == [
        "test-year-review/review"
    ]
    assert ids(upcoming(OBLIGATIONS, Filters(search=("Recommendation",)), DAY, end)) == [
        "test-quarter-expected/recommendation"
    ]


def test_list_selection_with_milestone_filters() -> None:
    chosen = select_obligations(OBLIGATIONS, Filters(statuses=(Status.EXPECTED,)))
    assert [o.id for o in chosen] == ["test-quarter-expected"]
    assert len(select_obligations(OBLIGATIONS, Filters())) == len(OBLIGATIONS)


def test_applies_date_passed_is_in_force_never_overdue() -> None:
    applies = OBLIGATIONS[0].milestones[0]
    deadline = OBLIGATIONS[2].milestones[0]
    later = dt.date(2027, 1, 1)
    assert state_on(applies, later) is State.IN_FORCE
    assert state_on(deadline, later) is State.OVERDUE
    assert state_on(applies, dt.date(2026, 8, 2)) is State.OPEN
    assert state_on(applies, dt.date(2026, 8, 1)) is State.UPCOMING


def test_suggestions_for_a_mistyped_id() -> None:
    known = [o.id for o in OBLIGATIONS]
    assert suggest("test-applies-dya", known)[0] == "test-applies-day"
    assert "test-quarter-expected" in suggest("quarter", known)
