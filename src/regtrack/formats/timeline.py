"""The terminal timeline: a row per regulation across a month axis, milestones placed on it,
windows drawn as spans, today marked. Readable without colour (each kind has its own symbol) and
at 80 columns. Registry text goes in as rich `Text`, never as markup."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from regtrack.agenda import Due
from regtrack.formats import RenderOptions, batches
from regtrack.formats.table import render_text
from regtrack.formats.wording import days_text, note, urgency
from regtrack.models import Kind

SYMBOLS = {Kind.APPLIES: "▲", Kind.DEADLINE: "●", Kind.EXPECTED: "◆", Kind.REVIEW: "○"}
SPAN, TODAY, EMPTY = "━", "│", "·"
_STYLES = {"past": "dim", "week": "bold red", "month": "yellow", "later": "green"}
_RANK = {"past": 0, "later": 1, "month": 2, "week": 3}  # what wins a shared column
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _column(day: dt.date, start: dt.date, end: dt.date, width: int) -> int:
    span = (end - start).days + 1
    offset = min(max((day - start).days, 0), span - 1)
    return min(width - 1, offset * width // span)


def _axis(start: dt.date, end: dt.date, width: int, label: int) -> list[Text]:
    """Two header lines: month names, and years. Where a name of three letters does not fit
    every month, every month gets its initial: a month left out reads as a month missing."""
    firsts = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        firsts.append((day, _column(max(day, start), start, end, width)))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    columns = [column for _, column in firsts]
    room = min((b - a for a, b in itertools.pairwise(columns)), default=width)
    short = room < 4 or columns[-1] + 3 > width  # "Jan" and a space
    gap = 1 if room >= 2 else 0  # two years in 45 cells: initials side by side
    months = [" "] * width
    years = [" "] * width
    free = 0
    for day, column in firsts:
        name = MONTHS[day.month - 1][: 1 if short else 3]
        if column >= free and column + len(name) <= width:
            months[column : column + len(name)] = name
            free = column + len(name) + gap
    # A year under its January, and under the first month; placed from the right, so that where
    # the first month's year would run into the next January's, January's is the one shown.
    taken = width + 1
    for day, column in reversed(firsts):
        if day.month == 1 or day == firsts[0][0]:
            text = str(day.year)
            if column + len(text) < taken and column + len(text) <= width:
                years[column : column + len(text)] = text
                taken = column
    pad = " " * (label + 1)
    return [Text(pad + "".join(months).rstrip()), Text(pad + "".join(years).rstrip(), style="dim")]


def render_timeline(
    rows: Sequence[Due],
    today: dt.date,
    start: dt.date,
    end: dt.date,
    options: RenderOptions,
    overdue: Sequence[Due] = (),
) -> str:
    """The chart, a legend, then each milestone on a line of its own, with what decided it
    (waived, owed by others, done); `overdue` (the agenda's lead from before `start`) is listed
    first, so that a quiet period never hides a missed deadline.

    Rendered a few hundred lines at a time: each line is drawn on its own, and one rich Text
    of 100,000 lines with their styles peaked at 700 MB (issue 29)."""
    lines = timeline_lines(rows, today, start, end, options, overdue)
    return "".join(render_text(Text("\n").join(chunk), options) for chunk in batches(lines))


def timeline_lines(
    rows: Sequence[Due],
    today: dt.date,
    start: dt.date,
    end: dt.date,
    options: RenderOptions,
    overdue: Sequence[Due] = (),
) -> Iterator[Text]:
    """The timeline's lines, made one by one."""
    groups: dict[str, list[Due]] = {}
    for row in rows:
        groups.setdefault(row.obligation.regulation.short, []).append(row)
    # The regulation's name, whole where a quarter of the width holds it (14 cells at least);
    # a name cut short ends in an ellipsis, so that "GDPR Procedura" is not read as a name.
    # Measured in terminal cells: a CJK character takes two.
    label = min(max(14, (options.width - 1) // 4), max(map(cell_len, groups), default=8))
    width = max(24, options.width - label - 1)
    yield Text(
        f"Timeline {start.isoformat()} to {end.isoformat()}, as of {today.isoformat()}",
        style="bold",
    )
    yield from _axis(start, end, width, label)
    for name, members in groups.items():
        cells: list[tuple[str, str, int]] = [(EMPTY, "dim", -1)] * width
        for row in members:
            window = row.milestone.window
            bucket = urgency(row)
            rank, style = _RANK[bucket], _STYLES[bucket]
            first = _column(max(window.start, start), start, end, width)
            last = _column(min(window.end, end), start, end, width)
            for column in range(first, last + 1):
                if rank >= cells[column][2]:
                    cells[column] = (SPAN, style, rank)
            if rank >= cells[first][2] or cells[first][0] == SPAN:
                cells[first] = (SYMBOLS[row.milestone.kind], style, rank)
        if start <= today <= end:
            column = _column(today, start, end, width)
            if cells[column][0] == EMPTY:
                cells[column] = (TODAY, "bold", 0)
        cut = cell_len(name) > label
        shown = set_cell_size(name, label - 1) + "…" if cut else set_cell_size(name, label)
        line = Text(shown + " ", style="bold")
        for char, style, _ in cells:
            line.append(char, style=style)
        yield line
    legend = (
        f"{SYMBOLS[Kind.APPLIES]} rules apply  {SYMBOLS[Kind.DEADLINE]} deadline  "
        f"{SYMBOLS[Kind.EXPECTED]} expected  {SYMBOLS[Kind.REVIEW]} review  {SPAN} window  "
        f"{TODAY} today"
    )
    yield from (Text(""), Text(legend, style="dim"), Text(""))
    if overdue:
        yield Text(f"Overdue, from before {start.isoformat()}:", style="bold")
    for index, row in enumerate(itertools.chain(overdue, rows)):
        if overdue and index == len(overdue):
            yield from (Text(""), Text("In this period:", style="bold"))
        o, m = row.obligation, row.milestone
        entry = Text()
        entry.append(f"{m.window.text:<10} {days_text(row):>8}  ", style=_STYLES[urgency(row)])
        entry.append(f"{SYMBOLS[m.kind]} {o.regulation.short} {o.citation}: {o.title}")
        if m.title:
            entry.append(f": {m.title}")
        entry.append(f" ({o.id})", style="dim")
        said = note(row)
        if said:
            entry.append(f" · {said}", style="dim")
        yield entry
    if not rows:
        if overdue:
            yield Text("")
        yield Text("Nothing in this period.")
