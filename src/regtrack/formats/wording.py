"""Wording shared by the formats for people (table, timeline, Markdown, HTML, digest): how an
entry of the agenda reads. Each says what regtrack.agenda decided, in words; none decides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from regtrack.agenda import Due, Standing
from regtrack.dates import instant_text
from regtrack.models import Milestone, Source, State

if TYPE_CHECKING:
    from regtrack.formats import Shown
    from regtrack.orgmodels import Profile


def days_text(row: Due) -> str:
    """How far off the date is, or what it is on the moment: `today`, `12`, `open`, `overdue`,
    `in force`, `passed`, or what decided more: `waived`, `done`, `cancelled`, and `passed` for
    a date owed by others only."""
    standing = row.standing
    if standing is Standing.CANCELLED:
        return "cancelled"
    if standing is Standing.DONE:
        return "done"
    if row.state is State.UPCOMING:
        return "today" if row.days_left == 0 else str(row.days_left)
    if row.state is State.OPEN:
        window = row.milestone.window
        return "today" if window.start == window.end else "open"
    if standing is Standing.WAIVED:
        return "waived"
    if standing is Standing.NOT_YOURS and row.state is State.OVERDUE:
        return "passed"
    return row.state.value.replace("-", " ")


def note(row: Due) -> str:
    """What decided the entry's standing, in a few words ("" when only the calendar did): who
    waived it and until when, who owes it, who did it, why it was cancelled; an expired waiver;
    or who owes it when only some roles do."""
    standing = row.standing
    if standing is Standing.CANCELLED:  # a superseded date says so in its status already
        return f"cancelled: {row.milestone.note}" if row.milestone.note else ""
    if standing is Standing.DONE and row.done is not None:
        done = row.done
        return f"done on {done.on.isoformat()} by {done.by}" + (
            f": {done.evidence}" if done.evidence else ""
        )
    if standing is Standing.NOT_YOURS:
        return f"owed by {', '.join(row.owers)}, not by you"
    waiver = row.waiver
    if standing is Standing.WAIVED and waiver is not None:
        return f"waived by {waiver.by} until {waiver.until.isoformat()}: {waiver.reason}"
    if waiver is not None and row.waiver_expired:
        return f"waiver by {waiver.by} expired on {waiver.until.isoformat()}"
    if row.milestone.owed_by:
        return f"owed by {', '.join(row.milestone.owed_by)}"
    return ""


def when_text(row: Due) -> str:
    """The date as people read it: the window as written (`2026-Q2`), or the instant a deadline
    ends at (`2026-12-07 24:00 CET`)."""
    at = row.due_at
    return instant_text(at) if at is not None else row.milestone.window.text


def quoted(source: Source) -> str:
    """The passage of a source that gives a date, and where it is: `“It shall apply from 2
    August 2026.” (Art. 113)`; "" when the source quotes nothing (issue 26)."""
    if not source.quote:
        return ""
    return f"\u201c{source.quote}\u201d" + (f" ({source.article})" if source.article else "")


def record_text(milestone: Milestone) -> list[str]:
    """What the registry knows of a date's own history, oldest first: when it was first listed,
    each correction, and why no source quotes it."""
    lines = []
    if milestone.added is not None:
        lines.append(f"in the registry since {milestone.added.isoformat()}")
    for r in milestone.previous:
        was = " ".join(
            x for x in (r.window.text if r.window else "", r.status.value if r.status else "") if x
        )
        lines.append(f"was {was} until {r.until.isoformat()}" + (f": {r.note}" if r.note else ""))
    if milestone.unquoted:
        lines.append(f"not quoted: {milestone.unquoted}")
    return lines


def source_label(source: Source) -> str:
    """What a link to a source is called: never "official text" for commentary."""
    return "official text" if source.official else "source (not official)"


# Standings that ask nothing of you now: drawn quietly, whatever their date.
_QUIET = frozenset(
    {
        Standing.CANCELLED,
        Standing.DONE,
        Standing.NOT_YOURS,
        Standing.WAIVED,
        Standing.IN_FORCE,
        Standing.PASSED,
    }
)


def urgency(row: Due) -> str:
    """The colour bucket: `past` (nothing to do: in force, passed, done, waived, cancelled or
    owed by others), `week` (overdue, open or within 7 days), `month` (within 30) or `later`."""
    if row.standing in _QUIET:
        return "past"
    if row.state in (State.OPEN, State.OVERDUE) or row.days_left <= 7:
        return "week"
    if row.days_left <= 30:
        return "month"
    return "later"


def profile_text(name: str, profile: Profile | None) -> str:
    """`Clinique A — FR · controller, deployer · health`: whose run it is, and the profile it
    used ("" when nothing is known)."""
    facets = (
        [", ".join(f) for f in (profile.jurisdictions, profile.roles, profile.sectors) if f]
        if profile is not None
        else []
    )
    name = name or (profile.name if profile is not None else "")
    return " — ".join(part for part in (name, " · ".join(facets)) if part)


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """`1 waiver`, `2 waivers`, `0 periods`."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def verdict(shown: Shown) -> str:
    """Whether an obligation applies to one client of a portfolio, and why: `applies: …`,
    `does not apply: …`, or `not in its registries`."""
    if shown.obligation is None:
        return "not in its registries"
    if shown.applies is None:
        return "no organisation profile"
    applies, reasons = shown.applies
    return f"{'applies' if applies else 'does not apply'}: {'; '.join(reasons)}"


def applying(shown: Sequence[Shown]) -> str:
    """`applies to 2 of 4 clients`."""
    n = sum(1 for s in shown if s.applies is not None and s.applies[0])
    return f"applies to {n} of {counted(len(shown), 'client')}"
