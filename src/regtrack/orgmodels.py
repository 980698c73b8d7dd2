"""The organisation's own values: its profile, overrides, recurring duties, ledger entries,
waivers and events, and its organisation file as a whole. Apart from the registry's models
(regtrack.models) so that a run without an organisation file does not create these classes."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, NamedTuple

from regtrack.models import Kind

if TYPE_CHECKING:
    from regtrack.models import Obligation


class Recurrence(NamedTuple):
    """A duty that comes back: an RFC 5545 RRULE (`FREQ=YEARLY`) from `start`, expanded into
    dated milestones of `kind` within the window a command looks at."""

    rule: str
    start: dt.date
    kind: Kind = Kind.REVIEW
    adjust: str = ""  # "", "next-working-day" or "previous-working-day"
    country: str = ""  # whose public holidays `adjust` skips


class Completion(NamedTuple):
    """A ledger entry: who completed which milestone (or occurrence), when, with what evidence."""

    obligation: str
    milestone: str  # a milestone id, or an occurrence's date (YYYY-MM-DD)
    on: dt.date
    by: str
    evidence: str
    file: str = ""
    line: int = 0


class Waiver(NamedTuple):
    """A team's record that it handles or accepts a deadline: who, why, until when."""

    obligation: str  # obligation id
    milestone: str  # milestone id, or "" for every milestone of the obligation
    by: str
    reason: str
    until: dt.date  # last day the waiver holds
    file: str = ""
    line: int = 0

    def covers(self, obligation_id: str, milestone_id: str) -> bool:
        """True when the waiver is about this milestone."""
        return self.obligation == obligation_id and self.milestone in ("", milestone_id)


class Event(NamedTuple):
    """Something that happened and starts an obligation's periods: a breach detected, a request
    received, an incident notified."""

    id: str
    obligation: str
    at: dt.datetime  # aware
    zone: str
    country: str = ""
    reference: str = ""
    closed: dt.date | None = None  # its deadlines leave upcoming and check; calendars cancel them
    file: str = ""
    line: int = 0
    # later moments of the event that start some periods (a period's `trigger`), by name
    triggers: tuple[tuple[str, dt.datetime], ...] = ()

    def trigger(self, name: str) -> dt.datetime | None:
        """When the event's `name` moment happened, if it is recorded."""
        return next((at for key, at in self.triggers if key == name), None)


class Profile(NamedTuple):
    """Who the organisation is: where it operates, its roles, its sectors."""

    name: str = ""
    jurisdictions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()


class Progress(enum.StrEnum):
    """Where the organisation stands on an obligation (its own status, not the law's)."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    COMPLIANT = "compliant"


class Override(NamedTuple):
    """The organisation's word on one obligation of a registry."""

    obligation: str
    applicable: bool = True
    reason: str = ""
    owner: str = ""
    tags: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    progress: Progress | None = None


class OrgConfig(NamedTuple):
    """An organisation's `regtrack.yaml`."""

    file: str
    profile: Profile | None = None
    builtin: bool = True
    registries: tuple[str, ...] = ()  # more registry files, relative to the config's folder
    obligations: tuple[Obligation, ...] = ()
    overrides: tuple[Override, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    events: tuple[Event, ...] = ()
    done: tuple[Completion, ...] = ()


class Client(NamedTuple):
    """One client organisation of a consultancy's portfolio: its own organisation file."""

    name: str  # a slug, what --client names
    config: str  # its organisation file, relative to the portfolio file's folder
    contacts: tuple[str, ...] = ()  # who receives its digest
    tags: tuple[str, ...] = ()  # what --clients groups by
    file: str = ""
    line: int = 0


class Portfolio(NamedTuple):
    """A consultancy's `portfolio.yaml`: its clients, and the baseline every client inherits
    (its own obligations, overrides and waivers; a client's own override of an obligation
    replaces the baseline's)."""

    file: str
    name: str = ""
    contacts: tuple[str, ...] = ()  # who receives the firm's cross-client digest
    clients: tuple[Client, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    overrides: tuple[Override, ...] = ()
    waivers: tuple[Waiver, ...] = ()
