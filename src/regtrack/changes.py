"""What changed in the law and in the registry since a day (`regtrack changes --since`, issue 26).

The registry records when each of its facts became known, so that a user learns what changed
since their last look without keeping the old file (`diff` compares two files):

- a milestone's `added`: the day the registry first listed it;
- a move's `published` (`history`): the day the amending act that moved the date was published;
- a milestone's `previous`: what the registry said before a correction no amending act made (an
  `expected` date a decision fixed, a quarter that became a day, a date cancelled), until when.

Each becomes one `Changed`, dated; the views list them and never decide anything of their own.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import NamedTuple

from regtrack.models import Milestone, Obligation, Status, Window


class What(enum.StrEnum):
    """The kinds of change, as users ask about them."""

    ADDED = "added"  # the registry lists a new date
    MOVED = "moved"  # an amending act moved the date
    CONFIRMED = "confirmed"  # a guess (expected, proposed) became a date set by an official text
    CORRECTED = "corrected"  # the registry corrected the date or its status, no act moved it
    CANCELLED = "cancelled"  # the date is no longer the date (superseded)


class Changed(NamedTuple):
    """One change to one milestone, on the day it became known."""

    on: dt.date
    what: What
    obligation: Obligation
    milestone: Milestone
    before: str  # `2026-Q2 expected`, `2026-08-02`; "" for an added date
    after: str  # what it is since that change
    by: str  # the amending act, or "registry"
    source: str  # where to read about it: the act, else the date's first source
    official: bool = True  # whether that source is an official text

    @property
    def name(self) -> str:
        """`obligation-id/milestone-id`, as every other view names an item."""
        return f"{self.obligation.id}/{self.milestone.id}"


def changes(
    obligations: Iterable[Obligation], since: dt.date, until: dt.date | None = None
) -> list[Changed]:
    """Every change known from `since` through `until` (inclusive), oldest first, then in
    registry order."""
    found: list[tuple[dt.date, int, Changed]] = []
    order = 0
    for obligation in obligations:
        for milestone in obligation.milestones:
            for change in _of(obligation, milestone):
                if since <= change.on and (until is None or change.on <= until):
                    found.append((change.on, order, change))
                order += 1
    return [change for _, _, change in sorted(found, key=lambda t: (t[0], t[1]))]


def _state(window: Window, status: Status) -> str:
    return f"{window.text} {status.value}"


def _of(obligation: Obligation, milestone: Milestone) -> list[Changed]:
    from regtrack.strict import is_official

    sources = obligation.milestone_sources(milestone)
    first = sorted(sources, key=lambda s: not s.official)[0] if sources else None
    where = first.url if first else ""
    official = first.official if first else False
    out: list[Changed] = []
    # The states the milestone went through, oldest first: each revision says what it was until
    # a day; what it became is the next revision's state, or today's (a revision that names only
    # the status kept the date, and the other way round).
    states: list[tuple[Window, Status]] = []
    window, status = milestone.window, milestone.status
    for revision in reversed(milestone.previous):
        window = revision.window or window
        status = revision.status or status
        states.append((window, status))
    states.reverse()
    states.append((milestone.window, milestone.status))
    if milestone.added is not None:
        first_window, first_status = states[0]
        out.append(
            Changed(
                milestone.added,
                What.ADDED,
                obligation,
                milestone,
                "",
                _state(first_window, first_status),
                "registry",
                where,
                official,
            )
        )
    for index, revision in enumerate(milestone.previous):
        (old_window, old_status), (new_window, new_status) = states[index], states[index + 1]
        if new_status is Status.SUPERSEDED:
            what = What.CANCELLED
        elif old_status in (Status.EXPECTED, Status.PROPOSED) and new_status in (
            Status.FIXED,
            Status.AMENDED,
        ):
            what = What.CONFIRMED
        else:
            what = What.CORRECTED
        out.append(
            Changed(
                revision.until,
                what,
                obligation,
                milestone,
                _state(old_window, old_status),
                _state(new_window, new_status),
                "registry",
                where,
                official,
            )
        )
    for move in milestone.history:
        if move.published is None:  # a move the registry does not date is not news of any day
            continue
        out.append(
            Changed(
                move.published,
                What.MOVED,
                obligation,
                milestone,
                move.old.text,
                move.new.text,
                move.act,
                move.source,
                is_official(move.source),
            )
        )
    return out
