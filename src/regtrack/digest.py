"""The Monday digest (issue 18): what a person must know this week, as one value. Pure: the
day, the instant and the previous registry are arguments; formats in regtrack.formats.digest
turn it into text, Markdown, HTML, chat cards or an Atom feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from regtrack.checks import overdue
from regtrack.models import Due, Obligation
from regtrack.select import Filters, select_obligations, upcoming

if TYPE_CHECKING:
    from regtrack.diff import RegistryDiff
    from regtrack.orgmodels import Profile, Waiver


class Clock(NamedTuple):
    """An open statutory clock: a deadline an event started, with the time left at `now`."""

    due: Due
    left: dt.timedelta  # negative once the instant has passed; worded by formats.digest.lines


class ExpiringWaiver(NamedTuple):
    """A waiver whose last day falls in the digest's window (or has just passed)."""

    waiver: Waiver
    title: str  # the waived obligation's title, or its id when it is not loaded
    days_left: int  # from today to the waiver's last day; negative once expired


class Digest(NamedTuple):
    """Everything a digest says, in the order it says it."""

    today: dt.date
    now: dt.datetime  # aware; the instant clocks are counted at
    until: dt.date  # last day of the window
    organisation: str
    profile: Profile | None
    overdue: tuple[Due, ...]  # what `check` flags because its day has passed, oldest first
    clocks: tuple[Clock, ...]  # open statutory clocks, the most urgent first
    due: tuple[Due, ...]  # the window's other milestones, soonest first
    waivers: tuple[ExpiringWaiver, ...]  # waivers ending in the window, soonest first
    changes: RegistryDiff | None  # what changed since the previous registry, when one was given
    considered: int = 0  # how many obligations the selection holds (an empty digest says so)


# A waiver that expired up to this long ago is still news: the gate now fails on its deadline.
WAIVER_EXPIRED_NEWS = dt.timedelta(days=7)


def build_digest(
    obligations: Sequence[Obligation],
    filters: Filters,
    today: dt.date,
    now: dt.datetime,
    until: dt.date,
    *,
    waivers: Sequence[Waiver] = (),
    profile: Profile | None = None,
    changes: RegistryDiff | None = None,
) -> Digest:
    """The digest of `obligations` (those that apply) from `today` through `until`.

    Overdue rows are `upcoming`'s (regtrack.checks.overdue): what the gate flags. A deadline
    an event started (it has an exact instant) is a clock, whatever its day, while it is open
    and not done; the other rows are the window's milestones."""
    roles = profile.roles if profile is not None else ()
    late = overdue(obligations, filters, today, waivers, roles)
    late_keys = {(d.obligation.id, d.milestone.id) for d in late}
    clocks: list[Clock] = []
    rows: list[Due] = []
    for row in upcoming(obligations, filters, today, until):
        if (row.obligation.id, row.milestone.id) in late_keys:
            continue
        if row.milestone.due_at is not None:
            clocks.append(Clock(row, row.milestone.due_at - now))
        else:
            rows.append(row)
    # An event's deadline whose day has passed is overdue, and shown there; one whose day is
    # today but whose instant has passed stays a clock with negative time left.
    clocks.sort(key=lambda c: (c.left, c.due.obligation.id, c.due.milestone.id))
    # A waiver is news to the reader of a selection when its obligation is in the selection.
    titles = {o.id: o.title for o in select_obligations(obligations, filters)}
    ending = [
        ExpiringWaiver(w, titles[w.obligation], (w.until - today).days)
        for w in waivers
        if w.obligation in titles and today - WAIVER_EXPIRED_NEWS <= w.until <= until
    ]
    ending.sort(key=lambda e: (e.waiver.until, e.waiver.obligation, e.waiver.milestone))
    return Digest(
        today=today,
        now=now,
        until=until,
        organisation=profile.name if profile is not None else "",
        profile=profile,
        overdue=tuple(late),
        clocks=tuple(clocks),
        due=tuple(rows),
        waivers=tuple(ending),
        changes=changes if changes else None,
        considered=len(titles),
    )
