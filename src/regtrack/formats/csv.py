"""CSV (RFC 4180) for spreadsheets. Text cells that a spreadsheet would run as a formula are
neutralised (OWASP "CSV Injection"): they get a leading apostrophe."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from regtrack.agenda import Due
from regtrack.diff import RegistryDiff
from regtrack.formats import Applies, DatesOf, RenderOptions, Shown, Span
from regtrack.formats.records import due_record
from regtrack.models import Obligation

if TYPE_CHECKING:
    import datetime as dt

    from regtrack.changes import Changed

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

UPCOMING_COLUMNS = (
    "date",
    "date_end",
    "precision",
    "due_at",
    "days_left",
    "state",
    "standing",
    "id",
    "milestone",
    "regulation",
    "citation",
    "jurisdiction",
    "kind",
    "status",
    "title",
    "milestone_title",
    "owed_by",
    "owed_by_you",
    "waived",
    "sources",
)
LIST_COLUMNS = (
    "id",
    "regulation",
    "citation",
    "jurisdiction",
    "authority",
    "title",
    "tags",
    "roles",
    "milestones",
    "periods",
    "sources",
)


def safe_cell(value: Any) -> str | int:
    """A cell value; text that starts like a formula gets a leading `'`, and so does every part
    of it after a `;`, `,` or tab: a spreadsheet that splits on another separator than ours
    (`;` in many EU locales) would start a cell there (issue 14)."""
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if value is None:
        return ""
    text = " ".join(value) if isinstance(value, list) else str(value)
    text = re.sub("([;,\t])([ ]*)(?=[=+\\-@\r\n\uff1d\uff0b\uff0d\uff20])", r"\1\2'", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _table(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([safe_cell(record[c]) for c in columns])
    return out.getvalue()


def render_upcoming(rows: Sequence[Due], span: Span, options: RenderOptions) -> str:
    """One line per upcoming milestone; sources separated by spaces."""
    # in a portfolio, each row names its organisation first
    columns = ("organisation", *UPCOMING_COLUMNS) if any(r.organisation for r in rows) else None
    return _table(columns or UPCOMING_COLUMNS, (due_record(r) for r in rows))


def _list_record(o: Obligation) -> dict[str, Any]:
    return {
        "id": o.id,
        "regulation": o.regulation.short,
        "citation": o.citation,
        "jurisdiction": o.jurisdiction,
        "authority": o.authority,
        "title": o.title,
        "tags": list(o.tags),
        "roles": list(o.roles),
        "milestones": "; ".join(
            f"{m.window.text} {m.kind.value} ({m.status.value})" for m in o.milestones
        ),
        "periods": "; ".join(f"{p.duration.text} {p.title}" for p in o.periods),
        "sources": [s.url for s in o.sources],
    }


def render_list(obligations: Sequence[Obligation], dates: DatesOf, options: RenderOptions) -> str:
    """One line per obligation."""
    return _table(LIST_COLUMNS, (_list_record(o) for o in obligations))


def render_show(
    obligation: Obligation,
    dates: Sequence[Due],
    options: RenderOptions,
    applies: Applies | None = None,
) -> str:
    """The obligation as a one-line `list`."""
    return render_list([obligation], lambda _: dates, options)


def render_show_clients(shown: Sequence[Shown], options: RenderOptions) -> str:
    """A line per client: its name, whether the obligation applies to it (`yes`, `no`, or `not
    loaded` when its registries lack it) and why, then the obligation as `show` writes it."""
    first = next(s.obligation for s in shown if s.obligation is not None)
    records = []
    for s in shown:
        record: dict[str, Any] = dict.fromkeys(LIST_COLUMNS, "") | {"id": first.id}
        if s.obligation is not None:
            record |= _list_record(s.obligation)
        if s.obligation is None:
            answer, why = "not loaded", ""
        elif s.applies is None:
            answer, why = "", ""
        else:
            answer, why = ("yes" if s.applies[0] else "no"), "; ".join(s.applies[1])
        records.append({"organisation": s.client, "applies": answer, "why": why, **record})
    return _table(("organisation", "applies", "why", *LIST_COLUMNS), records)


DIFF_COLUMNS = ("change", "id", "milestone", "regulation", "fields", "old", "new")


def render_diff(changes: RegistryDiff, options: RenderOptions) -> str:
    """One line per added or removed obligation and per changed milestone."""
    records: list[dict[str, Any]] = []
    for change, obligations in (("added", changes.added), ("removed", changes.removed)):
        records += [
            {
                "change": change,
                "id": o.id,
                "milestone": "",
                "regulation": o.regulation.short,
                "fields": "",
                "old": "",
                "new": "",
                "clients": _clients(changes, o.id),
            }
            for o in obligations
        ]
    for c in changes.milestones:
        records.append(
            {
                "change": c.change.value,
                "id": c.obligation.id,
                "milestone": c.milestone_id,
                "regulation": c.obligation.regulation.short,
                "fields": " ".join(c.fields),
                "old": f"{c.old.window.text} {c.old.status.value}" if c.old else "",
                "new": f"{c.new.window.text} {c.new.status.value}" if c.new else "",
                "clients": _clients(changes, c.obligation.id),
            }
        )
    # in a portfolio, the clients each change applies to
    columns = (*DIFF_COLUMNS, "clients") if changes.touched else DIFF_COLUMNS
    return _table(columns, records)


def _clients(changes: RegistryDiff, ident: str) -> str:
    return " ".join(t.client for t in changes.clients_of(ident) or ())


def render_vocabulary(options: RenderOptions) -> str:
    """One line per word of the closed vocabulary: what it names, the word, its meaning."""
    from regtrack.vocabulary import SECTIONS

    records = [
        {"kind": kind, "value": word, "meaning": meaning}
        for kind, _, words in SECTIONS
        for word, meaning in words.items()
    ]
    return _table(("kind", "value", "meaning"), records)


CHANGES_COLUMNS = (
    "on",
    "change",
    "id",
    "milestone",
    "regulation",
    "citation",
    "title",
    "before",
    "after",
    "by",
    "source",
)


def render_changes(
    changes: Sequence[Changed], since: dt.date, until: dt.date, options: RenderOptions
) -> str:
    """One line per change, oldest first."""
    from regtrack.formats.records import changed_record

    return _table(CHANGES_COLUMNS, (changed_record(c) for c in changes))
