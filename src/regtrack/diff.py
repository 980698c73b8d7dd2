"""What changed between two registries: obligations added and removed, milestones whose date,
precision, kind or status changed, or that were added or removed. Pure: values in, values out."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple

from regtrack.models import Milestone, Obligation


class Change(enum.StrEnum):
    """What happened to a milestone."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class MilestoneChange(NamedTuple):
    """One milestone that differs, with the fields that differ (`date`, `precision`, ...)."""

    obligation: Obligation
    milestone_id: str
    change: Change
    old: Milestone | None
    new: Milestone | None
    fields: tuple[str, ...] = ()


class Touch(NamedTuple):
    """A client of a portfolio an obligation applies to, and why (its profile, in words)."""

    client: str
    why: str


class RegistryDiff(NamedTuple):
    """Everything that differs, in the new registry's order (removed items in the old one's);
    in a portfolio, which clients each changed obligation applies to (`touched`, by id)."""

    added: tuple[Obligation, ...]
    removed: tuple[Obligation, ...]
    milestones: tuple[MilestoneChange, ...]
    touched: tuple[tuple[str, tuple[Touch, ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.milestones)

    def clients_of(self, obligation_id: str) -> tuple[Touch, ...] | None:
        """The clients an obligation applies to; None outside a portfolio."""
        if not self.touched:
            return None
        return next((t for i, t in self.touched if i == obligation_id), ())


def _differing(old: Milestone, new: Milestone) -> tuple[str, ...]:
    fields = []
    if (old.window.start, old.window.end) != (new.window.start, new.window.end):
        fields.append("date")
    if old.window.precision != new.window.precision:
        fields.append("precision")
    if old.kind != new.kind:
        fields.append("kind")
    if old.status != new.status:
        fields.append("status")
    return tuple(fields)


def diff(old: Sequence[Obligation], new: Sequence[Obligation]) -> RegistryDiff:
    """Compare two registries by obligation id and milestone id."""
    old_by_id = {o.id: o for o in old}
    new_ids = {o.id for o in new}
    changes: list[MilestoneChange] = []
    for obligation in new:
        before = old_by_id.get(obligation.id)
        if before is None:
            continue
        old_milestones = {m.id: m for m in before.milestones}
        new_ids_here = {m.id for m in obligation.milestones}
        for milestone in obligation.milestones:
            previous = old_milestones.get(milestone.id)
            if previous is None:
                changes.append(
                    MilestoneChange(obligation, milestone.id, Change.ADDED, None, milestone)
                )
            elif fields := _differing(previous, milestone):
                changes.append(
                    MilestoneChange(
                        obligation, milestone.id, Change.CHANGED, previous, milestone, fields
                    )
                )
        changes += [
            MilestoneChange(obligation, m.id, Change.REMOVED, m, None)
            for m in before.milestones
            if m.id not in new_ids_here
        ]
    return RegistryDiff(
        added=tuple(o for o in new if o.id not in old_by_id),
        removed=tuple(o for o in old if o.id not in new_ids),
        milestones=tuple(changes),
    )
