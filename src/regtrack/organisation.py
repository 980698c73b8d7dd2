"""An organisation's view of the registries: what applies to it, its overrides, its recurring
duties expanded into dates, and what its ledger says is done. Pure: values in, values out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from regtrack.dates import occurrences
from regtrack.errors import Problem
from regtrack.models import Milestone, Obligation, Precision, Status, Window
from regtrack.orgmodels import Completion, Event, Override, Profile, Waiver
from regtrack.select import suggest
from regtrack.vocabulary import covers

T = TypeVar("T")


def applicability(obligation: Obligation, profile: Profile | None) -> tuple[bool, list[str]]:
    """Whether the obligation applies to the organisation, and why (or why not), in words."""
    if obligation.not_applicable:
        return False, [
            f"your organisation file says it does not apply: {obligation.not_applicable}"
        ]
    if profile is None:
        return True, ["no profile: everything applies"]
    reasons: list[str] = []
    applies = True
    if profile.jurisdictions:
        places = [p for p in profile.jurisdictions if covers(p, obligation.jurisdiction)]
        if places:
            reasons.append(f"{obligation.jurisdiction} law applies in {', '.join(places)}")
        else:
            applies = False
            where = ", ".join(profile.jurisdictions)
            reasons.append(f"{obligation.jurisdiction} law does not apply in {where}")
    if obligation.roles and profile.roles:
        shared = sorted(set(obligation.roles) & set(profile.roles))
        if shared:
            reasons.append(f"it binds {', '.join(shared)}, which you are")
        else:
            applies = False
            reasons.append(
                f"it binds {', '.join(obligation.roles)}; you are {', '.join(profile.roles)}"
            )
    elif not obligation.roles:
        reasons.append("it binds every role")
    if obligation.sectors and profile.sectors:
        shared = sorted(set(obligation.sectors) & set(profile.sectors))
        if shared:
            reasons.append(f"it concerns the {', '.join(shared)} sector")
        else:
            applies = False
            reasons.append(f"it concerns {', '.join(obligation.sectors)}, not your sectors")
    return applies, reasons


def apply_overrides(
    obligations: Sequence[Obligation], overrides: Sequence[Override]
) -> list[Obligation]:
    """Owners, extra tags and not-applicable reasons from the organisation file."""
    by_id = {o.obligation: o for o in overrides}
    result = []
    for obligation in obligations:
        override = by_id.get(obligation.id)
        if override is None:
            result.append(obligation)
            continue
        result.append(
            obligation._replace(
                owner=override.owner or obligation.owner,
                tags=(*obligation.tags, *(t for t in override.tags if t not in obligation.tags)),
                not_applicable="" if override.applicable else override.reason,
                progress=override.progress.value if override.progress else obligation.progress,
            )
        )
    return result


def expand_recurring(obligation: Obligation, first: dt.date, last: dt.date) -> Obligation:
    """A recurring obligation with one dated milestone per occurrence between `first` and
    `last`; an occurrence on a non-working day moves as its `adjust` says. Milestone ids are the
    occurrence's nominal date (what `done --occurrence` names)."""
    from regtrack.periods import working_days

    recurrence = obligation.recurrence
    if recurrence is None:
        return obligation
    calendar = working_days(recurrence.country)
    verified = max((m.verified for m in obligation.milestones), default=recurrence.start)
    milestones = list(obligation.milestones)
    step = dt.timedelta(days=1 if recurrence.adjust == "next-working-day" else -1)
    for day in occurrences(recurrence.rule, recurrence.start, first, last):
        moved = day
        if recurrence.adjust:
            while not calendar.is_working(moved):
                moved += step
        note = (
            f"occurrence of {day.isoformat()}, moved to the {recurrence.adjust.replace('-', ' ')}"
            if moved != day
            else ""
        )
        milestones.append(
            Milestone(
                id=day.isoformat(),
                kind=recurrence.kind,
                window=Window(moved, moved, Precision.DAY, moved.isoformat()),
                status=Status.FIXED,
                verified=verified,
                title=f"occurrence of {day.isoformat()}",
                note=note,
            )
        )
    return obligation._replace(milestones=tuple(milestones))


def mark_done(
    obligations: Sequence[Obligation], ledger: Sequence[Completion], today: dt.date
) -> list[Obligation]:
    """Milestones the ledger completed by `today` carry their completion: a completion recorded
    after the day a command evaluates did not exist on that day (`--today` in the past)."""
    done = {(c.obligation, c.milestone): c for c in ledger if c.on <= today}
    if not done:
        return list(obligations)
    result = []
    for obligation in obligations:
        milestones = tuple(
            m._replace(done=done[(obligation.id, m.id)]) if (obligation.id, m.id) in done else m
            for m in obligation.milestones
        )
        result.append(obligation._replace(milestones=milestones))
    return result


def _target_problem(
    target: str,
    milestone: str,
    by_id: dict[str, Obligation],
    events: Sequence[Event],
    *,
    optional_milestone: bool = False,
) -> tuple[str, str] | None:
    """("id" or "milestone", message) when a ledger entry's or a waiver's target does not exist:
    an obligation and one of its milestones (or occurrence dates), or `obligation@event` and one
    of the obligation's periods."""
    base_id, _, event_id = target.partition("@")
    obligation = by_id.get(base_id)
    if obligation is None:
        close = suggest(base_id, list(by_id))
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        return "id", f"no obligation {base_id!r}{hint}"
    if event_id:
        # The event itself may be in an events file this run was not given (`done` records an
        # event of --events in the organisation file's ledger): that is not an error, or every
        # later run without that file failed (issue 24); `validate` notes it (unloaded_events).
        if not obligation.periods:
            return "id", f"{base_id} has no periods: no event starts a deadline of it"
        periods = [p.id for p in obligation.periods]
        if milestone not in periods and not (optional_milestone and not milestone):
            return (
                "milestone",
                f"{target} has no deadline {milestone!r} (it has: {', '.join(periods)})",
            )
        return None
    known = {m.id for m in obligation.milestones}
    if milestone in known or (optional_milestone and not milestone):
        return None
    if obligation.recurrence is None:
        listed = ", ".join(sorted(known)) or "none"
        return "milestone", f"{obligation.id} has no milestone {milestone!r} (it has: {listed})"
    try:
        dt.date.fromisoformat(milestone)
    except ValueError:
        return (
            "milestone",
            f"{milestone!r} is neither a milestone of {obligation.id} nor an occurrence date "
            "(YYYY-MM-DD)",
        )
    return None


def unloaded_events(
    ledger: Sequence[Completion], waivers: Sequence[Waiver], events: Sequence[Event]
) -> list[Problem]:
    """Ledger entries and waivers about an event that none of the files read records: not an
    error (its events file may simply not have been given), but unchecked, so `validate` says
    so with file and line."""
    known = {(e.obligation, e.id) for e in events}
    named = [
        *(("done", i, c.obligation, c.file, c.line) for i, c in enumerate(ledger)),
        *(("waivers", i, w.obligation, w.file, w.line) for i, w in enumerate(waivers)),
    ]
    notes = []
    for section, index, target, file, line in named:
        base, _, event = target.partition("@")
        if event and (base, event) not in known:
            notes.append(
                Problem(
                    file,
                    line,
                    1,
                    f"{section}[{index}].id",
                    f"event {event!r} of {base} is in none of the files read: give its "
                    "events file too to check it (e.g. regtrack validate regtrack.yaml "
                    "events.yaml)",
                )
            )
    return notes


def _fields(items: Sequence[T], section: str, baseline: str) -> list[tuple[str, T]]:
    """Each item with the field its messages name: `overrides[2]`, counted within its own file
    (an organisation file's waivers and a waivers file's are two lists), and under `baseline.`
    in a portfolio file (`baseline`, its name)."""
    counters: dict[str, int] = {}
    out = []
    for item in items:
        file = getattr(item, "file", "")
        index = counters[file] = counters.get(file, -1) + 1
        prefix = "baseline." if baseline and file == baseline else ""
        out.append((f"{prefix}{section}[{index}]", item))
    return out


def ledger_problems(
    ledger: Sequence[Completion],
    overrides: Sequence[Override],
    obligations: Sequence[Obligation],
    events: Sequence[Event] = (),
    baseline: str = "",
) -> list[Problem]:
    """Overrides and ledger entries must name obligations (and milestones) that exist; an
    event's deadline is `obligation@event` and one of the obligation's periods."""
    by_id = {o.id: o for o in obligations}
    problems = []
    for field, override in _fields(overrides, "overrides", baseline):
        if override.obligation not in by_id:
            found = _target_problem(override.obligation, "", by_id, (), optional_milestone=True)
            message = found[1] if found else f"no obligation {override.obligation!r}"
            problems.append(Problem(override.file, override.line, 1, f"{field}.id", message))
    for index, entry in enumerate(ledger):
        found = _target_problem(entry.obligation, entry.milestone, by_id, events)
        if found is not None:
            field, message = found
            problems.append(Problem(entry.file, entry.line, 1, f"done[{index}].{field}", message))
    return problems


def waiver_problems(
    waivers: Sequence[Waiver],
    obligations: Sequence[Obligation],
    events: Sequence[Event] = (),
    baseline: str = "",
) -> list[Problem]:
    """A waiver must name an obligation (and milestone) that exists, or an event's deadline
    (`obligation@event`): a typo would silently waive nothing, so it is an input error with
    file and line."""
    by_id = {o.id: o for o in obligations}
    problems = []
    for where, waiver in _fields(waivers, "waivers", baseline):
        found = _target_problem(
            waiver.obligation, waiver.milestone, by_id, events, optional_milestone=True
        )
        if found is not None:
            field, message = found
            problems.append(Problem(waiver.file, waiver.line, 1, f"{where}.{field}", message))
    return problems
