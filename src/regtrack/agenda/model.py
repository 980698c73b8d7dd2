"""What the agenda is made of: the moment it is evaluated at, and each evaluated entry."""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import datetime as dt
import enum
from typing import TYPE_CHECKING, NamedTuple

from regtrack.checks import Level, Rule
from regtrack.models import Milestone, Obligation, Source, State

if TYPE_CHECKING:
    from regtrack.orgmodels import Completion, Waiver


class Moment(NamedTuple):
    """When the agenda is evaluated: the day (all-day dates are judged by it) and the instant
    (deadlines that end at a time are judged by it). The command line derives one from the
    other (regtrack.cli.common.resolve_moment); the core never reads the clock."""

    today: dt.date
    now: dt.datetime  # aware

    @classmethod
    def start_of(cls, day: dt.date, zone: dt.tzinfo = dt.UTC) -> "Moment":
        """The first instant of `day` in `zone`."""
        return cls(day, dt.datetime.combine(day, dt.time(0, 0), zone))


class Standing(enum.StrEnum):
    """What an entry is to the organisation on the moment: its calendar state (`State`), unless
    something decides more (in this order): its date was superseded or its event closed, it was
    done, it is owed by others only, or a waiver that still holds covers it."""

    UPCOMING = State.UPCOMING.value
    OPEN = State.OPEN.value
    IN_FORCE = State.IN_FORCE.value
    OVERDUE = State.OVERDUE.value
    PASSED = State.PASSED.value
    CANCELLED = "cancelled"  # a superseded date, or a deadline of a closed event
    DONE = "done"  # the ledger records it done, by the moment's day
    NOT_YOURS = "not-yours"  # owed only by roles the organisation does not hold
    WAIVED = "waived"  # a waiver that still holds covers it, and it is not behind you


class Due(NamedTuple):
    """One dated item of the agenda, evaluated: the only place views learn what it means."""

    obligation: Obligation
    milestone: Milestone
    days_left: int  # from the moment's day to the window's start; negative once it started
    state: State  # on the calendar (a deadline that ends at a time: by that instant)
    standing: Standing = Standing.UPCOMING
    owed_by_you: bool = True
    waiver: "Waiver | None" = None  # the waiver that covers it, holding or expired
    waiver_expired: bool = False  # that waiver's last day is behind the moment's day
    level: Level = Level.PASS  # the gate's verdict (regtrack.checks), waivers applied
    rule: Rule = Rule.NONE
    reason: str = ""  # the gate's reason, in words
    left: dt.timedelta | None = None  # a deadline that ends at a time: from the moment to it
    organisation: str = ""  # in a portfolio: the client it is evaluated for

    @property
    def name(self) -> str:
        """Unique in a run, and what `done`, waivers and `show` call it: `obligation/milestone`."""
        return f"{self.obligation.id}/{self.milestone.id}"

    @property
    def owers(self) -> tuple[str, ...]:
        """Who must meet it: the milestone's `owed_by`, else the obligation's roles."""
        return self.obligation.owers(self.milestone)

    @property
    def waived(self) -> bool:
        """A waiver that still holds covers it (and it is not behind you)."""
        return self.standing is Standing.WAIVED

    @property
    def done(self) -> "Completion | None":
        """The ledger entry that completed it, by the moment's day."""
        return self.milestone.done

    @property
    def due_at(self) -> dt.datetime | None:
        """The instant it ends at, for a deadline an event started; None for an all-day date."""
        return self.milestone.due_at

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources that give its date: the milestone's own, else the obligation's."""
        return self.obligation.milestone_sources(self.milestone)

    @property
    def source(self) -> Source | None:
        """The one source a view shows: an official text first, else the first source (which
        views then mark as not official)."""
        sources = self.sources
        return next((s for s in sources if s.official), sources[0] if sources else None)
