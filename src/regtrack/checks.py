"""The CI gate: milestones as of a day → pass, warning, failure or waived findings. Pure.

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

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from regtrack.models import PUBLIC_BODIES, Due, Kind, Milestone, Obligation, Status
from regtrack.select import Filters, due, milestone_matches, obligation_matches

if TYPE_CHECKING:
    from regtrack.orgmodels import Waiver


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


class Finding(NamedTuple):
    """One checked milestone."""

    due: Due
    level: Level
    rule: Rule
    reason: str
    waiver: Waiver | None = None

    @property
    def name(self) -> str:
        """Unique in a run: `obligation/milestone`."""
        return f"{self.due.obligation.id}/{self.due.milestone.id}"


def _in(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


def assess(row: Due, today: dt.date, policy: Policy) -> tuple[Level, Rule, str]:
    """The level of one milestone, before waivers, and why."""
    m = row.milestone
    days = row.days_left
    soft = not policy.strict and (
        m.kind is Kind.EXPECTED or m.status in (Status.EXPECTED, Status.PROPOSED)
    )
    date = m.window.text
    if m.kind is Kind.APPLIES:
        if today >= m.window.start:
            return Level.PASS, Rule.NONE, f"in force since {m.window.start.isoformat()}"
        rule, what = Rule.APPLIES_SOON, f"applies {_in(days)} ({date})"
    elif m.kind is Kind.EXPECTED:
        if today > m.window.end:
            return Level.PASS, Rule.NONE, f"expected in {date}; the window has passed"
        rule, what = Rule.EXPECTED_SOON, f"expected {_in(days)} ({date})"
        if today >= m.window.start:
            what = f"expected now ({date})"
    else:
        if today > m.window.end:
            if soft:
                return Level.WARNING, Rule.OVERDUE, f"{date} has passed ({m.status.value} date)"
            due_by = m.window.end.isoformat()
            return Level.FAILURE, Rule.OVERDUE, f"overdue: was due by {due_by} ({date})"
        rule = Rule.DEADLINE_NEAR
        what = f"due {_in(days)} ({date})" if days >= 0 else f"due by the end of {date}"
    if days <= policy.fail_within:
        if soft:
            return Level.WARNING, rule, f"{what}; {m.status.value}, so a warning"
        return Level.FAILURE, rule, f"{what}; fails within {policy.fail_within} days"
    if days <= policy.warn_within:
        return Level.WARNING, rule, f"{what}; warns within {policy.warn_within} days"
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


def _waive(finding: Finding, waivers: Sequence[Waiver], today: dt.date) -> Finding:
    o, m = finding.due.obligation, finding.due.milestone
    waiver = next((w for w in waivers if w.covers(o.id, m.id)), None)
    if waiver is None or finding.level is Level.PASS:
        return finding
    if today > waiver.until:
        reason = f"waiver by {waiver.by} expired on {waiver.until.isoformat()}; {finding.reason}"
        return Finding(finding.due, Level.FAILURE, Rule.WAIVER_EXPIRED, reason, waiver)
    reason = f"waived by {waiver.by} until {waiver.until.isoformat()}: {waiver.reason}"
    return Finding(finding.due, Level.WAIVED, finding.rule, reason, waiver)


def check(
    obligations: Sequence[Obligation],
    filters: Filters,
    today: dt.date,
    policy: Policy,
    waivers: Sequence[Waiver] = (),
    roles: Sequence[str] = (),
) -> list[Finding]:
    """Every milestone that passes the filters (superseded dates aside), assessed, soonest
    first. `roles` are the user's (their profile's); `filters.roles` count as theirs too."""
    mine = (*roles, *filters.roles)
    findings = []
    for obligation in obligations:
        if not obligation_matches(obligation, filters):
            continue
        for milestone in obligation.milestones:
            if not milestone_matches(milestone, filters):
                continue
            row = due(obligation, milestone, today)
            level, rule, reason = assess(row, today, policy)
            if level is not Level.PASS and not owed_by_user(obligation, milestone, mine):
                owers = ", ".join(obligation.owers(milestone))
                level, rule = Level.PASS, Rule.NONE
                reason = f"{reason.split(';')[0]}; owed by {owers}, not by you"
            findings.append(_waive(Finding(row, level, rule, reason), waivers, today))
    findings.sort(key=lambda f: (f.due.milestone.window.start, f.name))
    return findings


def failed(findings: Sequence[Finding]) -> bool:
    """True when the gate fails: at least one failure."""
    return any(f.level is Level.FAILURE for f in findings)


def counts(findings: Sequence[Finding]) -> dict[Level, int]:
    """How many findings of each level."""
    return {level: sum(1 for f in findings if f.level is level) for level in Level}


def overdue(
    obligations: Sequence[Obligation],
    filters: Filters,
    today: dt.date,
    waivers: Sequence[Waiver] = (),
    roles: Sequence[str] = (),
) -> list[Due]:
    """What the gate flags because its day has passed (overdue and not done, owed by the user,
    not under a live waiver), oldest first: `upcoming` leads with it whatever its window, so
    that what `check` reports is never hidden from a person. That is what it fails on, and a
    deadline whose passed date was only expected or proposed, which it warns on: the DSPT's
    expected 30 June may have been missed as surely as a statutory date."""
    late = [
        o._replace(milestones=passed)
        for o in obligations
        if (passed := tuple(m for m in o.milestones if m.window.end < today and m.done is None))
    ]
    return [
        f.due
        for f in check(late, filters, today, Policy(), waivers, roles)
        if f.level is Level.FAILURE or (f.level is Level.WARNING and f.rule is Rule.OVERDUE)
    ]
