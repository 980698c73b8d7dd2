"""The digest as JSON, for programs: each section's entries as `upcoming --format json` writes
them (regtrack.formats.records), so that a digest can be compared with every other view item
by item."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from regtrack.formats import text_of
from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import headline
from regtrack.formats.json import document
from regtrack.formats.records import due_record

if TYPE_CHECKING:
    from regtrack.digest import Digest


def render_digest(digest: Digest, context: DigestContext) -> str:
    """An object: the day, the instant, the window, the headline, then each section's entries
    (overdue, clocks, due, applies, expected, coming), the waivers ending and, given a previous
    registry, the ids that changed."""
    sections: dict[str, Any] = {
        key: [due_record(row) for row in rows]
        for key, rows in (
            ("overdue", digest.overdue),
            ("clocks", digest.clocks),
            ("due", digest.due),
            ("applies", digest.applies),
            ("expected", digest.expected),
            ("coming", digest.coming),
        )
    }
    sections["waivers"] = [
        {
            "id": e.waiver.obligation,
            "milestone": e.waiver.milestone or None,
            "by": e.waiver.by,
            "reason": e.waiver.reason,
            "until": e.waiver.until.isoformat(),
            "days_left": e.days_left,
        }
        for e in digest.waivers
    ]
    changes = digest.changes
    return text_of(
        document(
            {
                "today": digest.today.isoformat(),
                "now": digest.now.isoformat(),
                "until": digest.until.isoformat(),
                "organisation": digest.organisation,
                "headline": headline(digest),
                "left_out_owed_by_others": digest.others,
                **sections,
                "changes": None
                if changes is None
                else {
                    "added": [o.id for o in changes.added],
                    "removed": [o.id for o in changes.removed],
                    "milestones": [
                        {
                            "id": c.obligation.id,
                            "milestone": c.milestone_id,
                            "change": c.change.value,
                        }
                        for c in changes.milestones
                    ],
                },
            }
        )
    )
