"""The one evaluation of the agenda, and the selections views make from it. Pure: the moment,
the filters, the gate's policy, the waivers and the organisation's roles are all arguments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from regtrack.agenda.model import Due, Moment, Standing
from regtrack.checks import Level, Policy, Rule, assess, owed_by_user
from regtrack.models import Kind, Milestone, Obligation, State, Status
from regtrack.select import Filters, milestone_matches, obligation_matches, state_on

if TYPE_CHECKING:
    from regtrack.orgmodels import Waiver
    from regtrack.workspace import Workspace


def calendar_state(milestone: Milestone, moment: Moment) -> State:
    """Where a milestone stands on the calendar. A deadline that ends at a time is judged by
    that instant: overdue from it on, due on its day until then (issue 24: a 72-hour deadline
    read "due today" for the whole day after it had passed)."""
    if milestone.due_at is None:
        return state_on(milestone, moment.today)
    if moment.now >= milestone.due_at:
        return State.OVERDUE if milestone.kind in (Kind.DEADLINE, Kind.REVIEW) else State.PASSED
    return State.OPEN if moment.today >= milestone.window.start else State.UPCOMING


_ALL = Filters()  # every obligation, the dates `upcoming` shows by default
_DEFAULT = Policy()  # the gate's default windows (regtrack.agenda.horizons)


class Agenda:
    """The dated items of some obligations at a moment, each evaluated once by `entry`."""

    def __init__(
        self,
        obligations: Sequence[Obligation],
        moment: Moment,
        filters: Filters = _ALL,
        *,
        policy: Policy = _DEFAULT,
        waivers: Sequence[Waiver] = (),
        roles: Sequence[str] = (),
        organisation: str = "",
    ) -> None:
        self.moment = moment
        self.organisation = organisation
        self.filters = filters
        self.policy = policy
        # the obligations the filters select, in registry order
        self.obligations = [o for o in obligations if obligation_matches(o, filters)]
        # the user's roles: the profile's, and those asked for with --role
        self.roles = (*roles, *filters.roles)
        self._owed: dict[tuple[str, ...], bool] = {}  # by the roles that owe a date
        self._waivers: dict[str, list[Waiver]] = {}
        for waiver in waivers:
            self._waivers.setdefault(waiver.obligation, []).append(waiver)

    @classmethod
    def of(
        cls,
        space: Workspace,
        moment: Moment,
        filters: Filters = _ALL,
        policy: Policy = _DEFAULT,
    ) -> Agenda:
        """The agenda of a workspace: the obligations that apply, its waivers, its profile's
        roles."""
        roles = space.profile.roles if space.profile is not None else ()
        return cls(
            space.obligations,
            moment,
            filters,
            policy=policy,
            waivers=space.waivers,
            roles=roles,
            organisation=space.client,
        )

    # -- the evaluation ----------------------------------------------------------------------

    def entry(self, obligation: Obligation, milestone: Milestone) -> Due:
        """One milestone, evaluated: the only place where what it means is decided."""
        o, m, moment = obligation, milestone, self.moment
        state = calendar_state(m, moment)
        days = (m.window.start - moment.today).days
        level, rule, reason = assess(m, state, days, self.policy)
        # most dates name no role of their own: the obligation's roles decide, once
        owers = m.owed_by or o.roles
        owed = self._owed.get(owers)
        if owed is None:
            owed = self._owed[owers] = owed_by_user(o, m, self.roles)
        waivers = self._waivers.get(o.id)
        waiver = next((w for w in waivers if w.milestone in ("", m.id)), None) if waivers else None
        left = m.due_at - moment.now if m.due_at is not None else None
        standing = _STANDING[state]
        if m.status is Status.SUPERSEDED:
            standing, level, rule = Standing.CANCELLED, Level.PASS, Rule.NONE
            reason = m.note or "superseded: no longer the date"
        elif m.done is not None:
            standing, level, rule = Standing.DONE, Level.PASS, Rule.NONE
            reason = f"done on {m.done.on.isoformat()} by {m.done.by}"
        elif not owed:
            standing = Standing.NOT_YOURS
            if level is not Level.PASS:
                level, rule = Level.PASS, Rule.NONE
                reason = reason.split(";")[0]
            reason = f"{reason}; owed by {', '.join(o.owers(m))}, not by you"
        elif waiver is not None:
            holds = moment.today <= waiver.until
            behind = state in (State.IN_FORCE, State.PASSED) or (
                m.kind is Kind.APPLIES and state is State.OPEN
            )
            if holds and not behind:
                standing = Standing.WAIVED
            if level is not Level.PASS:
                until = waiver.until.isoformat()
                if holds:
                    level = Level.WAIVED
                    reason = f"waived by {waiver.by} until {until}: {waiver.reason}"
                else:
                    level, rule = Level.FAILURE, Rule.WAIVER_EXPIRED
                    reason = f"waiver by {waiver.by} expired on {until}; {reason}"
        expired = waiver is not None and moment.today > waiver.until
        return Due(
            o,
            m,
            days,
            state,
            standing,
            owed,
            waiver,
            expired,
            level,
            rule,
            reason,
            left,
            self.organisation,
        )

    # -- the selections views make -------------------------------------------------------------

    def _chosen(self) -> Iterator[tuple[Obligation, Milestone]]:
        """Every milestone of the selection that the status, kind and done filters keep."""
        for obligation in self.obligations:
            for milestone in obligation.milestones:
                if milestone_matches(milestone, self.filters):
                    yield obligation, milestone

    def window(self, start: dt.date | None = None, end: dt.date | None = None) -> list[Due]:
        """The entries whose window overlaps `start`..`end` (both included; an open bound takes
        everything on its side), soonest first."""
        rows = [self.entry(o, m) for o, m in self._chosen() if self._within(m, start, end)]
        rows.sort(key=_soonest)
        return rows

    def _within(self, m: Milestone, start: dt.date | None, end: dt.date | None) -> bool:
        if end is not None and m.window.start > end:
            return False
        if start is None or m.window.end >= start:
            return True
        # A deadline that ends at a time and has not yet ended is still running, although its
        # day (in its own zone) is before this one where the organisation's zone is ahead:
        # 00:00 on 8 December in Tokyo is 16:00 on the 7th in Paris.
        moment = self.moment
        return m.due_at is not None and start <= moment.today and m.due_at > moment.now

    def lead(self, before: dt.date | None = None) -> list[Due]:
        """What leads every view for a person, oldest first: each deadline or review whose day
        (or instant) has passed, owed by you and not done, whatever window the view shows; a
        waived one too, marked so (a waived overdue item vanished from `upcoming` without a
        trace). With `before`, only those whose window ended before that day."""
        today, now = self.moment.today, self.moment.now
        rows = [
            row
            for o, m in self._chosen()
            if m.done is None
            and (m.window.end < today if m.due_at is None else m.due_at <= now)
            and (before is None or m.window.end < before)
            and (row := self.entry(o, m)).standing in (Standing.OVERDUE, Standing.WAIVED)
        ]
        rows.sort(key=_soonest)
        return rows

    def findings(self, keep: Callable[[Due], bool] | None = None) -> list[Due]:
        """Every entry the gate checks (superseded and done ones aside, unless the filters ask
        for them), soonest first; with `keep`, only those it keeps, chosen as they are made
        (100,000 obligations' entries, held to keep a few, were a third of a digest's peak)."""
        made = (self.entry(o, m) for o, m in self._chosen())
        rows = list(made) if keep is None else [row for row in made if keep(row)]
        rows.sort(key=lambda f: (f.milestone.window.start, f.name))
        return rows

    def verdicts(self) -> tuple[list[Due], dict[Level, int]]:
        """The findings that did not pass, soonest first, and how many findings of each level
        there are, passes included (what a report's summary says), without holding the
        passes."""
        tally = dict.fromkeys(Level, 0)

        def counted(row: Due) -> bool:
            tally[row.level] += 1
            return row.level is not Level.PASS

        return self.findings(counted), tally

    def dates_of(self, obligation: Obligation) -> list[Due]:
        """Every milestone of one obligation, evaluated, in its own order (`show`, `list`)."""
        return [self.entry(obligation, m) for m in obligation.milestones]


_STANDING = {state: Standing(state.value) for state in State}


def _soonest(row: Due) -> tuple[dt.date, dt.date, dt.datetime, str, str]:
    m = row.milestone
    at = m.due_at.astimezone(dt.UTC) if m.due_at is not None else _ALL_DAY
    return (m.window.start, m.window.end, at, row.obligation.id, m.id)


# An all-day date sorts after the deadlines that end at a time on its day: it ends last.
_ALL_DAY = dt.datetime.max.replace(tzinfo=dt.UTC)
