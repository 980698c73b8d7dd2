"""The digest as JSON, for programs: each section's entries as `upcoming --format json` writes
them (regtrack.formats.records), so that a digest can be compared with every other view item
by item."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from regtrack.formats import Rendered, text_of
from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import firm_headline, headline
from regtrack.formats.json import Lazy, document
from regtrack.formats.records import changed_record, due_record

if TYPE_CHECKING:
    from regtrack.digest import Digest, FirmDigest


def render_digest(digest: Digest, context: DigestContext) -> Rendered:
    """The digest's object (see `_fields`) as a document, written as it is made when large."""
    return document(_fields(digest))


def render_firm(firm: FirmDigest, context: DigestContext) -> str:
    """The firm, its day, instant, window and headline, and `clients`: each client's digest
    object with its name, its contacts and, once mailed, where it went."""
    return text_of(
        document(
            {
                "firm": firm.firm,
                "today": firm.today.isoformat(),
                "now": firm.now.isoformat(),
                "until": firm.until.isoformat(),
                "headline": firm_headline(firm),
                "clients": [
                    {
                        "client": each.client,
                        "contacts": list(each.contacts),
                        **({"delivery": each.delivery} if each.delivery else {}),
                        **_fields(each.digest),
                    }
                    for each in firm.clients
                ],
                "not_evaluated": [
                    {"client": name, "problem": problem} for name, problem in firm.broken
                ],
            }
        )
    )


def _fields(digest: Digest) -> dict[str, Any]:
    """An object: the day, the instant, the window, the headline, then each section's entries
    (overdue, clocks, due, applies, expected, coming), the waivers ending and, given a previous
    registry, the ids that changed."""
    # each entry made as it is written (57,000 overdue dates of 100,000 obligations, issue 29)
    sections: dict[str, Any] = {
        key: Lazy(len(rows), map(due_record, rows))
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
    return {
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
        "news_since": digest.news_since.isoformat() if digest.news_since else None,
        "news": None if digest.news is None else [changed_record(c) for c in digest.news],
    }
