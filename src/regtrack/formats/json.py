"""JSON: the machine contract (README, "JSON contract"). Stable keys, ISO dates, UTF-8."""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from regtrack.agenda import Due
from regtrack.formats import (
    Applies,
    CheckContext,
    CheckGroup,
    DatesOf,
    Rendered,
    RenderOptions,
    Shown,
    Span,
    text_of,
)
from regtrack.formats.records import (
    clock_record,
    diff_record,
    due_record,
    finding_record,
    obligation_record,
)
from regtrack.models import Obligation

if TYPE_CHECKING:
    from regtrack.changes import Changed
    from regtrack.diff import RegistryDiff
    from regtrack.periods import Clock
    from regtrack.watch import SourceCheck


# Below this many records the standard library's encoder is as fast as importing orjson (~2 ms
# in a process that has typer loaded), which start-up cannot afford (bench/RESULTS.md).
_LARGE = 300


class Lazy(NamedTuple):
    """A JSON array given as its number of items and an iterator over them, so that a large
    document is written as its items are made (see `document`). Its items hold no Lazy array."""

    size: int
    items: Iterable[Any]


def _records(value: Any) -> int:
    """How many records a document holds: its longest array's length, at any depth of objects
    and arrays (a SARIF log's results are in its run)."""
    if isinstance(value, Lazy):
        return value.size
    if isinstance(value, dict):
        return max((_records(v) for v in value.values()), default=0)
    if isinstance(value, list):
        nested = (_records(v) for v in value if isinstance(v, (dict, list, Lazy)))
        return max(len(value), max(nested, default=0))
    return 0


def _whole(value: Any) -> Any:
    """The document with every Lazy array made a list."""
    if isinstance(value, Lazy):
        return list(value.items)
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def document(value: Any) -> Rendered:
    """Indented UTF-8 JSON: `json.dumps(indent=2, ensure_ascii=False)` and a line break.

    For a large document, with orjson installed (`pip install 'regtrack[fast]'`), the same bytes
    (tested, with hypothesis too) are written as pieces by orjson's encoder: about 25 times
    faster (`json` cannot use its C encoder with `indent`; a 10,000-obligation `list --format
    json` spent most of its time there), and a record at a time, never holding the whole list of
    records or its text (a 100,000-obligation `list` needed over 1 GB; issue 17)."""
    if _records(value) >= _LARGE:
        orjson = _orjson()
        if orjson is not None:  # an optional dependency: the standard library's encoder else
            return (piece.replace(b"##[", _HASH) for piece in _pieces(orjson, value))
    return (
        json.dumps(_whole(value), ensure_ascii=False, indent=2).replace("##[", _HASH.decode())
        + "\n"
    )


# `##[` anywhere in a line of a CI job's output is a GitHub workflow command (regtrack.errors
# .inert); in JSON it can only stand inside a string, where `\u0023` is the same `#` to every
# parser. (A string never spans pieces: each holds whole strings.)
_HASH = b"#\\u0023["


def _orjson() -> Any:
    """orjson, or None where it is not installed, imported with Ctrl-C held back until its
    import is over: an interrupt in the middle of it crashed the process with SIGSEGV instead of
    regtrack's one line and exit 130 (`list -f json` of 1,000 obligations: 2 times in 240
    interrupted runs). The interrupt is delivered as soon as the import is done."""
    import signal

    block = getattr(signal, "pthread_sigmask", None)  # not on Windows
    held = block(signal.SIG_BLOCK, {signal.SIGINT}) if block else None
    try:
        import orjson
    except ImportError:
        return None
    finally:
        if block is not None and held is not None:
            block(signal.SIG_SETMASK, held)
    return orjson


def _dump(value: Any) -> str:
    """`document` as one string: one obligation, a diff, a clock, the vocabulary."""
    return text_of(document(value))


def _pieces(orjson: Any, value: Any) -> Iterator[bytes]:
    yield from _streamed(orjson, value, 0)
    yield b"\n"


def _lazy_within(value: Any) -> bool:
    if isinstance(value, Lazy):
        return True
    if isinstance(value, dict):
        return any(_lazy_within(v) for v in value.values())
    if isinstance(value, list):
        return any(_lazy_within(v) for v in value)
    return False


def _streamed(orjson: Any, value: Any, depth: int) -> Iterator[bytes]:
    """`value` at `depth` as json.dumps(indent=2) writes it: an object's members and an array's
    items each on their own lines, indented two spaces per level, separated by ",", "{}" and
    "[]" when empty. What holds no Lazy array is encoded whole by orjson and indented to its
    depth: JSON text has no raw line break inside a string, so indenting its lines is indenting
    the value."""
    if not _lazy_within(value):
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        yield text.replace(b"\n", b"\n" + b"  " * depth) if depth else text
        return
    inner = b"\n" + b"  " * (depth + 1)
    opening, closing = (b"{", b"}") if isinstance(value, dict) else (b"[", b"]")
    separator = opening + inner
    if isinstance(value, Lazy):  # its items hold no Lazy array: each is encoded whole
        for item in value.items:
            yield separator
            yield orjson.dumps(item, option=orjson.OPT_INDENT_2).replace(b"\n", inner)
            separator = b"," + inner
    else:
        members: Iterable[tuple[bytes, Any]] = (
            ((orjson.dumps(key) + b": ", item) for key, item in value.items())
            if isinstance(value, dict)
            else ((b"", item) for item in value)
        )
        for prefix, item in members:
            yield separator + prefix
            yield from _streamed(orjson, item, depth + 1)
            separator = b"," + inner
    if separator == opening + inner:  # nothing in it
        yield opening + closing
    else:
        yield b"\n" + b"  " * depth + closing


def render_upcoming(rows: Sequence[Due], span: Span, options: RenderOptions) -> Rendered:
    """An array of dated items: what is overdue first, then the window's, soonest first."""
    return document(Lazy(len(rows), (due_record(row) for row in rows)))


def render_list(
    obligations: Sequence[Obligation], dates: DatesOf, options: RenderOptions
) -> Rendered:
    """An array of obligations with their milestones and periods."""
    return document(Lazy(len(obligations), (obligation_record(o, dates(o)) for o in obligations)))


def render_show(
    obligation: Obligation,
    dates: Sequence[Due],
    options: RenderOptions,
    applies: Applies | None = None,
) -> str:
    """One obligation, as an object; with an organisation file, `applies` and `why`."""
    record = obligation_record(obligation, dates)
    if applies is not None:
        record["applies"], record["why"] = applies[0], list(applies[1])
    return _dump(record)


def render_show_clients(shown: Sequence[Shown], options: RenderOptions) -> str:
    """An object: the id and `clients`, each its name, profile and its own `show` object
    (`applies`, `why`, its milestones as it stands); `found: false` for a client whose
    registries lack the obligation."""
    first = next(s.obligation for s in shown if s.obligation is not None)
    clients = []
    for s in shown:
        entry: dict[str, Any] = {"client": s.client, "profile": s.profile}
        if s.obligation is None:
            entry["found"] = False
        else:
            entry["found"] = True
            entry.update(obligation_record(s.obligation, s.dates))
            if s.applies is not None:
                entry["applies"], entry["why"] = s.applies[0], list(s.applies[1])
        clients.append(entry)
    return _dump({"id": first.id, "clients": clients})


def render_diff(changes: "RegistryDiff", options: RenderOptions) -> str:
    """An object: `added`, `removed` (obligations) and `milestones` (what changed)."""
    return _dump(diff_record(changes))


def render_check(findings: Sequence[Due], context: CheckContext) -> Rendered:
    """An object: the day, the windows, totals, and every checked milestone with its level."""
    from regtrack.checks import Level, counts

    total = counts(findings)
    return document(
        {
            "today": context.today.isoformat(),
            "warn_within_days": context.warn_within,
            "fail_within_days": context.fail_within,
            "failed": total[Level.FAILURE] > 0,
            "counts": {level.value: n for level, n in total.items()},
            "findings": Lazy(len(findings), (finding_record(f) for f in findings)),
        }
    )


def render_portfolio(groups: Sequence[CheckGroup]) -> Rendered:
    """An object: the day, the windows, totals across clients, each client's (`clients`: its
    organisation, profile, whether it fails and its totals), then every checked milestone of
    every client, each naming its `organisation`."""
    from regtrack.checks import Level, counts

    every = [f for group in groups for f in group.findings]
    total = counts(every)
    context = groups[0].context
    return document(
        {
            "today": context.today.isoformat(),
            "warn_within_days": context.warn_within,
            "fail_within_days": context.fail_within,
            "failed": total[Level.FAILURE] > 0,
            "counts": {level.value: n for level, n in total.items()},
            "clients": [
                {
                    "organisation": group.organisation,
                    "profile": group.profile,
                    "failed": any(f.level is Level.FAILURE for f in group.findings),
                    "counts": {level.value: n for level, n in counts(group.findings).items()},
                }
                for group in groups
            ],
            "findings": Lazy(len(every), (finding_record(f) for f in every)),
        }
    )


def render_clock(clock: "Clock", options: RenderOptions) -> str:
    """`{"obligation", "event", "deadlines": [{"label", "period", "due", "rule", ...}]}`."""
    return _dump(clock_record(clock))


def render_vocabulary(options: RenderOptions) -> str:
    """An object per section (`role`, `sector`, `jurisdiction`): each word and its meaning."""
    from regtrack.vocabulary import SECTIONS

    return _dump({kind: words for kind, _, words in SECTIONS})


def render_view(
    today: dt.date, start: dt.date, end: dt.date, sections: Sequence[tuple[str, Sequence[Due]]]
) -> Rendered:
    """A view's entries for programs (`timeline -f json`): the day, the window, and each
    section's entries as `upcoming -f json` writes them."""
    return document(
        {
            "today": today.isoformat(),
            "start": start.isoformat(),
            "end": end.isoformat(),
            **{key: [due_record(row) for row in rows] for key, rows in sections},
        }
    )


def render_changes(
    changes: "Sequence[Changed]", since: dt.date, until: dt.date, options: RenderOptions
) -> str:
    """An object: the days asked about and every change, oldest first."""
    from regtrack.formats.records import changed_record

    return _dump(
        {
            "since": since.isoformat(),
            "until": until.isoformat(),
            "changes": [changed_record(c) for c in changes],
        }
    )


def render_sources(results: "Sequence[SourceCheck]", options: RenderOptions) -> str:
    """An object: whether every source is sound, counts by reach, then each URL's verdict with
    each quote's."""
    from collections import Counter

    reach = Counter(r.reach.value for r in results)
    return _dump(
        {
            "ok": all(r.ok for r in results),
            "counts": dict(sorted(reach.items())),
            "quotes_missing": sum(
                1 for r in results for q in r.quotes if q.quoted.value == "missing"
            ),
            "sources": [
                {
                    "url": r.url,
                    "reach": r.reach.value,
                    "ok": r.ok,
                    "status": r.status,
                    "moved_to": r.final or None,
                    "reason": r.reason,
                    "cited_by": r.citations,
                    "quotes": [
                        {
                            "cited_by": q.citation.name,
                            "article": q.citation.article,
                            "quote": q.citation.quote,
                            "quoted": q.quoted.value,
                        }
                        for q in r.quotes
                    ],
                }
                for r in results
            ],
        }
    )
