"""What `regtrack done` may record: the open deadlines a target names. Pure.

A target is `OBLIGATION`, `OBLIGATION/MILESTONE`, `OBLIGATION@EVENT` or
`OBLIGATION@EVENT/DEADLINE` (the names `check` and `show` print). Only something that had to
be done can be done: a deadline or a review, a dated one, an occurrence of a recurring duty (by
its nominal date or the working day it moved to), or a deadline an event started. A date the
rules apply from is in force, not done; anything ambiguous is refused with the list of what can
be named, so that a completion never lands on the wrong milestone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from regtrack.errors import InvalidOption, UnknownId
from regtrack.models import Kind, Milestone, Obligation, Status
from regtrack.orgmodels import Event
from regtrack.select import suggest

_DOABLE = (Kind.DEADLINE, Kind.REVIEW)


def _name(obligation: Obligation, milestone: Milestone) -> str:
    return f"{obligation.id}/{milestone.id}"


def _open(obligation: Obligation) -> list[Milestone]:
    return [
        m
        for m in obligation.milestones
        if m.kind in _DOABLE and m.done is None and m.status is not Status.SUPERSEDED
    ]


def _listed(items: Sequence[tuple[Obligation, Milestone]]) -> str:
    shown = [f"{_name(o, m)} (due {m.window.text})" for o, m in items[:8]]
    more = f" and {len(items) - 8} more" if len(items) > 8 else ""
    return ", ".join(shown) + more if shown else "nothing is open"


def targets(
    every: Sequence[Obligation],
    events: Sequence[Event],
    target: str,
    milestone: str | None,
    today: dt.date,
    *,
    whole_event: bool = False,
) -> list[tuple[Obligation, Milestone]]:
    """The open milestones `target` (and `milestone`, from --occurrence) name; InvalidOption
    listing what can be named when it names nothing open, or more than one thing."""
    wanted, _, named = target.strip().partition("/")
    given = (milestone or "").strip()
    if named and given and named != given:
        raise InvalidOption("--occurrence", f"{given!r} and {target!r} name different milestones")
    named = named or given
    by_id = {o.id: o for o in every}
    obligation = by_id.get(wanted)
    if obligation is None:
        base, _, event_id = wanted.partition("@")
        if event_id and base in by_id:
            recorded = [e for e in events if e.obligation == base]
            state = next(
                (f" (event {e.id} was closed on {e.closed})" for e in recorded if e.id == event_id),
                "",
            )
            live = [f"{base}@{e.id}" for e in recorded if e.closed is None]
            raise InvalidOption(
                "ID",
                f"{base} has no open event {event_id!r}{state}; open: {', '.join(live) or 'none'}",
            )
        raise UnknownId(wanted, suggest(wanted.casefold(), list(by_id)))
    candidates = [(obligation, m) for m in _open(obligation)]
    if named:
        found = [m for m in obligation.milestones if m.id == named]
        if not found and obligation.recurrence is not None:  # the day it moved to
            found = [m for m in obligation.milestones if m.window.start.isoformat() == named]
        if not found:
            raise InvalidOption(
                "--occurrence",
                f"{obligation.id} has no milestone or occurrence {named!r}; open: "
                f"{_listed(candidates)}",
            )
        chosen = found[0]
        if chosen.done is not None:
            raise InvalidOption(
                "ID",
                f"{_name(obligation, chosen)} is already recorded as done on {chosen.done.on} "
                f"by {chosen.done.by}",
            )
        if chosen.kind not in _DOABLE or chosen.status is Status.SUPERSEDED:
            if chosen.kind is Kind.APPLIES:
                what = "a date the rules apply from: it is in force, not done"
            elif chosen.status is Status.SUPERSEDED:
                what = "superseded, nothing for you to complete"
            else:
                what = "an expected publication, nothing for you to complete"
            raise InvalidOption(
                "ID", f"{_name(obligation, chosen)} is {what}; open: {_listed(candidates)}"
            )
        return [(obligation, chosen)]
    if whole_event and "@" in obligation.id and candidates:
        return candidates
    if obligation.recurrence is not None and candidates:
        due_now = [c for c in candidates if c[1].window.start <= today]
        if due_now:
            return [max(due_now, key=lambda c: c[1].window.start)]
        # nothing is due yet: recording the next occurrence early must be asked for by name
        # (it was recorded silently, issue 24)
        following = min(candidates, key=lambda c: c[1].window.start)[1]
        raise InvalidOption(
            "ID",
            f"{obligation.id} has no occurrence due by {today.isoformat()}; its next one is "
            f"{following.window.text}: name it with --occurrence {following.id} to record it "
            "early",
        )
    if len(candidates) == 1:
        return candidates
    from_events = [
        (derived, m)
        for derived in every
        if derived.id.startswith(obligation.id + "@")
        for m in _open(derived)
    ]
    if not candidates and from_events:
        raise InvalidOption(
            "ID",
            f"{obligation.id}'s deadlines run from events: name one of {_listed(from_events)}",
        )
    if not candidates:
        periods = " (its deadlines run from events: record one in events:)" * bool(
            obligation.periods
        )
        raise InvalidOption(
            "ID", f"{obligation.id} has no open deadline or review to record as done{periods}"
        )
    hint = " (or --all-deadlines for every one of this event)" if "@" in obligation.id else ""
    raise InvalidOption(
        "ID", f"{obligation.id} has several open deadlines: name one of {_listed(candidates)}{hint}"
    )
