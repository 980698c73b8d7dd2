"""The CI gate's rules: a milestone in a calendar state → pass, warning or failure, and why.
Pure. regtrack.agenda applies them to every entry, with who owes it and waivers.

It warns first and fails later, so that no pipeline breaks overnight without warning:
- `deadline` and `review`: warn inside the warn window, fail inside the fail window, and fail once
  the window has passed (overdue) unless a waiver says the team has handled it;
- `applies`: warn, then fail as the day comes near; once the rules apply the milestone is in force
  and passes;
- `expected` kinds, and dates only `expected` or `proposed`, never fail unless `strict`: they warn;
- a waiver turns a warning or failure into `waived` until its last day; after it, it fails;
- a date that only public bodies must meet (the Commission's guidelines, a Member State's
  transposition: models.PUBLIC_BODIES) passes as "not yours", unless the user holds one of its
  roles (`--role`, or the organisation's profile).
"""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from regtrack.dates import instant_text
from regtrack.models import PUBLIC_BODIES, Kind, Milestone, Obligation, State, Status

if TYPE_CHECKING:
    from regtrack.agenda import Due


class Level(enum.StrEnum):
    """How a checked milestone comes out."""

    PASS = "pass"
    WARNING = "warning"
    FAILURE = "failure"
    WAIVED = "waived"


class Rule(enum.StrEnum):
    """Why a milestone warns or fails: the SARIF rule ids, stable for tools that track them."""

    OVERDUE = "overdue"
    DEADLINE_NEAR = "deadline-near"
    APPLIES_SOON = "applies-soon"
    EXPECTED_SOON = "expected-soon"
    WAIVER_EXPIRED = "waiver-expired"
    NONE = "none"


class Policy(NamedTuple):
    """The windows and strictness of a run."""

    warn_within: int = 60  # days
    fail_within: int = 14  # days
    strict: bool = False


def _days(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def _in(days: int) -> str:
    return "today" if days == 0 else f"in {_days(days)}"


def date_text(milestone: Milestone) -> str:
    """The date as a reason gives it: the window as written, or for a deadline that ends at a
    time, that instant (`2026-12-07 24:00 CET`)."""
    if milestone.due_at is not None:
        return instant_text(milestone.due_at)
    return milestone.window.text


def assess(
    milestone: Milestone, state: State, days: int, policy: Policy
) -> tuple[Level, Rule, str]:
    """The level of one milestone in a calendar `state`, `days` before its window starts, before
    who owes it and waivers are considered; and why."""
    m = milestone
    soft = not policy.strict and (
        m.kind is Kind.EXPECTED or m.status in (Status.EXPECTED, Status.PROPOSED)
    )
    date = date_text(m)
    if m.kind is Kind.APPLIES:
        if state is not State.UPCOMING:
            return Level.PASS, Rule.NONE, f"in force since {m.window.start.isoformat()}"
        rule, what = Rule.APPLIES_SOON, f"applies {_in(days)} ({date})"
    elif m.kind is Kind.EXPECTED:
        if state is State.PASSED:
            return Level.PASS, Rule.NONE, f"expected in {date}; the window has passed"
        rule, what = Rule.EXPECTED_SOON, f"expected {_in(days)} ({date})"
        if state is State.OPEN:
            what = f"expected now ({date})"
    else:
        if state is State.OVERDUE:
            if soft:
                return Level.WARNING, Rule.OVERDUE, f"{date} has passed ({m.status.value} date)"
            due_by = date if m.due_at is not None else m.window.end.isoformat()
            window = f" ({date})" if due_by != date else ""
            return Level.FAILURE, Rule.OVERDUE, f"overdue: was due by {due_by}{window}"
        rule = Rule.DEADLINE_NEAR
        what = f"due {_in(days)} ({date})" if days >= 0 else f"due by the end of {date}"
        if m.due_at is not None and state is State.OPEN:
            what = f"due today, by {date}"
    if days <= policy.fail_within:
        if soft:
            return Level.WARNING, rule, f"{what}; {m.status.value}, so a warning"
        return Level.FAILURE, rule, f"{what}; fails within {_days(policy.fail_within)}"
    if days <= policy.warn_within:
        return Level.WARNING, rule, f"{what}; warns within {_days(policy.warn_within)}"
    return Level.PASS, Rule.NONE, what


def owed_by_user(obligation: Obligation, milestone: Milestone, roles: Sequence[str]) -> bool:
    """Whether the user must meet this milestone: they hold one of the roles that owe it, or,
    with no roles known, it is owed by someone other than public bodies alone."""
    owers = {role.casefold() for role in obligation.owers(milestone)}
    if not owers:
        return True
    if roles:
        return bool(owers & {role.casefold() for role in roles})
    return not owers <= PUBLIC_BODIES


def failed(findings: "Sequence[Due]") -> bool:
    """True when the gate fails: at least one failure."""
    return any(f.level is Level.FAILURE for f in findings)


def counts(findings: "Sequence[Due]") -> dict[Level, int]:
    """How many findings of each level."""
    return {level: sum(1 for f in findings if f.level is level) for level in Level}
