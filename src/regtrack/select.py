"""Filters, and where a date stands on the calendar. Pure: `today` is always an argument. What a
date means for the organisation is decided in regtrack.agenda."""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from regtrack.models import Kind, Milestone, Obligation, State, Status
from regtrack.vocabulary import country_of, covers


class Filters(NamedTuple):
    """What the user asked to see. Values within one filter are alternatives (OR), filters are
    combined (AND); every comparison is case-insensitive."""

    regulations: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()
    kinds: tuple[Kind, ...] = ()
    search: tuple[str, ...] = ()
    include_done: bool = False  # milestones the ledger completed (calendars keep them)
    laws: tuple[str, ...] = ()  # law made by exactly this jurisdiction (`--law FR`)


def _folded(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values}


def _haystack(obligation: Obligation) -> str:
    reg = obligation.regulation
    parts = [
        obligation.id,
        obligation.title,
        obligation.summary,
        obligation.citation,
        obligation.authority,
        reg.short,
        reg.name,
        reg.identifier,
        *obligation.tags,
        *(m.title for m in obligation.milestones),
        *(p.title for p in obligation.periods),
    ]
    return "\n".join(parts).casefold()


def obligation_matches(obligation: Obligation, filters: Filters) -> bool:
    """True when the obligation passes every obligation-level filter."""
    reg = obligation.regulation
    if filters.regulations and not _folded(filters.regulations) & _folded(
        (reg.short, reg.name, reg.identifier)
    ):
        return False
    # `-j FR` means what a profile's FR means: what applies in France, EU law included
    if filters.jurisdictions and not any(
        covers(place, obligation.jurisdiction) for place in filters.jurisdictions
    ):
        return False
    if filters.laws and not any(
        law.upper() in (obligation.jurisdiction, country_of(obligation.jurisdiction))
        for law in filters.laws
    ):
        return False
    if filters.tags and not _folded(filters.tags) & _folded(obligation.tags):
        return False
    # as in a profile: an obligation that names no role binds every role
    if (
        filters.roles
        and obligation.roles
        and not _folded(filters.roles) & _folded(obligation.roles)
    ):
        return False
    if filters.search:
        haystack = _haystack(obligation)
        if not all(term.casefold() in haystack for term in filters.search):
            return False
    return True


def milestone_matches(milestone: Milestone, filters: Filters) -> bool:
    """True when the milestone passes the status and kind filters. Superseded dates are shown only
    when asked for by `--status superseded`; completed ones only when `include_done`."""
    if milestone.done is not None and not filters.include_done:
        return False
    if filters.statuses:
        if milestone.status not in filters.statuses:
            return False
    elif milestone.status is Status.SUPERSEDED:
        return False
    return not filters.kinds or milestone.kind in filters.kinds


def select_obligations(obligations: Sequence[Obligation], filters: Filters) -> list[Obligation]:
    """The obligations that pass the filters; with a status or kind filter, those that have at
    least one milestone passing it."""
    chosen = []
    for obligation in obligations:
        if not obligation_matches(obligation, filters):
            continue
        if (filters.statuses or filters.kinds) and not any(
            milestone_matches(m, filters) for m in obligation.milestones
        ):
            continue
        chosen.append(obligation)
    return chosen


def state_on(milestone: Milestone, today: dt.date) -> State:
    """Where a milestone stands on `today`: an `applies` date that has passed is in force, a
    `deadline` that has passed is overdue."""
    window = milestone.window
    if today < window.start:
        return State.UPCOMING
    if today <= window.end:
        return State.OPEN
    if milestone.kind is Kind.APPLIES:
        return State.IN_FORCE
    if milestone.kind in (Kind.DEADLINE, Kind.REVIEW):  # something had to be done by then
        return State.OVERDUE
    return State.PASSED


def suggest(wanted: str, ids: Sequence[str], limit: int = 3) -> list[str]:
    """The ids closest to a mistyped one: close spellings first, then ids containing it."""
    import difflib

    close = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.6)
    containing = [i for i in ids if wanted.casefold() in i and i not in close]
    return [*close, *containing][:limit]


def selection_problem(
    chosen: Sequence[Obligation], every: Sequence[Obligation], filters: Filters
) -> tuple[str, str] | None:
    """(option, message) when a filter names nothing that exists, or the selection matches no
    obligation: a gate or a listing must never read "nothing to do" because of a typo."""
    for option, wanted, known in (
        (
            "--regulation",
            filters.regulations,
            {
                v
                for o in every
                for v in (o.regulation.short, o.regulation.name, o.regulation.identifier)
            },
        ),
        ("--tag", filters.tags, {t for o in every for t in o.tags}),
    ):
        folded = _folded(known)
        for value in wanted:
            if value.casefold() not in folded:
                shown = (
                    sorted(known)
                    if option == "--tag"
                    else sorted({o.regulation.short for o in every})
                )
                close = suggest(value, shown)
                hint = f"did you mean {close[0]!r}? " if close else ""
                return option, f"no obligation has {value!r} ({hint}known: {', '.join(shown)})"
    if select_obligations(chosen, filters):
        return None
    asked = _described(filters)
    elsewhere = len(select_obligations(every, filters))
    if not asked:
        return (
            "selection",
            f"no obligation applies to your profile ({elsewhere} loaded; check the profile of "
            "your organisation file, or use --all)",
        )
    if elsewhere:
        return (
            "selection",
            f"{asked} matches no obligation that applies to you ({elsewhere} that do not apply "
            "to your profile; --all shows them)",
        )
    return "selection", f"{asked} matches no obligation"


def _described(filters: Filters) -> str:
    """The filters as the user gave them, for messages."""
    parts = [
        *(f"-r {v!r}" for v in filters.regulations),
        *(f"-j {v}" for v in filters.jurisdictions),
        *(f"--law {v}" for v in filters.laws),
        *(f"-t {v!r}" for v in filters.tags),
        *(f"--role {v}" for v in filters.roles),
        *(f"--status {v.value}" for v in filters.statuses),
        *(f"--kind {v.value}" for v in filters.kinds),
        *(f"-s {v!r}" for v in filters.search),
    ]
    return "the selection " + " ".join(parts) if parts else ""
