"""The Monday digest (issue 18): what a person must know this week, as one value, selected from
the agenda (regtrack.agenda) that every other view renders. Pure: the moment and the previous
registry are arguments; formats in regtrack.formats.digest turn it into text, Markdown, HTML,
chat cards, an Atom feed or JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from regtrack.agenda import Agenda, Due, Standing
from regtrack.checks import Level
from regtrack.models import Kind, State

if TYPE_CHECKING:
    from regtrack.changes import Changed
    from regtrack.diff import RegistryDiff
    from regtrack.orgmodels import Profile, Waiver


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
    overdue: tuple[Due, ...]  # the agenda's lead: what has passed and is owed by you
    clocks: tuple[Due, ...]  # deadlines events started, still running (or not yet started)
    due: tuple[Due, ...]  # the window's deadlines and reviews, soonest first
    applies: tuple[Due, ...]  # the window's dates rules start to apply from
    expected: tuple[Due, ...]  # the window's expected publications and decisions
    coming: tuple[Due, ...]  # later dates the gate already warns or fails on
    waivers: tuple[ExpiringWaiver, ...]  # waivers ending in the window, soonest first
    changes: RegistryDiff | None  # what changed since the previous registry, when one was given
    considered: int = 0  # how many obligations the selection holds (an empty digest says so)
    others: int = 0  # dates in the window owed by others only: left out, and counted
    warn_within: int = 60  # the gate's warning window, which `coming` looks through
    # what changed in the law and the registry since a day (`--changes-since`, issue 26)
    news: tuple[Changed, ...] | None = None
    news_since: dt.date | None = None


class ClientDigest(NamedTuple):
    """One client's digest in a consultancy's run (issue 25), and whom it is for."""

    client: str  # its name in the portfolio file
    digest: Digest
    contacts: tuple[str, ...] = ()  # who receives it
    delivery: str = ""  # once a run has mailed it: to whom, or why it was not


class FirmDigest(NamedTuple):
    """A consultancy's digest: every chosen client's, in the portfolio's order, for the firm."""

    firm: str  # the firm's name, or ""
    today: dt.date
    now: dt.datetime
    until: dt.date
    clients: tuple[ClientDigest, ...]
    # the clients chosen that could not be evaluated (their files have problems), each with
    # its first problem: the firm reads about them too, never a silent gap
    broken: tuple[tuple[str, str], ...] = ()


# A waiver that expired up to this long ago is still news: the gate now fails on its deadline.
WAIVER_EXPIRED_NEWS = dt.timedelta(days=7)


def build_digest(
    agenda: Agenda,
    until: dt.date,
    *,
    waivers: Sequence[Waiver] = (),
    profile: Profile | None = None,
    changes: RegistryDiff | None = None,
    news_since: dt.date | None = None,
) -> Digest:
    """The digest of an agenda from its day through `until`.

    Overdue is the agenda's lead, as every view's. A deadline an event started that has not
    passed is a clock, whatever its day. The window's other dates follow by kind, then what the
    gate warns or fails on beyond the window ("coming up"), so that a 60-day warning is never
    missing from a 7-day digest. Dates owed only by others are left out, and counted."""
    today = agenda.moment.today
    late = agenda.lead()
    shown = {row.name for row in late}
    clocks: list[Due] = []
    due: list[Due] = []
    applies: list[Due] = []
    expected: list[Due] = []
    others = 0
    for row in agenda.window(today, until):
        if row.name in shown:
            continue
        if row.standing is Standing.NOT_YOURS:
            others += 1
            continue
        shown.add(row.name)
        if row.due_at is not None:
            clocks.append(row)
        elif row.milestone.kind is Kind.APPLIES:
            applies.append(row)
        elif row.milestone.kind is Kind.EXPECTED:
            expected.append(row)
        else:
            due.append(row)
    # the most urgent clock first: the least time left
    clocks.sort(key=lambda c: (c.left or dt.timedelta(0), c.name))
    coming = agenda.findings(
        lambda row: (
            row.name not in shown
            and row.level in (Level.WARNING, Level.FAILURE)
            and row.state is not State.OVERDUE
        )
    )
    # A waiver is news to the reader of a selection when its obligation is in the selection.
    titles = {o.id: o.title for o in agenda.obligations}
    ending = [
        ExpiringWaiver(w, titles[w.obligation], (w.until - today).days)
        for w in waivers
        if w.obligation in titles and today - WAIVER_EXPIRED_NEWS <= w.until <= until
    ]
    ending.sort(key=lambda e: (e.waiver.until, e.waiver.obligation, e.waiver.milestone))
    return Digest(
        today=today,
        now=agenda.moment.now,
        until=until,
        organisation=profile.name if profile is not None else "",
        profile=profile,
        overdue=tuple(late),
        clocks=tuple(clocks),
        due=tuple(due),
        applies=tuple(applies),
        expected=tuple(expected),
        coming=tuple(coming),
        waivers=tuple(ending),
        changes=changes if changes else None,
        considered=len(titles),
        others=others,
        warn_within=agenda.policy.warn_within,
        news=None if news_since is None else tuple(_news(agenda, news_since, today)),
        news_since=news_since,
    )


def _news(agenda: Agenda, since: dt.date, today: dt.date) -> list[Changed]:
    """The changes the registry records from `since` through today, for the selection."""
    from regtrack.changes import changes

    return changes(agenda.obligations, since, today)
