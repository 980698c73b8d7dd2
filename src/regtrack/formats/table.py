"""Terminal tables (rich). Registry text goes in as `Text`, never as markup, so `[red]` or
`[link=...]` in a title prints literally. Readable without colour: urgency is also in the words."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from regtrack.agenda import Due, Standing
from regtrack.dates import describe_duration, instant_text
from regtrack.diff import RegistryDiff
from regtrack.errors import inert
from regtrack.formats import Applies, DatesOf, Rendered, RenderOptions, Shown, Span, batches
from regtrack.formats.wording import (
    applying,
    days_text,
    note,
    quoted,
    record_text,
    urgency,
    verdict,
)
from regtrack.models import Obligation, Status
from regtrack.periods import Clock, Rulebook

if TYPE_CHECKING:
    import datetime as dt

    from regtrack.changes import Changed
    from regtrack.watch import SourceCheck

_STYLES = {"past": "red", "week": "bold red", "month": "yellow", "later": ""}


def render_text(renderable: RenderableType, options: RenderOptions) -> str:
    """A rich renderable as text for this terminal (width, colours), trailing spaces removed."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=options.width,
        color_system=options.color_system,  # type: ignore[arg-type]
        force_terminal=options.color_system is not None,
        no_color=options.no_color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(renderable, crop=False)  # a URL is never cut at the width (see _link)
    # rich pads every line to the width; a plain log (CI) is easier to read and diff without it.
    # Wrapping can begin a line with registry text: no line may be a workflow command.
    return inert("".join(line.rstrip() + "\n" for line in out.getvalue().splitlines()))


def _table(title: str, options: RenderOptions) -> Table:
    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        expand=False,
        show_edge=False,
    )


_LIST_TITLE = 20  # the narrowest title column `list` gives before it stacks its columns
_LIST_ROOMY = 50  # a title column this wide reads well: wider, it lends cells to the citation
_LIST_CITATION = 20  # a citation column this wide holds most citations on one line
_WIDE = 120  # from this width on, regulation, citation, kind and status get columns of their own
_GAP = "   "
# A cell line with this style is a URL: never wrapped or folded (a terminal's click and copy need
# it whole), so it may run past its column; it is always a row's last line, where the columns to
# its right are empty. Shown dim; not an OSC 8 hyperlink, whose id rich draws at random (the same
# inputs must give the same bytes), and terminals find plain URLs themselves.
_URL = "url"


# A cell is lines of text, each with one style ("" for none).
Cell = list[tuple[str, str]]


def _fold(word: str, width: int) -> list[str]:
    """A word longer than the column, in pieces that fit (never cut off)."""
    from rich.cells import cell_len

    pieces, piece = [], ""
    for char in word:
        if piece and cell_len(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def wrap(line: str, width: int) -> list[str]:
    """A line at `width` terminal cells: words kept whole where they fit, longer ones folded."""
    from rich.cells import cell_len

    if cell_len(line) <= width:
        return [line]
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        pieces = _fold(word, width) if cell_len(word) > width else [word]
        out.extend(pieces[:-1])
        current = pieces[-1] if pieces else ""
    if current:
        out.append(current)
    return out or [""]


def _grid(
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    right: Sequence[bool],
    rows: Iterable[Sequence[Cell]],
    options: RenderOptions,
) -> Iterator[bytes]:
    """A table laid out by hand: each cell wrapped (folding what does not fit, so nothing is ever
    cut) to its column's width, columns three spaces apart. Uncoloured output (a CI log, a pipe)
    is plain strings; coloured output is the same lines as rich Text. rich's Table measures every
    cell twice and costs ~1.5 ms a row; this is several times cheaper on a large registry.

    The widths are decided before (by the caller, from every row); the rows are then laid out
    PIECE at a time and written as UTF-8 pieces, each a whole number of lines, so that what
    is held is a few hundred rows, not the table (a list of 100,000 obligations is 300,000
    lines)."""
    head = _GAP.join(
        name.rjust(width) if right[i] else name.ljust(width)
        for i, (name, width) in enumerate(zip(headers, widths, strict=True))
    ).rstrip()
    lines: list[list[tuple[str, str]]] = [
        *([(piece, "")] for piece in wrap(title, options.width)),
        [(head, "bold")],
        [("─" * options.width, "")],
    ]
    for batch in batches(rows):
        lines += [line for cells in batch for line in _row_lines(cells, widths, right)]
        yield _lines_text(lines, options).encode("utf-8")
        lines = []
    if lines:  # no row: the title and the header alone
        yield _lines_text(lines, options).encode("utf-8")


def _row_lines(
    cells: Sequence[Cell], widths: Sequence[int], right: Sequence[bool]
) -> list[list[tuple[str, str]]]:
    """One row's lines, each a list of (text, style) pieces, padded to the columns."""
    from rich.cells import cell_len

    columns = [
        [
            (piece, style)
            for text, style in cell
            for piece in ([text] if style == _URL else wrap(text, width))
        ]
        for cell, width in zip(cells, widths, strict=True)
    ]
    out = []
    for index in range(max(len(column) for column in columns)):
        line: list[tuple[str, str]] = []
        for column, parts in enumerate(columns):
            text, style = parts[index] if index < len(parts) else ("", "")
            pad = " " * max(widths[column] - cell_len(text), 0)
            line += [(pad, ""), (text, style)] if right[column] else [(text, style), (pad, "")]
            if column < len(columns) - 1:
                line.append((_GAP, ""))
        out.append(line)
    return out


def _lines_text(lines: Sequence[Sequence[tuple[str, str]]], options: RenderOptions) -> str:
    """Laid-out lines as the terminal's text: plain strings without colour, else rich's."""
    if options.color_system is None:
        return inert("".join("".join(t for t, _ in line).rstrip() + "\n" for line in lines))
    out = Text()
    for number, line in enumerate(lines):
        if number:
            out.append("\n")
        for text, style in line:
            out.append(text, style="dim" if style == _URL else style or None)
    return render_text(out, options)


def render_upcoming(rows: Sequence[Due], span: Span, options: RenderOptions) -> Rendered:
    """Date (or window), days left, regulation, citation, title, id, status and what decided
    more (waived, owed by others); the source. A narrow terminal (an 80-column CI log) stacks
    regulation and citation, title, then id, kind and status in one column; wider ones give
    regulation, citation, kind and status columns of their own. Every cell wraps (an id longer
    than its column folds) rather than being cut."""
    title = span.title("Upcoming")
    if not rows:
        return f"{title}\n{span.nothing()}\n"
    wide = options.width >= _WIDE
    days = max(4, *(len(days_text(r)) for r in rows))
    # a portfolio's rows name their client: a column of its own when there is room, else the
    # first line of the obligation's cell
    client = max((len(r.organisation) for r in rows), default=0)
    client = min(18, max(6, client)) if client else 0
    if wide:
        regulation = min(14, max(10, *(len(r.obligation.regulation.short) for r in rows)))
        citation = min(24, max(8, *(len(r.obligation.citation) for r in rows)))
        kind = max(4, *(len(r.milestone.kind.value) for r in rows))
        status = max(6, *(len(r.milestone.status.value) for r in rows))
        fixed = 10 + days + regulation + citation + kind + status + len(_GAP) * 6
        fixed += client + len(_GAP) if client else 0
        widths = [10, days, regulation, citation, max(10, options.width - fixed), kind, status]
        headers = ["Date", "Days", "Regulation", "Citation", "Obligation", "Kind", "Status"]
        if client:
            widths.insert(2, client)
            headers.insert(2, "Client")
    else:
        widths = [10, days, max(10, options.width - 10 - days - len(_GAP) * 2)]
        headers = ["Date", "Days", "Obligation"]
    right = [name == "Days" for name in headers]

    def cells_of(row: Due) -> list[Cell]:
        o, m = row.obligation, row.milestone
        style = _STYLES[urgency(row)]
        title_text = o.title + (f": {m.title}" if m.title else "")
        what: Cell = [(title_text, "")]
        said = note(row)
        said = f" · {said}" if said else ""
        if wide:
            what.append((o.id + said, "dim"))
            cells = [
                [(m.window.text, style)],
                [(days_text(row), style)],
                [(o.regulation.short, "")],
                [(o.citation, "")],
                what,
                [(m.kind.value, "")],
                [(m.status.value, "")],
            ]
            if client:
                cells.insert(2, [(row.organisation, "bold")])
        else:
            what.insert(0, (f"{o.regulation.short} {o.citation}", "bold"))
            if client:
                what.insert(0, (f"[{row.organisation}]", "bold"))
            what.append((f"{o.id} · {m.kind.value} · {m.status.value}{said}", "dim"))
            cells = [[(m.window.text, style)], [(days_text(row), style)], what]
        source = row.source
        if source is not None:  # where the text is: the date's own source, an official one first
            if not source.official:
                what.append(("(source not official)", "dim"))
            what.append((source.url, _URL))
        return cells

    return _grid(title, headers, widths, right, map(cells_of, rows), options)


def render_list(
    obligations: Sequence[Obligation], dates: DatesOf, options: RenderOptions
) -> Rendered:
    """One row per obligation: id, regulation, citation, jurisdiction, title; where the title
    would get fewer than `_LIST_TITLE` cells, jurisdiction and one column that stacks regulation
    and citation, title and id. Laid out by `_grid`: rich's Table took 3.5 s for 10,000
    obligations and 34 s for 100,000 (issue 17)."""
    if not obligations:
        return "No obligation matches.\n"
    title = f"{len(obligations)} obligation(s)"
    ids = max(2, *(len(o.id) for o in obligations))
    regulation = min(12, max(10, *(len(o.regulation.short) for o in obligations)))
    citation = min(14, max(8, *(len(o.citation) for o in obligations)))
    jurisdiction = max(4, *(len(o.jurisdiction) for o in obligations))
    rest = options.width - ids - regulation - citation - jurisdiction - len(_GAP) * 4
    if rest >= _LIST_TITLE:
        from rich.cells import cell_len

        # A wide terminal must not wrap "Art. 99(1), (2)" beside an empty margin. What the title
        # column has beyond `_LIST_ROOMY` cells goes to the citation up to `_LIST_CITATION`
        # (most citations then fit a line), then to the title up to its longest, then to the
        # citation and the regulation up to theirs.
        pool = rest - _LIST_ROOMY

        def grant(width: int, wanted: int) -> int:
            nonlocal pool
            extra = max(0, min(pool, wanted - width))
            pool -= extra
            return width + extra

        citation = grant(citation, _LIST_CITATION)
        grant(_LIST_ROOMY, max(cell_len(o.title) for o in obligations))
        citation = grant(citation, max(cell_len(o.citation) for o in obligations))
        regulation = grant(regulation, max(cell_len(o.regulation.short) for o in obligations))
        rest = options.width - ids - regulation - citation - jurisdiction - len(_GAP) * 4
        headers = ["Id", "Regulation", "Citation", "Jur.", "Title"]
        widths = [ids, regulation, citation, jurisdiction, rest]
        rows: Iterable[list[Cell]] = (
            [
                [(o.id, "")],
                [(o.regulation.short, "")],
                [(o.citation, "")],
                [(o.jurisdiction, "")],
                [(o.title, "")],
            ]
            for o in obligations
        )
    else:
        headers = ["Jur.", "Obligation"]
        widths = [jurisdiction, max(10, options.width - jurisdiction - len(_GAP))]
        rows = (
            [
                [(o.jurisdiction, "")],
                [(f"{o.regulation.short} {o.citation}", "bold"), (o.title, ""), (o.id, "dim")],
            ]
            for o in obligations
        )
    return _grid(title, headers, widths, [False] * len(headers), rows, options)


def _hanging(text: str | Text, indent: int) -> RenderableType:
    """A paragraph whose wrapped lines stay under its first (`Note: ...` under `Note`)."""
    from rich.padding import Padding

    return Padding(text if isinstance(text, Text) else Text(text), (0, 0, 0, indent))


def _link(url: str, indent: int) -> RenderableType:
    """A URL on a line of its own, never broken: a terminal's click and copy need it whole."""
    return Text(" " * indent + url, no_wrap=True, overflow="ignore")


def render_show(
    obligation: Obligation,
    dates: Sequence[Due],
    options: RenderOptions,
    applies: Applies | None = None,
) -> str:
    """One obligation in full: whether it applies to you and why, what it is, its dates with
    history, where each stands (done, waived, owed by others), periods, sources."""
    from rich.console import Group

    o = obligation
    reg = o.regulation
    parts: list[RenderableType] = [
        Text(o.title, style="bold"),
        Text(o.id, style="dim"),
        Text(""),
    ]
    fields = [
        ("Regulation", f"{reg.short}: {reg.name} ({reg.identifier})"),
        ("Citation", o.citation),
        ("Jurisdiction", o.jurisdiction),
        ("Force", o.force.value),
        ("Authority", o.authority),
        ("Tags", ", ".join(o.tags)),
        ("Roles", ", ".join(o.roles)),
        ("Owner", o.owner),
        ("Your status", o.progress),
    ]
    for name, value in fields:
        if value:
            parts.append(_hanging(Text.assemble((f"{name}: ", "bold"), value), 0))
    if applies is not None:
        verdict, reasons = applies
        heading = "Applies to you: " if verdict else "Does not apply to you: "
        parts.append(_hanging(Text.assemble((heading, "bold"), "; ".join(reasons)), 0))
    parts += [Text(""), _hanging(o.summary, 0)]
    if dates:
        parts += [Text(""), Text("Milestones", style="bold")]
        for row in dates:
            m = row.milestone
            when = days_text(row)
            when = f"in {row.days_left} day{'s' * (row.days_left != 1)}" if when.isdigit() else when
            parts.append(
                _hanging(
                    Text.assemble(
                        f"{m.window.text:<10} {m.kind.value:<8} {m.status.value:<10} {when}",
                        (f"  (verified {m.verified.isoformat()})", "dim"),
                    ),
                    2,
                )
            )
            if m.title:
                parts.append(_hanging(m.title, 4))
            if m.due_at is not None:
                parts.append(_hanging(f"Due by {instant_text(m.due_at, weekday=True)}", 4))
            # the name `done`, waivers and check use for it
            parts.append(_hanging(Text(f"id: {o.id}/{m.id}", style="dim"), 4))
            said = note(row)
            if said:
                parts.append(_hanging(said[0].upper() + said[1:], 4))
            if m.note and row.standing is not Standing.CANCELLED:
                parts.append(_hanging(f"Note: {m.note}", 4))
            for change in m.history:
                moved = f"Moved from {change.old.text} to {change.new.text} by {change.act}"
                if change.published is not None:
                    moved += f" (published {change.published.isoformat()})"
                parts += [_hanging(moved, 4), _link(change.source, 6)]
            for source in m.sources:
                official = "" if source.official else " (not official)"
                parts += [_hanging(f"Source: {source.title}{official}", 4), _link(source.url, 6)]
                if source.quote:
                    parts.append(_hanging(quoted(source), 6))
            for line in record_text(m):
                parts.append(_hanging(Text(line[0].upper() + line[1:], style="dim"), 4))
    if o.periods:
        parts += [Text(""), Text("Periods (from an event)", style="bold")]
        for p in o.periods:
            start = f"from {p.start}" if p.start else f"after {p.after}"
            status = "" if p.status is Status.FIXED else f" [{p.status.value}]"
            parts.append(
                _hanging(f"{p.duration.text} ({describe_duration(p.duration)}) {start}{status}", 2)
            )
            parts.append(_hanging(p.title + (f" ({p.citation})" if p.citation else ""), 4))
            if p.extension:
                parts.append(_hanging(f"Extendable by {describe_duration(p.extension)}", 4))
    parts += [Text(""), Text("Sources", style="bold")]
    for s in o.sources:
        parts.append(_hanging(s.title + ("" if s.official else " (not official)"), 2))
        parts.append(_link(s.url, 4))
        if s.quote:
            parts.append(_hanging(quoted(s), 4))
    return render_text(Group(*parts), options)


def render_show_clients(shown: Sequence[Shown], options: RenderOptions) -> str:
    """A portfolio's `show`: the obligation, whom of the clients it applies to and why, then
    each client's own `show` under a line naming the client and its profile."""
    from rich.console import Group

    first = next(s.obligation for s in shown if s.obligation is not None)
    grid = Table.grid(padding=(0, 1))  # the verdicts wrap under themselves, not the names
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for s in shown:
        grid.add_row(Text(f"  {s.client}:", style="bold"), Text(verdict(s)))
    head = Group(
        Text(first.title, style="bold"),
        Text(first.id, style="dim"),
        Text(""),
        Text(f"Across the portfolio: {applying(shown)}", style="bold"),
        grid,
    )
    parts = [render_text(head, options)]
    for s in shown:
        line = Text(f"== {s.client}: {s.profile}" if s.profile else f"== {s.client}", "bold")
        parts.append("\n" + render_text(line, options))
        if s.obligation is None:
            parts.append(render_text(Text(f"{first.id} is in none of its registries."), options))
        else:
            parts.append(render_show(s.obligation, s.dates, options, s.applies))
    return "".join(parts)


def render_diff(changes: RegistryDiff, options: RenderOptions) -> str:
    """Obligations added and removed, then each milestone whose date or status changed."""
    if not changes:
        return "No change in obligations or dates.\n"
    parts = []
    for heading, obligations in (("Added", changes.added), ("Removed", changes.removed)):
        if obligations:
            table = _table(f"{heading} obligations", options)
            table.add_column("Id", no_wrap=True)
            table.add_column("Regulation", overflow="fold", max_width=14)
            table.add_column("Title", ratio=1)
            for o in obligations:
                table.add_row(Text(o.id), Text(o.regulation.short), Text(o.title))
            parts.append(render_text(table, options))
    if changes.milestones:
        table = _table("Milestones", options)
        longest_id = max(len(c.obligation.id) for c in changes.milestones)
        table.add_column("Obligation", overflow="fold", min_width=longest_id, ratio=1)
        table.add_column("Change", overflow="fold", max_width=16)
        table.add_column("Old", no_wrap=True, min_width=10)
        table.add_column("New", no_wrap=True, min_width=10)
        for c in changes.milestones:
            what = Text(c.change.value + (f": {', '.join(c.fields)}" if c.fields else ""))
            table.add_row(
                Text(f"{c.obligation.id}\n{c.milestone_id}"),
                what,
                Text(f"{c.old.window.text}\n{c.old.status.value}" if c.old else "—"),
                Text(f"{c.new.window.text}\n{c.new.status.value}" if c.new else "—"),
            )
        parts.append(render_text(table, options))
    if changes.touched:  # in a portfolio: whom each change touches, and why
        table = _table("Clients each change applies to", options)
        table.add_column("Obligation", overflow="fold", ratio=1)
        table.add_column("Clients", ratio=2)
        for ident, touched in changes.touched:
            said = "\n".join(f"{t.client}: {t.why}" for t in touched) or "none of them"
            table.add_row(Text(ident), Text(said))
        parts.append(render_text(table, options))
    return "\n".join(parts)


def render_clock(clock: Clock, options: RenderOptions) -> str:
    """The event, the counting rules, then each deadline with its due instant and the rule
    steps that produced it (indented, wrapped under their bullet)."""
    from rich.console import Group
    from rich.padding import Padding

    parts: list[RenderableType] = []
    if clock.obligation is not None:
        o = clock.obligation
        parts.append(Text(f"{o.regulation.short} {o.citation}: {o.title}", style="bold"))
        parts.append(Text(o.id, style="dim"))
    rules = (
        "Regulation (EEC, Euratom) No 1182/71, Art. 3"
        if clock.rulebook is Rulebook.EU
        else "ICO practice for UK GDPR time limits"
    )
    holidays = clock.region or "none (give --country)"
    parts.append(Text(f"Event: {clock.event:%a %Y-%m-%d %H:%M %Z} ({clock.zone})"))
    parts.append(
        Text(
            f"Counting: {rules}; public holidays: {holidays}"
            + ("; conservative" if clock.conservative else "")
        )
    )
    for line in clock.lines:
        heading = Text("\n")
        counted = line.counted
        when = "Not dated yet" if counted is None else instant_text(counted.due, weekday=True)
        heading.append(when, style="bold")
        heading.append(f"  {line.label}")
        if line.citation:
            heading.append(f" ({line.citation})")
        if line.status is not Status.FIXED:
            heading.append(f" [{line.status.value}]")
        parts.append(heading)
        parts.append(
            Padding(Text(f"{line.period.text} from {line.runs_from}", style="dim"), (0, 0, 0, 2))
        )
        steps = counted.steps if counted is not None else (waiting(line.waiting),)
        parts += [Padding(Text(f"- {step}"), (0, 0, 0, 2)) for step in steps]
    return render_text(Group(*parts), options)


def waiting(trigger: str) -> str:
    """What a deadline that runs from a moment not recorded yet says instead of a date."""
    return (
        f"it runs from the event's {trigger!r}, which is not recorded: no date is counted until "
        f"it is (the event's `triggers: [{{name: {trigger}, at: ...}}]`, or clock --trigger "
        f"{trigger}=DATETIME)"
    )


def render_vocabulary(options: RenderOptions) -> str:
    """Each kind of word, then each word with its meaning, wrapped under it."""
    from regtrack.vocabulary import SECTIONS

    out = Text()
    for index, (_, title, words) in enumerate(SECTIONS):
        out.append(("\n" if index else "") + title.replace("`", "") + "\n", style="bold")
        width = max(len(word) for word in words) + 2
        for word, meaning in words.items():
            lines = wrap(meaning, max(20, options.width - width - 2)) or [""]
            out.append(f"  {word:<{width}}{lines[0]}\n")
            for more in lines[1:]:
                out.append(" " * (width + 2) + more + "\n")
    return render_text(out, options)


def render_changes(
    changes: Sequence[Changed], since: dt.date, until: dt.date, options: RenderOptions
) -> str:
    """The days asked about, then each change, oldest first: the day it became known, what
    changed, before and after, by what, and where to read it (the URL whole, to be clicked)."""
    from rich.console import Group

    from regtrack.formats import changes_title

    if not changes:
        return f"{changes_title(since, until)}: no change known in these days.\n"
    parts: list[RenderableType] = [Text(changes_title(since, until), style="bold")]
    for c in changes:
        o = c.obligation
        before = f"{c.before} → " if c.before else ""
        parts += [
            Text(""),
            _hanging(
                Text.assemble(
                    (f"{c.on.isoformat()}  {c.what.value:<9}", "bold"), f" {before}{c.after}"
                ),
                0,
            ),
            _hanging(f"{o.regulation.short} {o.citation}: {c.milestone.title or o.title}", 4),
            _hanging(Text(c.name, style="dim"), 4),
            *([_hanging(f"by {c.by}", 4)] if c.by != "registry" else []),
            _link(c.source, 4),
        ]
    return render_text(Group(*parts), options)


def render_sources(results: Sequence[SourceCheck], options: RenderOptions) -> str:
    """What needs attention first (gone, failed, moved, quotes missing), then a count of the
    sound ones; each URL printed whole, to be clicked."""
    if not results:
        return "No source cited by the selected obligations.\n"
    sound = [r for r in results if r.ok]
    table = _table(
        f"Sources: {len(results)} checked, {len(results) - len(sound)} to look at", options
    )
    table.add_column("Source", ratio=1, overflow="fold")
    table.add_column("Verdict", ratio=1, overflow="fold")
    for r in results:
        if r.ok:
            continue
        said = [r.reach.value + (f" ({r.reason})" if r.reason else "")]
        if r.final:
            said.append(f"now at {r.final}")
        for q in r.quotes:
            if q.quoted.value != "found":
                said.append(f"quote {q.quoted.value}: {q.citation.name} {q.citation.article}")
        table.add_row(Text(r.url), Text("\n".join(said)))
    tail = f"{len(sound)} reachable where cited, every quote found.\n"
    if len(sound) == len(results):
        return f"Sources: {len(results)} checked; {tail}"
    return render_text(table, options) + "\n" + tail
