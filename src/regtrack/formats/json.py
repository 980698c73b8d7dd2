"""JSON: the machine contract (README, "JSON contract"). Stable keys, ISO dates, UTF-8."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from regtrack.formats import Applies, CheckContext, Rendered, RenderOptions
from regtrack.formats.records import clock_record, diff_record, due_record, obligation_record
from regtrack.models import Due, Obligation

if TYPE_CHECKING:
    from regtrack.checks import Finding
    from regtrack.diff import RegistryDiff
    from regtrack.periods import Clock


# Below this many records the standard library's encoder is as fast as importing orjson (~2 ms
# in a process that has typer loaded), which start-up cannot afford (bench/RESULTS.md).
_LARGE = 300


def _records(value: Any) -> int:
    """How many records a document holds: its list's length, or its longest list's."""
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        return max((len(v) for v in value.values() if isinstance(v, list)), default=0)
    return 0


def _dump(value: Any) -> str:
    """Indented UTF-8 JSON. For a large document, with orjson installed (`pip install
    'regtrack[fast]'`), its encoder writes the very same bytes as the standard library's
    indenting one (tested, with hypothesis too) about 25 times faster: `json` cannot use its C
    encoder with `indent`, and a 10,000-obligation `list --format json` spent most of its time
    there (issue 17)."""
    if _records(value) >= _LARGE:
        try:
            import orjson
        except ImportError:  # an optional dependency: the standard library's encoder then
            pass
        else:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _array(records: Iterator[dict[str, Any]], count: int) -> Rendered:
    """An indented array of `count` records. A large one, with orjson, is written a record at a
    time: the same bytes as `_dump` of the whole list (tested), without ever holding the whole
    list of records or its text (a 100,000-obligation `list` needed over 1 GB, issue 17)."""
    if count >= _LARGE:
        try:
            import orjson
        except ImportError:
            pass
        else:
            return _pieces(orjson, records)
    return _dump(list(records))


def _pieces(orjson: Any, records: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    # json.dumps(indent=2) of a list: "[", each item on its own lines indented by two spaces
    # and separated by ",", then "]". JSON text has no raw line break inside a string, so
    # indenting each of an item's lines is indenting the item.
    yield b"["
    separator = b"\n  "
    for record in records:
        yield separator
        yield orjson.dumps(record, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
        separator = b",\n  "
    yield b"\n]\n" if separator != b"\n  " else b"]\n"


def render_upcoming(rows: Sequence[Due], today: dt.date, options: RenderOptions) -> Rendered:
    """An array of upcoming milestones, soonest first."""
    return _array((due_record(row) for row in rows), len(rows))


def render_list(
    obligations: Sequence[Obligation], today: dt.date, options: RenderOptions
) -> Rendered:
    """An array of obligations with their milestones and periods."""
    return _array((obligation_record(o, today) for o in obligations), len(obligations))


def render_show(
    obligation: Obligation, today: dt.date, options: RenderOptions, applies: Applies | None = None
) -> str:
    """One obligation, as an object; with an organisation file, `applies` and `why`."""
    record = obligation_record(obligation, today)
    if applies is not None:
        record["applies"], record["why"] = applies[0], list(applies[1])
    return _dump(record)


def render_diff(changes: RegistryDiff, options: RenderOptions) -> str:
    """An object: `added`, `removed` (obligations) and `milestones` (what changed)."""
    return _dump(diff_record(changes))


def render_check(findings: Sequence[Finding], context: CheckContext) -> str:
    """An object: the day, the windows, totals, and every checked milestone with its level."""
    from regtrack.checks import Level, counts

    total = counts(findings)
    return _dump(
        {
            "today": context.today.isoformat(),
            "warn_within_days": context.warn_within,
            "fail_within_days": context.fail_within,
            "failed": total[Level.FAILURE] > 0,
            "counts": {level.value: n for level, n in total.items()},
            "findings": [
                {
                    **due_record(f.due),
                    "level": f.level.value,
                    "rule": f.rule.value,
                    "reason": f.reason,
                    "waiver": None
                    if f.waiver is None
                    else {
                        "by": f.waiver.by,
                        "reason": f.waiver.reason,
                        "until": f.waiver.until.isoformat(),
                    },
                }
                for f in findings
            ],
        }
    )


def render_clock(clock: Clock, options: RenderOptions) -> str:
    """`{"obligation", "event", "deadlines": [{"label", "period", "due", "rule", ...}]}`."""
    return _dump(clock_record(clock))


def render_vocabulary(options: RenderOptions) -> str:
    """An object per section (`role`, `sector`, `jurisdiction`): each word and its meaning."""
    from regtrack.vocabulary import SECTIONS

    return _dump({kind: words for kind, _, words in SECTIONS})
