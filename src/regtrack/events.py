"""Active events: what a team records in its repository (a breach detected, a request received)
becomes dated deadlines, so that `upcoming`, `check` and `export ics` include them. Pure, apart
from the `holidays` package that the counting reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from regtrack.dates import due_day, instant_text
from regtrack.errors import Problem
from regtrack.models import Kind, Milestone, Obligation, Precision, Status, Window
from regtrack.orgmodels import Event
from regtrack.periods import obligation_clock, rulebook_for, working_days
from regtrack.select import suggest


def event_problems(events: Sequence[Event], obligations: Sequence[Obligation]) -> list[Problem]:
    """An event must name an obligation with periods, and an unused id (its country and time
    zone are checked when the file is read)."""
    by_id = {o.id: o for o in obligations}
    problems, seen = [], set[str]()

    def problem(index: int, event: Event, field: str, message: str) -> None:
        problems.append(Problem(event.file, event.line, 1, f"events[{index}].{field}", message))

    for index, event in enumerate(events):
        if event.id in seen:
            problem(index, event, "id", f"duplicate event id {event.id!r}")
        seen.add(event.id)
        obligation = by_id.get(event.obligation)
        if obligation is None:
            close = suggest(event.obligation, list(by_id))
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            problem(index, event, "obligation", f"no obligation {event.obligation!r}{hint}")
        elif not obligation.periods:
            problem(index, event, "obligation", f"{obligation.id} has no periods to count")
        else:
            started = {p.trigger for p in obligation.periods if p.trigger}
            for position, (name, _) in enumerate(event.triggers):
                if name not in started:
                    close = suggest(name, sorted(started))
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    listed = ", ".join(sorted(started)) or "none"
                    problem(
                        index,
                        event,
                        f"triggers[{position}].name",
                        f"no period of {obligation.id} runs from {name!r} ({hint}its "
                        f"triggers: {listed})",
                    )
    return problems


# How long a closed event's deadlines stay in calendars as cancelled events, so that every
# calendar which imported them drops them (RFC 5546 §3.2.5: a CANCEL, here STATUS:CANCELLED in
# the published feed), before they leave the feed (README, "Calendars").
CANCELLED_FOR = dt.timedelta(days=90)


def expand(
    events: Sequence[Event], obligations: Sequence[Obligation], today: dt.date | None = None
) -> list[Obligation]:
    """For each open event, its obligation's deadlines counted from it, as an obligation of its
    own (`<obligation>@<event>`) with one dated milestone per deadline; a period's extension is
    left out (it applies only when invoked). A closed event's deadlines are superseded (so that
    `upcoming` and `check` drop them and calendars cancel them) for CANCELLED_FOR after its
    closing day, then gone."""
    by_id = {o.id: o for o in obligations}
    derived = []
    for event in events:
        base = by_id.get(event.obligation)
        if base is None or not base.periods:
            continue
        closed = event.closed
        if closed is not None and (today is None or today > closed + CANCELLED_FOR):
            continue
        clock = obligation_clock(
            base,
            event.at,
            event.zone,
            working_days(event.country),
            rulebook_for(base.jurisdiction),
            triggers=dict(event.triggers),
        )
        verified = max(p.verified for p in base.periods)
        milestones = []
        for line in clock.lines:
            if line.extended or line.counted is None:  # no date until its trigger happens
                continue
            due = line.counted.due
            day = due_day(due)  # 72 hours that end at 00:00 end with the day before
            milestones.append(
                Milestone(
                    id=line.id,
                    kind=Kind.DEADLINE,
                    window=Window(day, day, Precision.DAY, day.isoformat()),
                    status=Status.SUPERSEDED if closed is not None else line.status,
                    verified=verified,
                    title=f"{line.label}, by {instant_text(due).split(' ', 1)[1]}",
                    note=(f"event closed on {closed.isoformat()}; " if closed else "")
                    + line.counted.rule,
                    line=event.line,
                    due_at=due,
                    since=event.at,
                )
            )
        label = event.reference or event.id
        derived.append(
            base._replace(
                id=f"{base.id}@{event.id}",
                title=f"{base.title} ({label})",
                summary=f"Deadlines started by event {event.id} at {event.at.isoformat()}"
                + (f", reference {event.reference}" if event.reference else "")
                + f". {base.summary}",
                tags=(*base.tags, "event"),
                milestones=tuple(milestones),
                periods=(),
                file=event.file,
                line=event.line,
            )
        )
    return derived
