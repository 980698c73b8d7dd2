"""Plain records (dicts of JSON types) of the models: the JSON contract, shared by the text formats.

The keys of `due_record` are the documented contract of `upcoming --format json` (README).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from regtrack.agenda import Due
from regtrack.dates import describe_duration
from regtrack.models import Change, Milestone, Obligation, Period, Source

if TYPE_CHECKING:
    from regtrack.changes import Changed
    from regtrack.diff import MilestoneChange, RegistryDiff
    from regtrack.periods import Clock


def due_record(row: Due) -> dict[str, Any]:
    """One dated item as the agenda evaluated it, flat: the `upcoming --format json` element,
    and the item every other view's machine-readable output carries."""
    o, m = row.obligation, row.milestone
    return {
        **({"organisation": row.organisation} if row.organisation else {}),
        "id": o.id,
        "milestone": m.id,
        "title": o.title,
        "milestone_title": m.title,
        "regulation": o.regulation.short,
        "citation": o.citation,
        "jurisdiction": o.jurisdiction,
        "kind": m.kind.value,
        "status": m.status.value,
        "state": row.state.value,
        "standing": row.standing.value,
        "date": m.window.start.isoformat(),
        "date_end": m.window.end.isoformat(),
        "precision": m.window.precision.value,
        "date_text": m.window.text,
        **_instant(m),
        "days_left": row.days_left,
        "verified": m.verified.isoformat(),
        "sources": [s.url for s in row.sources],
        "source": source_record(row.source) if row.source is not None else None,
        "owed_by": list(row.owers),
        "owed_by_you": row.owed_by_you,
        "waived": row.waived,
        "waiver": _waiver(row),
        "done": _done(m),
    }


def finding_record(row: Due) -> dict[str, Any]:
    """A checked item: its record, and the gate's level, rule and reason."""
    return {
        **due_record(row),
        "level": row.level.value,
        "rule": row.rule.value,
        "reason": row.reason,
    }


def _instant(milestone: Milestone) -> dict[str, Any]:
    """`due_at`, the instant a deadline an event started ends at (ISO 8601 with its offset: RFC
    3339 has no 24:00, so a deadline that ends with 7 December reads 2026-12-08T00:00:00+01:00),
    and its `time_zone`; both null for an all-day date, due by the end of `date_end`."""
    at = milestone.due_at
    if at is None:
        return {"due_at": None, "time_zone": None}
    return {"due_at": at.isoformat(), "time_zone": str(at.tzinfo)}


def _waiver(row: Due) -> dict[str, Any] | None:
    w = row.waiver
    if w is None:
        return None
    return {
        "by": w.by,
        "reason": w.reason,
        "until": w.until.isoformat(),
        "expired": row.waiver_expired,
    }


def _done(milestone: Milestone) -> dict[str, Any] | None:
    done = milestone.done
    if done is None:
        return None
    return {"on": done.on.isoformat(), "by": done.by, "evidence": done.evidence}


def source_record(source: Source) -> dict[str, Any]:
    """A source as url, title, whether it is official, and the passage that gives the date."""
    return {
        "url": source.url,
        "title": source.title,
        "official": source.official,
        "quote": source.quote,
        "article": source.article,
    }


def _change_record(change: Change) -> dict[str, Any]:
    return {
        "from": change.old.text,
        "to": change.new.text,
        "act": change.act,
        "source": change.source,
        "published": change.published.isoformat() if change.published else None,
    }


def milestone_record(row: Due) -> dict[str, Any]:
    """A milestone of an obligation, as the agenda evaluated it, with its history (`show`,
    `list`)."""
    m = row.milestone
    return {
        "id": m.id,
        "kind": m.kind.value,
        "title": m.title,
        "date": m.window.start.isoformat(),
        "date_end": m.window.end.isoformat(),
        "precision": m.window.precision.value,
        "date_text": m.window.text,
        **_instant(m),
        "status": m.status.value,
        "state": row.state.value,
        "standing": row.standing.value,
        "verified": m.verified.isoformat(),
        "note": m.note,
        "sources": [source_record(s) for s in m.sources],
        "history": [_change_record(c) for c in m.history],
        "added": m.added.isoformat() if m.added else None,
        "previous": [
            {
                "until": r.until.isoformat(),
                "status": r.status.value if r.status else None,
                "date_text": r.window.text if r.window else None,
                "note": r.note,
            }
            for r in m.previous
        ],
        "unquoted": m.unquoted,
        "owed_by": list(m.owed_by),
        "owed_by_you": row.owed_by_you,
        "waived": row.waived,
        "waiver": _waiver(row),
        "done": _done(m),
    }


def period_record(period: Period) -> dict[str, Any]:
    """A period that runs from an event or from another period."""
    return {
        "id": period.id,
        "title": period.title,
        "citation": period.citation,
        "duration": period.duration.text,
        "duration_text": describe_duration(period.duration),
        "from": period.start,
        "after": period.after,
        "extension": period.extension.text if period.extension else None,
        "status": period.status.value,
        "verified": period.verified.isoformat(),
    }


def obligation_record(obligation: Obligation, dates: Sequence[Due]) -> dict[str, Any]:
    """An obligation in full, its milestones as `dates` (the agenda's): the `list --format json`
    element."""
    o = obligation
    return {
        "id": o.id,
        "title": o.title,
        "regulation": {
            "short": o.regulation.short,
            "name": o.regulation.name,
            "identifier": o.regulation.identifier,
        },
        "citation": o.citation,
        "jurisdiction": o.jurisdiction,
        "force": o.force.value,
        "authority": o.authority,
        "tags": list(o.tags),
        "roles": list(o.roles),
        "sectors": list(o.sectors),
        "owner": o.owner,
        "progress": o.progress,
        "recurrence": (
            {"rule": o.recurrence.rule, "start": o.recurrence.start.isoformat()}
            if o.recurrence
            else None
        ),
        "summary": o.summary,
        "sources": [source_record(s) for s in o.sources],
        "milestones": [milestone_record(row) for row in dates],
        "periods": [period_record(p) for p in o.periods],
    }


def _dated(milestone: Milestone | None) -> dict[str, Any] | None:
    if milestone is None:
        return None
    return {
        "date": milestone.window.start.isoformat(),
        "date_end": milestone.window.end.isoformat(),
        "precision": milestone.window.precision.value,
        "date_text": milestone.window.text,
        "kind": milestone.kind.value,
        "status": milestone.status.value,
    }


def change_record(change: MilestoneChange) -> dict[str, Any]:
    """One milestone that differs: what changed, before and after."""
    return {
        "id": change.obligation.id,
        "milestone": change.milestone_id,
        "regulation": change.obligation.regulation.short,
        "citation": change.obligation.citation,
        "title": change.obligation.title,
        "change": change.change.value,
        "fields": list(change.fields),
        "old": _dated(change.old),
        "new": _dated(change.new),
    }


def diff_record(changes: RegistryDiff) -> dict[str, Any]:
    """The `diff --format json` object."""

    def clients(ident: str) -> dict[str, Any]:
        """In a portfolio: the clients the obligation applies to, and why."""
        touched = changes.clients_of(ident)
        if touched is None:
            return {}
        return {"clients": [{"organisation": t.client, "why": t.why} for t in touched]}

    def brief(o: Obligation) -> dict[str, Any]:
        return {"id": o.id, "regulation": o.regulation.short, "title": o.title, **clients(o.id)}

    return {
        "added": [brief(o) for o in changes.added],
        "removed": [brief(o) for o in changes.removed],
        "milestones": [
            {**change_record(c), **clients(c.obligation.id)} for c in changes.milestones
        ],
    }


def clock_record(clock: Clock) -> dict[str, Any]:
    """The `clock --format json` object (README, "Statutory clocks")."""
    return {
        "obligation": clock.obligation.id if clock.obligation else None,
        "event": clock.event.isoformat(),
        "timezone": clock.zone,
        "country": clock.region or None,
        "rules": clock.rulebook.value,
        "conservative": clock.conservative,
        "deadlines": [
            {
                "id": line.id,
                "label": line.label,
                "citation": line.citation,
                "period": line.period.text,
                "from": line.runs_from,
                "start": line.counted.start.isoformat() if line.counted else None,
                "due": line.counted.due.isoformat() if line.counted else None,
                "rule": line.counted.rule if line.counted else None,
                "status": line.status.value,
                "extended": line.extended,
                "waiting_for": line.waiting or None,
            }
            for line in clock.lines
        ],
    }


def changed_record(change: Changed) -> dict[str, Any]:
    """One change of `regtrack changes`: when it became known, what, to which date, by what."""
    o, m = change.obligation, change.milestone
    return {
        "on": change.on.isoformat(),
        "change": change.what.value,
        "id": o.id,
        "milestone": m.id,
        "regulation": o.regulation.short,
        "citation": o.citation,
        "title": m.title or o.title,
        "before": change.before,
        "after": change.after,
        "by": change.by,
        "source": change.source,
        "date_text": m.window.text,
        "status": m.status.value,
    }
