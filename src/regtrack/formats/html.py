"""A self-contained HTML report for a board pack: who the organisation is, the gate's verdict
counts (as `regtrack check` prints them), what is overdue, at risk or waived, the waivers, the
timeline (inline SVG), the upcoming table with a filter box, each obligation's owner, own status,
sources and history, and the "as of" date. No external request: CSS, script and SVG are inline,
and a Content-Security-Policy forbids loading anything else. Every registry and organisation text
is HTML-escaped; links are http(s) only (the loader refuses anything else). Deterministic: the
same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from html import escape
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from regtrack import __version__
from regtrack.agenda import Due
from regtrack.formats.wording import days_text, note, urgency
from regtrack.models import Kind, Obligation

# Rows, cases or obligations per piece of a page written as it is made (issue 29).
_BATCH = 256

if TYPE_CHECKING:
    from regtrack.checks import Level
    from regtrack.orgmodels import Profile, Waiver

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
# Each at least 4.5:1 on white (WCAG 2.1 AA, 1.4.3; axe-core failed #b26a00 at 4.23:1 and
# #8a8f98 at 3.25:1, issue 28): #6b7079 4.98, #c62828 5.62, #9a5b00 5.43, #2e7d32 5.13.
COLOURS = {"past": "#6b7079", "week": "#c62828", "month": "#9a5b00", "later": "#2e7d32"}
SHAPES = {Kind.APPLIES: "▲", Kind.DEADLINE: "●", Kind.EXPECTED: "◆", Kind.REVIEW: "○"}

STYLE = """
:root { --ink: #1d2330; --muted: #5d6675; --line: #d8dce3; font-family: system-ui, sans-serif; }
body { color: var(--ink); margin: 2rem auto; max-width: 70rem; padding: 0 1rem; line-height: 1.45; }
h1 { margin-bottom: .2rem; } .asof { color: var(--muted); margin-top: 0; }
.org { margin: 0 0 .2rem; font-size: 1.05rem; } .counts { font-size: 1.05rem; }
.expired { color: #c62828; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f4f6f9; position: sticky; top: 0; }
td.days { text-align: right; white-space: nowrap; } code { font-size: .85em; color: var(--muted); }
/* the timeline keeps a readable size on a phone and scrolls sideways within its box (issue 28:
   scaled to 390 px its text was ~4 px); the page itself never does */
#timeline .scroll { overflow-x: auto; } #timeline svg { min-width: 720px; }
ul.legend { display: inline; list-style: none; margin: 0 .8em 0 .3em; padding: 0; }
ul.legend li { display: inline-block; margin: 0 .8em .2em 0; white-space: nowrap; }
.past { color: #6b7079; } .week { color: #c62828; font-weight: 600; } .month { color: #9a5b00; }
.later { color: #2e7d32; } .summary li { margin: .2rem 0; }
#filter { font-size: 1rem; padding: .35rem .5rem; width: 22rem; max-width: 100%; }
svg text { font-size: 11px; } svg .label { fill: var(--ink); } svg .marker { font-size: 13px; }
section { margin: 2rem 0; } .obligation { border-top: 1px solid var(--line); padding: .6rem 0; }
.obligation h3 { margin: .2rem 0; font-size: 1rem; } .note { color: var(--muted); }
@media screen and (max-width: 40rem) {
  /* a phone: a wide table scrolls in its own box, never the page sideways */
  body { margin: 1rem auto; padding: 0 .5rem; }
  table.deadlines, #waiver-list { display: block; overflow-x: auto; }
  th { position: static; }
  #matrix .profile { display: none; }  /* each client's section says its profile */
  #matrix { font-size: .85rem; } #matrix th, #matrix td { padding: .3rem .2rem; }
  .scroll { overflow-x: auto; }
}
@media print {
  #filter, label[for=filter] { display: none; }
  body { margin: 0; max-width: none; font-size: 10pt; }
  section { break-inside: avoid-page; } tr, .obligation { break-inside: avoid; }
  th { position: static; } a { color: inherit; } a[href]::after { content: " <" attr(href) ">";
  font-size: .8em; color: var(--muted); word-break: break-all; }
}
"""

SCRIPT = """
(function () {
  var box = document.getElementById('filter');
  if (!box) { return; }  // nothing due: no table to filter
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.deadlines tbody tr'));
  var count = document.getElementById('shown');
  function apply() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-text');
      var keep = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !keep; if (keep) { shown += 1; }
    });
    count.textContent = String(shown);
  }
  box.addEventListener('input', apply);
  apply();
})();
"""


class Report(NamedTuple):
    """What the report shows: entries of one agenda (regtrack.agenda), never worked out here."""

    today: dt.date
    start: dt.date  # the timeline's first day
    end: dt.date  # its last day
    rows: tuple[Due, ...]  # milestones in [start, end]
    upcoming: tuple[Due, ...]  # the table: what is overdue, then from today through `end`
    obligations: tuple[Obligation, ...]
    findings: tuple[Due, ...]  # the gate's verdicts that did not pass, for the summary
    tally: Mapping[Level, int]  # how many verdicts of each level, passes included
    dates: Mapping[str, tuple[Due, ...]] = MappingProxyType({})  # each obligation's, by id
    organisation: str = ""  # the organisation's name ("" when unknown)
    profile: Profile | None = None  # where it operates, its roles and sectors
    waivers: tuple[Waiver, ...] = ()  # the organisation's waivers, listed as they are


def _e(text: str) -> str:
    return escape(text, quote=True)


def _organisation(report: Report) -> str:
    """`Name — FR · controller, deployer · health`, or "" when nothing is known."""
    profile = report.profile
    name = report.organisation or (profile.name if profile is not None else "")
    facets = (
        [", ".join(f) for f in (profile.jurisdictions, profile.roles, profile.sectors) if f]
        if profile is not None
        else []
    )
    line = " — ".join(part for part in (name, " · ".join(facets)) if part)
    return f'<p class="org">{_e(line)}</p>' if line else ""


def _timeline(report: Report) -> Iterator[str]:
    """An inline SVG: a row per regulation, month ticks, windows as bars, today as a line."""
    groups: dict[str, list[Due]] = {}
    for row in report.rows:
        groups.setdefault(row.obligation.regulation.short, []).append(row)
    left, width, row_height, top = 120, 820, 26, 34
    span = (report.end - report.start).days + 1

    def x(day: dt.date) -> float:
        offset = min(max((day - report.start).days, 0), span)
        return left + offset * width / span

    height = top + row_height * max(1, len(groups)) + 10
    yield (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {left + width + 10} {height}" '
        f'width="100%" role="img" aria-label="Timeline of deadlines">'
    )
    parts: list[str] = []
    day = dt.date(report.start.year, report.start.month, 1)
    while day <= report.end:
        if day >= report.start:
            position = x(day)
            parts.append(
                f'<line x1="{position:.1f}" y1="{top - 14}" x2="{position:.1f}" '
                f'y2="{height - 6}" stroke="#e3e6eb"/>'
            )
            label = day.strftime("%b") + (f" {day.year}" if day.month == 1 else "")
            parts.append(
                f'<text class="label" x="{position + 3:.1f}" y="{top - 18}">{_e(label)}</text>'
            )
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    for index, (name, members) in enumerate(groups.items()):
        y = top + index * row_height
        parts.append(f'<text class="label" x="4" y="{y + 16}">{_e(name)}</text>')
        parts.append(
            f'<line x1="{left}" y1="{y + 12}" x2="{left + width}" y2="{y + 12}" stroke="#eef0f3"/>'
        )
        yield "".join(parts)
        parts.clear()
        for row in members:
            m, o = row.milestone, row.obligation
            colour = COLOURS[urgency(row)]
            tip = _e(
                f"{m.window.text} · {o.regulation.short} {o.citation}: {o.title}"
                + (f" — {m.title}" if m.title else "")
                + f" ({m.status.value})"
            )
            start, end = x(max(m.window.start, report.start)), x(min(m.window.end, report.end))
            if m.window.start != m.window.end:
                parts.append(
                    f'<rect x="{start:.1f}" y="{y + 7}" width="{max(end - start, 2):.1f}" '
                    f'height="10" rx="3" fill="{colour}" opacity=".35"><title>{tip}'
                    f"</title></rect>"
                )
            parts.append(
                f'<text class="marker" x="{start - 4:.1f}" y="{y + 17}" fill="{colour}" '
                f'data-id="{_e(o.id)}"><title>{tip}</title>{SHAPES[m.kind]}</text>'
            )
            if len(parts) >= _BATCH:
                yield "".join(parts)
                parts.clear()
    if report.start <= report.today <= report.end:
        position = x(report.today)
        parts.append(
            f'<line x1="{position:.1f}" y1="{top - 14}" x2="{position:.1f}" '
            f'y2="{height - 4}" stroke="#c62828" stroke-dasharray="3 2"/>'
        )
        parts.append(f'<text x="{position + 3:.1f}" y="{height - 4}" fill="#c62828">today</text>')
    parts.append("</svg>")
    yield "".join(parts) + _legend()


# What the timeline's shapes and colours mean (issue 28: it had no legend).
_KIND_WORDS = {
    Kind.DEADLINE: "deadline",
    Kind.APPLIES: "rules apply",
    Kind.EXPECTED: "expected publication",
    Kind.REVIEW: "review",
}
_URGENCY_WORDS = {
    "past": "passed",
    "week": "within 7 days",
    "month": "within 30 days",
    "later": "later",
}


def _legend() -> str:
    shapes = "".join(
        f'<li><span class="marker" aria-hidden="true">{SHAPES[kind]}</span> {words}</li>'
        for kind, words in _KIND_WORDS.items()
    )
    colours = "".join(
        f'<li><span class="marker {key}" aria-hidden="true">●</span> {words}</li>'
        for key, words in _URGENCY_WORDS.items()
    )
    return (
        '<div class="legend" id="legend"><span class="note">Shapes:</span>'
        f'<ul class="legend">{shapes}</ul><span class="note">Colours:</span>'
        f'<ul class="legend">{colours}</ul>'
        '<span class="note">today: the dashed red line; a bar: a window (month, quarter, year)'
        "</span></div>"
    )


def _summary(report: Report) -> str:
    from regtrack.checks import Level

    total = report.tally
    items = [
        f'<p class="counts">Check as of {report.today.isoformat()}: '
        f"{total[Level.FAILURE]} failed, {total[Level.WARNING]} warned, "
        f"{total[Level.WAIVED]} waived, {total[Level.PASS]} passed</p>"
    ]
    for label, level in (
        ("Overdue or failing", Level.FAILURE),
        ("At risk (warning)", Level.WARNING),
        ("Waived", Level.WAIVED),
    ):
        findings = [f for f in report.findings if f.level is level]
        entries = "".join(
            f"<li><strong>{_e(f.milestone.window.text)}</strong> "
            f"{_e(f.obligation.regulation.short)} {_e(f.obligation.citation)}: "
            f"{_e(f.obligation.title)} — {_e(f.reason)} <code>{_e(f.name)}</code></li>"
            for f in findings
        )
        items.append(
            f"<h3>{label}: {len(findings)}</h3>" + (f"<ul>{entries}</ul>" if entries else "")
        )
    return "".join(items)


def _waivers(report: Report) -> str:
    """Each waiver: what it covers, who, why, until when, and whether it has expired."""
    body = "".join(
        f"<tr><td><code>{_e(w.obligation)}</code></td>"
        f"<td>{_e(w.milestone) if w.milestone else 'every milestone'}</td>"
        f"<td>{_e(w.by)}</td><td>{_e(w.reason)}</td><td>{w.until.isoformat()}</td>"
        + ('<td class="expired">expired</td>' if report.today > w.until else "<td>holds</td>")
        + "</tr>"
        for w in report.waivers
    )
    return (
        '<table id="waiver-list"><thead><tr><th>Obligation</th><th>Milestone</th><th>By</th>'
        "<th>Reason</th><th>Until</th><th>State</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _window(report: Report) -> str:
    return f"from {report.today.isoformat()} to {report.end.isoformat()}"


def _table(report: Report, ident: str = "deadlines", box: bool = True) -> Iterator[str]:
    """What is overdue, then what is due: the table (`ident` its id), with the filter box
    above it when `box` (a portfolio's page has one box for every client's table)."""
    scope = (
        f'<p class="note" id="table-scope">What is overdue, then what is due {_window(report)}.</p>'
    )
    if not report.upcoming:  # an empty table with "0 of 0 shown" reads as a page that failed
        yield (
            f'<p id="nothing-due">Nothing is overdue, and nothing is due {_window(report)} in '
            f"the {len(report.obligations)} obligation(s) of this report; what is at risk is in "
            "the summary above.</p>"
        )
        return
    owners = any(row.obligation.owner for row in report.upcoming)
    yield (
        scope
        + (_filter(len(report.upcoming)) if box else "")
        + f'<table id="{_e(ident)}" class="deadlines"><thead><tr><th>Date</th><th>Days</th>'
        "<th>Regulation</th>"
        "<th>Citation</th><th>Obligation</th><th>Kind</th><th>Status</th>"
        + ("<th>Owner</th>" if owners else "")
        + "<th>Source</th></tr>"
        "</thead><tbody>"
    )
    body = []
    for row in report.upcoming:
        o, m = row.obligation, row.milestone
        source = row.source
        link = (
            _a(source.url, source.title) + ("" if source.official else " (not official)")
            if source is not None
            else ""
        )
        said = note(row)
        text = " ".join(
            [
                o.id,
                o.title,
                m.title,
                o.regulation.short,
                o.citation,
                o.jurisdiction,
                m.kind.value,
                m.status.value,
                m.window.text,
                row.standing.value,
                o.owner,
                *o.tags,
            ]
        ).lower()
        body.append(
            f'<tr data-text="{_e(text)}" data-id="{_e(row.name)}" '
            f'data-standing="{row.standing.value}" class="{urgency(row)}">'
            f"<td>{_e(m.window.text)}</td>"
            f'<td class="days">{_e(days_text(row))}</td><td>{_e(o.regulation.short)}</td>'
            f"<td>{_e(o.citation)}</td><td>{_e(o.title)}"
            + (f": {_e(m.title)}" if m.title else "")
            + f" <code>{_e(o.id)}</code>"
            + (f'<br><span class="note">{_e(said)}</span>' if said else "")
            + f"</td><td>{_e(m.kind.value)}</td>"
            f"<td>{_e(m.status.value)}</td>"
            + (f"<td>{_e(o.owner)}</td>" if owners else "")
            + f"<td>{link}</td></tr>"
        )
        if len(body) >= _BATCH:
            yield "".join(body)
            body.clear()
    yield "".join(body) + "</tbody></table>"


def _filter(rows: int) -> str:
    """The filter box, and how many rows it shows of how many."""
    return (
        '<label for="filter">Filter </label><input id="filter" type="search" '
        'placeholder="regulation, article, word…" autocomplete="off"> '
        f'<span class="note"><span id="shown">{rows}</span> of {rows} shown</span>'
    )


def _a(url: str, text: str) -> str:
    """A link, only to an http(s) address: the registry and the parse cache are input, and a
    `javascript:` or `data:` URL must never become a link in the page (issue 27)."""
    if url.lower().startswith(("https://", "http://")):
        return f'<a href="{_e(url)}">{_e(text)}</a>'
    return _e(text)


def _milestone(row: Due) -> str:
    m = row.milestone
    said = note(row)
    return (
        f"<li><strong>{_e(m.window.text)}</strong> {_e(m.kind.value)}, {_e(m.status.value)}, "
        f"{_e(days_text(row))}"
        + (f": {_e(m.title)}" if m.title else "")
        + (f' <span class="note">{_e(m.note)}</span>' if m.note else "")
        + "".join(
            f"<br>moved from {_e(c.old.text)} to {_e(c.new.text)} by "
            + _a(c.source, c.act)
            + (f" (published {c.published.isoformat()})" if c.published else "")
            for c in m.history
        )
        # the evidence: the words of each source that give the date (issue 26)
        + "".join(
            f'<br><q class="evidence">{_e(s.quote)}</q>'
            + (f" ({_e(s.article)})" if s.article else "")
            + " "
            + _a(s.url, s.title)
            + ("" if s.official else " (not official)")
            for s in m.sources
            if s.quote
        )
        + (f'<br><span class="note">Not quoted: {_e(m.unquoted)}</span>' if m.unquoted else "")
        + (f"<br>{_e(said)}" if said else "")
        + "</li>"
    )


def _obligations(report: Report) -> Iterator[str]:
    parts = []
    for o in report.obligations:
        milestones = "".join(_milestone(row) for row in report.dates.get(o.id, ()))
        sources = "".join(
            "<li>"
            + _a(s.url, s.title)
            + ("" if s.official else " (not official)")
            + (
                f': <q class="evidence">{_e(s.quote)}</q>'
                + (f" ({_e(s.article)})" if s.article else "")
                if s.quote
                else ""
            )
            + "</li>"
            for s in o.sources
        )
        ours = " · ".join(
            f"{label}: {_e(value)}"
            for label, value in (("Owner", o.owner), ("Own status", o.progress))
            if value
        )
        parts.append(
            f'<div class="obligation" id="{_e(o.id)}"><h3>{_e(o.regulation.short)} '
            f"{_e(o.citation)}: {_e(o.title)} <code>{_e(o.id)}</code></h3>"
            + (f'<p class="ours">{ours}</p>' if ours else "")
            + f"<p>{_e(o.summary)}</p>"
            + (f"<ul>{milestones}</ul>" if milestones else "")
            + f'<p class="note">Sources:</p><ul>{sources}</ul></div>'
        )
        if len(parts) >= _BATCH:
            yield "".join(parts)
            parts.clear()
    yield "".join(parts)


def _records(report: Report) -> dict[str, object]:
    """A report's entries for programs, as `upcoming -f json` and `check -f json` write them;
    its lists made as they are written (`_json`)."""
    from regtrack.formats.records import due_record, finding_record

    return {
        "today": report.today.isoformat(),
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "upcoming": map(due_record, report.upcoming),
        "timeline": map(due_record, report.rows),
        "findings": (finding_record(f) for f in report.findings),
    }


def _json(value: object) -> Iterator[str]:
    """`json.dumps(value, ensure_ascii=False, separators=(",", ":"))` in pieces: a mapping
    holding lists made as they are written (iterators) is written member by member, and such a
    list item by item; anything else whole."""
    import json

    if isinstance(value, Mapping) and any(isinstance(v, Iterator) for v in value.values()):
        yield "{"
        for index, (key, member) in enumerate(value.items()):
            yield ("," if index else "") + json.dumps(key, ensure_ascii=False) + ":"
            yield from _json(member)
        yield "}"
    elif isinstance(value, Iterator):
        yield "["
        batch: list[str] = []
        for index, item in enumerate(value):
            if index:
                batch.append(",")
            batch.extend(_json(item))
            if len(batch) >= _BATCH:
                yield "".join(batch)
                batch.clear()
        yield "".join(batch) + "]"
    else:
        yield json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _data(data: Mapping[str, object]) -> Iterator[str]:
    """The page's entries for programs: a JSON data block (never run: its type is not a
    script's), with `<`, `>` and `&` written as \\u escapes so that no text can close it."""
    yield '<script type="application/json" id="regtrack-data">'
    for text in _json(data):
        # each piece holds whole JSON strings, and these characters stand only in strings
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        # JSON's own spelling of what regtrack.cisafe would otherwise write as markup: a script
        # block is not decoded as HTML, so `#&#35;[` there would change the data a program reads
        yield (
            text.replace("##[", "#\\u0023[")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )
    yield "</script>"


def render_report(report: Report) -> str:
    """The whole page, as one text."""
    return "".join(report_pieces(report))


def report_pieces(report: Report) -> Iterator[str]:
    """The page in pieces, as it is made: at 100,000 obligations the page held whole, with
    its list of parts, peaked at 661 MB (issue 29)."""
    title = f"Compliance deadlines as of {report.today.isoformat()}"
    name = report.organisation or (report.profile.name if report.profile is not None else "")
    if name:
        title += f" — {name}"
    waivers = (
        f'<section id="waivers"><h2>Waivers</h2>{_waivers(report)}</section>'
        if report.waivers
        else ""
    )
    yield (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Compliance deadlines</h1>{_organisation(report)}"
        f'<p class="asof">As of <time datetime="{report.today.isoformat()}">'
        f"{report.today.isoformat()}</time> · timeline {report.start.isoformat()} to "
        f"{report.end.isoformat()} · {len(report.obligations)} obligations</p></header>"
        f'<section id="summary" class="summary"><h2>Summary</h2>{_summary(report)}</section>'
        f"{waivers}"
        '<section id="timeline"><h2>Timeline</h2><div class="scroll">'
    )
    yield from _timeline(report)
    yield f'</div></section><section id="upcoming"><h2>Upcoming {_window(report)}</h2>'
    yield from _table(report)
    yield '</section><section id="obligations"><h2>Obligations, sources and history</h2>'
    yield from _obligations(report)
    yield (
        '</section><footer class="note">Generated by regtrack '
        f"{__version__}. Check every date against its official source before relying on it."
        "</footer>"
    )
    yield from _data(_records(report))
    yield f"<script>{SCRIPT}</script></body></html>\n"


def _matrix(reports: Sequence[tuple[str, Report]]) -> str:
    """A row per client: how many of its dates are overdue, fail, warn or are waived (as
    `regtrack check` counts them), and its statutory clocks running; a link to its section."""
    from regtrack.agenda import Standing
    from regtrack.checks import Level
    from regtrack.models import State

    rows = []
    for client, report in reports:
        total = report.tally
        overdue = sum(1 for r in report.upcoming if r.standing is Standing.OVERDUE)
        clocks = sum(
            1
            for r in report.upcoming
            if r.due_at is not None
            and r.state is not State.OVERDUE
            and r.standing not in (Standing.DONE, Standing.CANCELLED, Standing.NOT_YOURS)
        )
        cells = (overdue, total[Level.FAILURE], total[Level.WARNING], total[Level.WAIVED], clocks)
        style = ' class="week"' if overdue or total[Level.FAILURE] else ""
        rows.append(
            f'<tr{style}><td><a href="#client-{_e(client)}">{_e(client)}</a></td>'
            f'<td class="profile">{_e(_organisation_text(report))}</td>'
            + "".join(f'<td class="days">{n}</td>' for n in cells)
            + "</tr>"
        )
    return (
        '<div class="scroll"><table id="matrix"><thead><tr><th>Client</th>'
        '<th class="profile">Profile</th><th>Overdue</th><th>Failing</th>'
        "<th>At risk</th><th>Waived</th><th>Clocks running</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _organisation_text(report: Report) -> str:
    from regtrack.formats.wording import profile_text

    return profile_text(report.organisation, report.profile)


def render_portfolio_report(firm: str, reports: Sequence[tuple[str, Report]]) -> str:
    """A consultancy's whole page, as one text."""
    return "".join(portfolio_pieces(firm, reports))


def portfolio_pieces(firm: str, reports: Sequence[tuple[str, Report]]) -> Iterator[str]:
    """A consultancy's page (issue 25), in pieces as it is made: a client × {overdue,
    failing, at risk, waived, clocks running} matrix, then a section per client (its summary
    and its table of what is overdue, then due), one filter box for every table, and every
    client's entries for programs."""
    today = reports[0][1].today
    title = f"Compliance deadlines of {len(reports)} clients as of {today.isoformat()}"
    if firm:
        title += f" — {firm}"
    shown = sum(len(report.upcoming) for _, report in reports)
    yield (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Compliance deadlines</h1>"
        + (f'<p class="org">{_e(firm)}</p>' if firm else "")
        + f'<p class="asof">As of <time datetime="{today.isoformat()}">{today.isoformat()}'
        f"</time> · {len(reports)} clients</p></header>"
        f'<section id="summary"><h2>Clients</h2>{_matrix(reports)}</section>'
        f'<section id="upcoming"><h2>Every client\'s deadlines</h2>{_filter(shown)}</section>'
    )
    for client, report in reports:
        yield (
            f'<section id="client-{_e(client)}" class="client"><h2>{_e(client)}</h2>'
            f'<p class="org">{_e(_organisation_text(report))}</p>{_summary(report)}'
            f"<h3>Upcoming {_window(report)}</h3>"
        )
        yield from _table(report, f"deadlines-{client}", box=False)
        yield "</section>"
    yield (
        f'<footer class="note">Generated by regtrack {__version__}. Check every date against '
        "its official source before relying on it.</footer>"
    )
    clients = ({"organisation": c, **_records(r)} for c, r in reports)
    yield from _data({"clients": clients})
    yield f"<script>{SCRIPT}</script></body></html>\n"
