"""Typed values a registry becomes: obligations, their dated milestones and event-run periods.

Immutable named tuples rather than frozen dataclasses: a frozen dataclass costs about 2 ms to
create at every start (its methods are generated with exec), a named tuple a tenth of that, and
named tuples are rebuilt several times faster from the parse cache (bench/RESULTS.md). Compare
values of one type only: named tuples of different types with equal fields compare equal.

Without `from __future__ import annotations`, unlike the other modules: typing.NamedTuple
compiles every field annotation written as a string (a ForwardRef each), about 1 ms of every
start for this module's fields; written as types, they cost nothing. Only the two
organisation types, kept out of start-up, stay strings.
"""

import datetime as dt
import enum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # organisation-only types, in regtrack.orgmodels (kept out of start-up)
    from regtrack.orgmodels import Completion, Recurrence


class Kind(enum.StrEnum):
    """What a milestone means. An `applies` date that has passed is in force, never overdue."""

    APPLIES = "applies"  # the rules start to apply
    DEADLINE = "deadline"  # something must be done by the date
    EXPECTED = "expected"  # a publication or decision is expected
    REVIEW = "review"  # a periodic review falls due


class Status(enum.StrEnum):
    """How settled a milestone's date is: is the day known, and from what kind of source
    (docs/registry.md, "Statuses"). Whether the rule itself is law is `Force`, not this."""

    FIXED = "fixed"  # set by an official text of the body that sets it: an act, a decision
    EXPECTED = "expected"  # announced or foreseen; no official text sets it (yet)
    PROPOSED = "proposed"  # in a published proposal that is not adopted
    AMENDED = "amended"  # fixed, and moved by an amending act (see history)
    SUPERSEDED = "superseded"  # no longer the date; kept for the record


class Force(enum.StrEnum):
    """What kind of rule an obligation is, whatever the status of its dates."""

    LAW = "law"  # legislation, and the implementing acts and decisions made under it
    GUIDANCE = "guidance"  # an authority's recommendation or guideline: not binding by itself
    STANDARD = "standard"  # a standard or an accreditation rule (ISO, IAF)
    CONTRACT = "contract"  # required by contract or as a condition of access (NHS DSPT)


class Precision(enum.StrEnum):
    """How precisely a date is known; each is read as a window from its first to its last day."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class State(enum.StrEnum):
    """Where a milestone stands on a given day."""

    UPCOMING = "upcoming"  # its window starts after today
    OPEN = "open"  # today is inside its window
    IN_FORCE = "in-force"  # an `applies` milestone whose window has passed
    OVERDUE = "overdue"  # a `deadline` milestone whose window has passed
    PASSED = "passed"  # an `expected` or `review` milestone whose window has passed


# Roles of public bodies, not of the organisations regtrack serves: a date only they must meet
# (the Commission's guidelines, a Member State's transposition) is shown, but a CI gate does not
# fail on it unless the user says they hold one of these roles (README, "CI gate").
PUBLIC_BODIES = frozenset(
    {
        "commission",
        "member-state",
        "supervisory-authority",
        "competent-authority",
        "third-country",
        "international-organisation",
    }
)


class Window(NamedTuple):
    """A date with its precision: the days from `start` to `end`, both included."""

    start: dt.date
    end: dt.date
    precision: Precision
    text: str  # canonical spelling: 2026-08-02, 2026-06, 2026-Q2 or 2027


class Duration(NamedTuple):
    """An ISO 8601 duration (`PT72H`, `P1M`, `P2W`), kept in its calendar parts."""

    text: str
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: int = 0
    working_days: int = 0  # not ISO 8601: only ad-hoc periods (`30wd`) use it

    @property
    def in_hours(self) -> bool:
        """True for a period counted in elapsed time (hours, minutes, seconds)."""
        return bool(self.hours or self.minutes or self.seconds)

    @property
    def elapsed(self) -> dt.timedelta:
        """The whole duration as elapsed time (days of 24 hours): for periods in hours."""
        days = self.weeks * 7 + self.days
        return dt.timedelta(days=days, hours=self.hours, minutes=self.minutes, seconds=self.seconds)


class Source(NamedTuple):
    """Where a fact can be checked. `official` is false for commentary and secondary sources."""

    url: str
    title: str
    official: bool = True
    # The words of the text that give the date, and where they are (`Art. 113(b)`, `reg. 2(1)`):
    # the evidence a reader, and `regtrack sources check`, can find in the text (issue 26).
    quote: str = ""
    article: str = ""


class Regulation(NamedTuple):
    """The instrument an obligation comes from."""

    short: str  # GDPR, AI Act, NIS2 ...
    name: str  # full official name
    identifier: str  # CELEX, ELI or national identifier


class Change(NamedTuple):
    """One move of a milestone's date by an amending act."""

    old: Window
    new: Window
    act: str
    source: str
    published: dt.date | None = None  # the day the amending act was published: the move known


class Revision(NamedTuple):
    """What the registry said of a milestone before a correction that no amending act made: an
    `expected` date that a decision fixed, a quarter that became a day, a date cancelled."""

    until: dt.date  # the day the registry changed it
    status: Status | None = None  # the status it had, when the status changed
    window: Window | None = None  # the date it had, when the date changed
    note: str = ""


class Milestone(NamedTuple):
    """A dated event of an obligation."""

    id: str
    kind: Kind
    window: Window
    status: Status
    verified: dt.date
    title: str = ""
    note: str = ""
    sources: tuple[Source, ...] = ()
    history: tuple[Change, ...] = ()
    line: int = 0  # where it starts in its file, for messages
    due_at: dt.datetime | None = None  # the exact instant, for deadlines an event started
    done: "Completion | None" = None  # the ledger entry that completed it
    owed_by: tuple[str, ...] = ()  # who must meet this date, when not every role of the obligation
    since: dt.datetime | None = None  # for deadlines an event started: the event's instant
    added: dt.date | None = None  # the day the registry first listed it (issue 26)
    previous: tuple[Revision, ...] = ()  # what the registry said before, oldest first
    # Why no source of this date quotes it: what was searched and not found (issue 26).
    unquoted: str = ""


class Period(NamedTuple):
    """A deadline that runs from an event (`from`) or from another period's end (`after`)."""

    id: str
    title: str
    duration: Duration
    verified: dt.date
    citation: str = ""
    start: str = ""  # the event that starts the clock, in words
    after: str = ""  # or: the id of the period of the same obligation it runs from
    extension: Duration | None = None  # the most the law lets it be extended by
    status: Status = Status.FIXED  # `proposed` for a period that only a proposal sets
    line: int = 0  # where it starts in its file, for messages
    # A later moment of the event that starts this period instead of the event itself (NIS2
    # Art. 23(4)(e): the end of the incident's handling), named as events record it
    # (`triggers:`); until it is recorded the deadline has no date, and none is invented.
    trigger: str = ""


class Obligation(NamedTuple):
    """One official provision and its dates."""

    id: str
    title: str
    regulation: Regulation
    citation: str
    jurisdiction: str
    summary: str
    sources: tuple[Source, ...]
    authority: str = ""
    tags: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    periods: tuple[Period, ...] = ()
    sectors: tuple[str, ...] = ()  # empty: every sector
    recurrence: "Recurrence | None" = None
    owner: str = ""  # from the organisation's overrides
    not_applicable: str = ""  # the organisation's reason, when it says the duty does not apply
    progress: str = ""  # the organisation's own status on it (Progress), from its overrides
    file: str = ""
    line: int = 0
    force: Force = Force.LAW

    def milestone_sources(self, milestone: Milestone) -> tuple[Source, ...]:
        """The sources that give a milestone's date: its own, else the obligation's."""
        return milestone.sources or self.sources

    def owers(self, milestone: Milestone) -> tuple[str, ...]:
        """The roles that must meet a milestone: its own `owed_by`, else the obligation's."""
        return milestone.owed_by or self.roles


class Registry(NamedTuple):
    """Every obligation loaded, in file order."""

    obligations: tuple[Obligation, ...] = ()

    def get(self, obligation_id: str) -> Obligation | None:
        """The obligation with this id, if any."""
        for obligation in self.obligations:
            if obligation.id == obligation_id:
                return obligation
        return None
