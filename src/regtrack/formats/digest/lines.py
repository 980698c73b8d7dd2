"""What a digest says, in plain words, before any medium escapes and lays it out: every format
of the digest reads the same sections and items, so a mail, a chat card and a feed never
disagree about what is due. The items say what regtrack.agenda decided; nothing is decided
here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar, overload

from regtrack.agenda import Due, Standing
from regtrack.dates import instant_text
from regtrack.diff import Change
from regtrack.formats.wording import counted, note, source_label
from regtrack.models import Kind, Obligation, State, Status

if TYPE_CHECKING:
    from regtrack.changes import Changed
    from regtrack.diff import MilestoneChange
    from regtrack.digest import Digest, ExpiringWaiver, FirmDigest


class Item(NamedTuple):
    """One line of a digest, as plain text: each medium escapes it for itself."""

    key: str  # stable: `obligation/milestone` (or `waiver:...`, `change:...`)
    when: str  # the date and how far it is: "2026-12-04 · in 2 days"
    what: str  # "GDPR Art. 33(1): Notify the supervisory authority"
    detail: str  # kind, status, owner, the waiver's reason, what changed
    url: str  # the source it is checked against, or "" (only http(s) URLs reach a registry)
    link: str  # what that link is called: "official text", or "source (not official)"
    urgent: bool  # overdue, or due within 7 days
    day: dt.date  # the day it is about
    updated: dt.date  # when what it says last changed: the date's check, the event, the day


class Section(NamedTuple):
    """A heading and its items; a digest shows only the sections that have items."""

    key: str  # overdue, clocks, due, applies, expected, coming, waivers, changes
    heading: str
    items: Sequence[Item]


S = TypeVar("S")


class Made(Sequence[Item], Generic[S]):
    """The items of what a section lists, each made when it is read and then let go: a digest
    of 100,000 obligations can list 57,000 overdue dates, whose items all made at once were a
    fifth of its peak (issue 29). Read twice, an item is made twice, the same."""

    def __init__(self, sources: Sequence[S], make: Callable[[S], Item]) -> None:
        self._sources = sources
        self._make = make

    def __len__(self) -> int:
        return len(self._sources)

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Item, ...]: ...

    def __getitem__(self, index: int | slice) -> Item | tuple[Item, ...]:
        if isinstance(index, slice):
            return tuple(map(self._make, self._sources[index]))
        return self._make(self._sources[index])

    def __iter__(self) -> Iterator[Item]:
        return map(self._make, self._sources)


def squeezed(text: str) -> str:
    """White space in `text` made single spaces, a space at either end kept as one: a run of
    text between two others (" · ") keeps its spaces in a chat card (issue 28)."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def _days(days: int) -> str:
    if days == 0:
        return "today"
    if days > 0:
        return f"in {counted(days, 'day')}"
    return f"{counted(-days, 'day')} ago"


def _what(obligation: Obligation, title: str) -> str:
    head = f"{obligation.regulation.short} {obligation.citation}".strip()
    return f"{head}: {title}" if title else head


def _source(obligation: Obligation, row: Due | None = None) -> tuple[str, str]:
    """The link an item shows and what it is called: a row's own source (an official text
    first), else the obligation's."""
    if row is not None:
        source = row.source
    else:
        sources = obligation.sources
        source = next((s for s in sources if s.official), sources[0] if sources else None)
    return (source.url, source_label(source)) if source is not None else ("", "")


# What a kind and a status are called in a digest's detail line ("expected · expected" read
# as a stutter: a publication whose date is expected).
_KIND = {
    Kind.APPLIES: "rules apply",
    Kind.DEADLINE: "deadline",
    Kind.EXPECTED: "publication or decision",
    Kind.REVIEW: "review",
}
_STATUS = {
    Status.FIXED: "date fixed",
    Status.AMENDED: "date amended",
    Status.EXPECTED: "date expected",
    Status.PROPOSED: "date proposed",
    Status.SUPERSEDED: "date superseded",
}


def _detail(row: Due) -> str:
    m, o = row.milestone, row.obligation
    parts = [_KIND[m.kind], _STATUS[m.status]]
    if o.owner:
        parts.append(f"owner: {o.owner}")
    if o.progress:
        parts.append(f"progress: {o.progress}")
    said = note(row)
    if said:
        parts.append(said)
    return " · ".join(parts)


def hours(left: dt.timedelta) -> str:
    """`36 h left`, `under 1 h left`, `overdue by 5 h`."""
    minutes = int(left.total_seconds() // 60)
    if minutes >= 60:
        return f"{minutes // 60} h left"
    if minutes >= 0:
        return "under 1 h left"
    late = -minutes
    return f"overdue by {late // 60} h" if late >= 60 else "overdue by under 1 h"


def _when(row: Due, today: dt.date, now: dt.datetime) -> str:
    """The date and how far it is; for a deadline that ends at a time, by that instant."""
    m = row.milestone
    window = m.window
    at, since = m.due_at, m.since
    if at is not None:
        if since is not None and since > now:
            return (
                f"{instant_text(at)} · not started: the event is dated "
                f"{since:%Y-%m-%d %H:%M %Z}, after now"
            )
        left = row.left if row.left is not None else at - now
        when = f"{'due by ' * (row.state is State.OVERDUE)}{instant_text(at)} · {hours(left)}"
    elif row.state is State.OVERDUE:
        late = (today - window.end).days
        when = f"due by {window.end.isoformat()} · {counted(late, 'day')} overdue"
    elif row.state is State.OPEN and window.start != window.end:
        when = f"{window.text} · open until {window.end.isoformat()}"
    else:
        when = f"{window.text} · {_days(row.days_left)}"
    if row.standing is Standing.WAIVED:
        when += " · waived"
    return when


def _row(row: Due, today: dt.date, now: dt.datetime) -> Item:
    m = row.milestone
    title = f"{row.obligation.title} — {m.title}" if m.title else row.obligation.title
    url, label = _source(row.obligation, row)
    since = m.since
    return Item(
        key=row.name,
        when=_when(row, today, now),
        what=_what(row.obligation, title),
        detail=_detail(row),
        url=url,
        link=label,
        urgent=row.standing is Standing.OVERDUE
        or (row.standing is not Standing.WAIVED and row.days_left <= 7),
        day=m.window.start,
        updated=since.date() if since is not None else m.verified,
    )


def _waiver(ending: ExpiringWaiver, today: dt.date) -> Item:
    w = ending.waiver
    target = f"{w.obligation}/{w.milestone}" if w.milestone else w.obligation
    if ending.days_left < 0:
        when = f"expired {w.until.isoformat()} · the gate fails on it again"
    else:
        when = f"until {w.until.isoformat()} · ends {_days(ending.days_left)}"
    return Item(
        key=f"waiver:{target}:{w.until.isoformat()}",
        when=when,
        what=f"Waiver of {ending.title} ({target})",
        detail=f"waived by {w.by}: {w.reason}",
        url="",
        link="",
        urgent=ending.days_left <= 7,
        day=w.until,
        updated=today,
    )


def _change(change: MilestoneChange, today: dt.date) -> Item:
    o = change.obligation
    if change.change is Change.ADDED:
        assert change.new is not None
        detail = f"new milestone: {change.new.window.text} ({change.new.status.value})"
        day = change.new.window.start
    elif change.change is Change.REMOVED:
        assert change.old is not None
        detail = f"milestone removed (was {change.old.window.text}, {change.old.status.value})"
        day = change.old.window.start
    else:
        assert change.old is not None and change.new is not None
        detail = (
            f"{', '.join(change.fields)}: {change.old.window.text} ({change.old.status.value})"
            f" → {change.new.window.text} ({change.new.status.value})"
        )
        day = change.new.window.start
    new = change.new or change.old
    assert new is not None
    url, label = _source(o)
    return Item(
        key=f"change:{o.id}/{change.milestone_id}:{detail}",
        when=new.window.text,
        what=_what(o, f"{o.title} ({change.milestone_id})"),
        detail=detail,
        url=url,
        link=label,
        urgent=False,
        day=day,
        updated=change.new.verified if change.new is not None else today,
    )


def _obligation_change(obligation: Obligation, added: bool, today: dt.date) -> Item:
    first = min((m.window.start for m in obligation.milestones), default=dt.date.min)
    what = "new obligation" if added else "obligation removed"
    url, label = _source(obligation)
    return Item(
        key=f"change:{obligation.id}:{what}",
        when=", ".join(m.window.text for m in obligation.milestones) or "no dates",
        what=_what(obligation, obligation.title),
        detail=what,
        url=url,
        link=label,
        urgent=False,
        day=first,
        updated=max((m.verified for m in obligation.milestones), default=today) if added else today,
    )


def _news(change: Changed) -> Item:
    """A change the registry records (issue 26): when it became known, what, before and after."""
    o = change.obligation
    before = f"{change.before} → " if change.before else ""
    by = "" if change.by == "registry" else f" by {change.by}"
    return Item(
        key=f"news:{change.name}:{change.on.isoformat()}:{change.what.value}",
        when=change.on.isoformat(),
        what=_what(o, change.milestone.title or o.title),
        detail=f"{change.what.value}: {before}{change.after}{by}",
        url=change.source if change.source.startswith(("https://", "http://")) else "",
        link="official text" if change.official else "source (not official)",
        urgent=False,
        day=change.on,
        updated=change.on,
    )


def sections(digest: Digest) -> tuple[Section, ...]:
    """The digest's sections that have something to say, in reading order: overdue first."""
    today, now, until = digest.today, digest.now, digest.until.isoformat()

    def items(rows: tuple[Due, ...]) -> Made[Due]:
        return Made(rows, lambda row: _row(row, today, now))

    found = [
        Section("overdue", "Overdue", items(digest.overdue)),
        Section("clocks", "Statutory clocks running", items(digest.clocks)),
        Section("due", f"Due by {until}", items(digest.due)),
        Section("applies", f"Rules that start to apply by {until}", items(digest.applies)),
        Section("expected", f"Expected by {until}", items(digest.expected)),
        Section(
            "coming",
            f"Coming up: later dates check warns about (within "
            f"{counted(digest.warn_within, 'day')})",
            items(digest.coming),
        ),
        Section("waivers", "Waivers ending", Made(digest.waivers, lambda w: _waiver(w, today))),
    ]
    if digest.changes is not None:
        changes = digest.changes
        found.append(
            Section(
                "changes",
                "Registry changes since the previous digest",
                (
                    *(_obligation_change(o, True, today) for o in changes.added),
                    *(_obligation_change(o, False, today) for o in changes.removed),
                    *(_change(c, today) for c in changes.milestones),
                ),
            )
        )
    if digest.news is not None and digest.news_since is not None:
        found.append(
            Section(
                "news",
                f"Changes in the law and the registry since {digest.news_since.isoformat()}",
                tuple(_news(c) for c in digest.news),
            )
        )
    return tuple(s for s in found if s.items)


class Counts(NamedTuple):
    """How many items each part of a digest holds: a headline's numbers, a firm's matrix."""

    overdue: int  # passed and owed by you
    waived: int  # passed, owed by you, and waived
    clocks: int
    due: int
    applies: int
    expected: int
    coming: int
    waivers: int  # waivers ending
    changes: int  # registry changes, when a previous registry was given
    news: int = 0  # changes the registry records since --changes-since


def counts(digest: Digest) -> Counts:
    """The digest's numbers, as its sections hold them."""
    late = sum(1 for r in digest.overdue if r.standing is Standing.OVERDUE)
    changes = digest.changes
    return Counts(
        overdue=late,
        waived=len(digest.overdue) - late,
        clocks=len(digest.clocks),
        due=len(digest.due),
        applies=len(digest.applies),
        expected=len(digest.expected),
        coming=len(digest.coming),
        waivers=len(digest.waivers),
        changes=0
        if changes is None
        else len(changes.added) + len(changes.removed) + len(changes.milestones),
        news=len(digest.news or ()),
    )


def headline(digest: Digest) -> str:
    """One line: `1 overdue, 1 statutory clock running, 3 due by 2026-12-16, 1 waiver ending`."""
    n = counts(digest)
    until = digest.until.isoformat()
    parts = [
        said
        for number, said in (
            (n.overdue, f"{n.overdue} overdue"),
            (n.waived, f"{n.waived} overdue and waived"),
            (n.clocks, f"{counted(n.clocks, 'statutory clock')} running"),
            (n.due, f"{n.due} due by {until}"),
            (n.applies, f"{n.applies} starting to apply"),
            (n.expected, f"{n.expected} expected"),
            (n.coming, f"{n.coming} coming up"),
            (n.waivers, f"{counted(n.waivers, 'waiver')} ending"),
        )
        if number
    ]
    if digest.changes is not None:
        parts.append(counted(n.changes, "registry change"))
    if n.news:
        parts.append(f"{counted(n.news, 'change')} in the law and the registry")
    if not parts:
        return f"nothing overdue or due by {until}"
    return ", ".join(parts)


def nothing(digest: Digest) -> str:
    """What an empty digest says: what it looked at, so that it never reads as a silent gap."""
    others = (
        f" ({counted(digest.others, 'date')} in the window owed by others only, left out: "
        "regtrack upcoming lists them)"
        if digest.others
        else ""
    )
    return (
        f"Nothing is overdue and nothing is due by {digest.until.isoformat()} in the "
        f"{counted(digest.considered, 'obligation')} selected{others}."
    )


def title(digest: Digest) -> str:
    """The digest's title (an e-mail's subject, a card's heading)."""
    whose = f" for {digest.organisation}" if digest.organisation else ""
    return f"regtrack digest{whose}, {digest.today.isoformat()}: {headline(digest)}"


def scope(digest: Digest) -> str:
    """Whose digest and which days: the organisation's profile, the window, the clock instant."""
    parts = [f"From {digest.today.isoformat()} to {digest.until.isoformat()}"]
    profile = digest.profile
    if profile is not None:
        who = digest.organisation or "your organisation"
        facets = [
            ", ".join(values)
            for values in (profile.jurisdictions, profile.roles, profile.sectors)
            if values
        ]
        parts.append(f"{who} ({'; '.join(facets)})" if facets else who)
    if digest.clocks or any(r.due_at is not None for r in digest.overdue):
        # only then does the instant change what the digest says
        parts.append(f"clocks counted at {digest.now:%Y-%m-%d %H:%M %Z}")
    if digest.others:
        parts.append(f"{counted(digest.others, 'date')} owed by others only left out")
    return " · ".join(parts)


def firm_headline(firm: FirmDigest) -> str:
    """`6 clients: 1 with something overdue, 2 with clocks running, 4 with dates due by …`."""
    every = [counts(c.digest) for c in firm.clients]
    until = firm.until.isoformat()
    parts = [
        f"{number} with {what}"
        for number, what in (
            (sum(1 for n in every if n.overdue), "something overdue"),
            (sum(1 for n in every if n.clocks), "statutory clocks running"),
            (sum(1 for n in every if n.due), f"dates due by {until}"),
            (sum(1 for n in every if n.waivers), "waivers ending"),
            (sum(1 for n in every if n.changes), "registry changes"),
        )
        if number
    ]
    if firm.broken:
        parts.insert(0, f"{len(firm.broken)} not evaluated")
    head = counted(len(firm.clients) + len(firm.broken), "client")
    return f"{head}: {', '.join(parts)}" if parts else f"{head}: nothing overdue or due by {until}"


def firm_title(firm: FirmDigest) -> str:
    """The firm's digest's title (its e-mail's subject)."""
    whose = f" for {firm.firm}" if firm.firm else ""
    return f"regtrack digest{whose}, {firm.today.isoformat()}: {firm_headline(firm)}"


def firm_scope(firm: FirmDigest) -> str:
    """Which days and which clients."""
    names = ", ".join(c.client for c in firm.clients)
    text = (
        f"From {firm.today.isoformat()} to {firm.until.isoformat()} · "
        f"{counted(len(firm.clients), 'client')}: {names}"
    )
    if firm.broken:
        text += f" · not evaluated: {', '.join(name for name, _ in firm.broken)}"
    return text


def not_evaluated(problem: str) -> str:
    """What a firm's digest says of a client it could not evaluate."""
    return f"not evaluated: its files have problems (regtrack validate lists them): {problem}"
