"""Markdown (GitHub-flavoured) for changelogs, wikis and pull-request comments. Registry text is
escaped so that it can add no markup, link or HTML of its own."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from regtrack.agenda import Due
from regtrack.checks import Level, counts
from regtrack.dates import describe_duration, instant_text
from regtrack.diff import RegistryDiff
from regtrack.formats import (
    Applies,
    CheckContext,
    CheckGroup,
    DatesOf,
    RenderOptions,
    Shown,
    Span,
)
from regtrack.formats.wording import (
    applying,
    counted,
    days_text,
    note,
    quoted,
    record_text,
    verdict,
)
from regtrack.models import Obligation, Source, Status

if TYPE_CHECKING:
    import datetime as dt

    from regtrack.changes import Changed

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


# GitHub's Markdown links bare `www.` and `scheme://` text (GFM's autolink extension); an
# escaped `.` or `:` stops it (checked with cmark-gfm, GitHub's own parser): registry text never
# becomes a link the registry did not mark as one.
_AUTOLINK = re.compile(r"(?i)\b(www)\.|\b(https?|ftp):(?=//)")


# `@team` at the start of a word notifies a GitHub team or user when the Markdown is posted (a
# job summary, an issue, a pull request comment); a word joiner after the `@` keeps the text and
# drops the mention (an address, `dpo@example.org`, has a letter before its `@` and is kept).
_MENTION = re.compile(r"(?<!\w)@(?=\w)")


def escape(text: str) -> str:
    """Text with every Markdown/HTML metacharacter backslash-escaped, on one line, nothing a
    GFM renderer would turn into a link by itself, and no @mention."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = _MENTION.sub("@\u2060", escaped)
    return _AUTOLINK.sub(lambda m: f"{m[1]}\\." if m[1] else f"{m[2]}\\:", escaped)


def link(title: str, url: str) -> str:
    """A link whose URL cannot close the parenthesis early."""
    target = url.replace("(", "%28").replace(")", "%29")
    return f"[{escape(title)}]({target})"


def _sources(sources: Sequence[Source]) -> str:
    return ", ".join(
        link(s.title, s.url) + ("" if s.official else " (not official)") for s in sources
    )


def _source(row: Due) -> str:
    """The one source a row shows, said to be official or not."""
    source = row.source
    return _sources([source]) if source is not None else ""


def render_upcoming(rows: Sequence[Due], span: Span, options: RenderOptions) -> str:
    """A table of what is overdue, then the window's dates, as of the span's day."""
    client = any(r.organisation for r in rows)  # a portfolio's: each row names its client
    lines = [
        span.title("Upcoming"),
        "",
        "| Date | Days |" + " Client |" * client
        + " Regulation | Citation | Obligation | Kind | Status | Source |",
        "|---|---:|" + "---|" * client + "---|---|---|---|---|---|",
    ]  # fmt: skip
    for row in rows:
        o, m = row.obligation, row.milestone
        title = escape(o.title) + (f" — {escape(m.title)}" if m.title else "")
        said = note(row)
        title += f" (`{o.id}`)" + (f"; {escape(said)}" if said else "")
        whose = f" `{row.organisation}` |" if client else ""
        lines.append(
            f"| {m.window.text} | {escape(days_text(row))} |{whose} {escape(o.regulation.short)} "
            f"| {escape(o.citation)} | {title} | {m.kind.value} | {m.status.value} "
            f"| {_source(row)} |"
        )
    if not rows:
        lines.append(f"| | | | | {span.nothing()} | | | |")
    return "\n".join(lines) + "\n"


def render_list(obligations: Sequence[Obligation], dates: DatesOf, options: RenderOptions) -> str:
    """A coverage table: a section per regulation, a row per obligation with its dates (status in
    brackets), event-run periods and sources."""
    groups: dict[str, list[Obligation]] = {}
    for o in obligations:
        groups.setdefault(o.regulation.short, []).append(o)
    lines = [
        f"{len(obligations)} obligation(s). A date is a day, a month (2026-06), "
        "a quarter (2026-Q2) or a year; its kind and status follow it.",
    ]
    for short, members in groups.items():
        reg = members[0].regulation
        lines += [
            "",
            f"## {escape(short)}: {escape(reg.name)} ({escape(reg.identifier)})",
            "",
            "| Citation | Obligation | Jurisdiction | Dates | Sources |",
            "|---|---|---|---|---|",
        ]
        for o in members:
            shown = [f"{m.window.text} {m.kind.value} ({m.status.value})" for m in o.milestones]
            shown += [
                f"{escape(p.duration.text)} {escape(p.title)}"
                + ("" if p.status is Status.FIXED else f" ({p.status.value})")
                for p in o.periods
            ]
            lines.append(
                f"| {escape(o.citation)} | {escape(o.title)} (`{o.id}`) | {o.jurisdiction} "
                f"| {'<br>'.join(shown) or '—'} | {_sources(o.sources)} |"
            )
    return "\n".join(lines) + "\n"


def render_show(
    obligation: Obligation,
    dates: Sequence[Due],
    options: RenderOptions,
    applies: Applies | None = None,
) -> str:
    """One obligation in full: applicability, summary, milestones with history, periods,
    sources."""
    return "\n".join(_show(obligation, dates, applies, 2)) + "\n"


def render_show_clients(shown: Sequence[Shown], options: RenderOptions) -> str:
    """A portfolio's `show`: the obligation's title, a table of whom it applies to and why, then
    each client's own `show` under a heading naming the client and its profile."""
    first = next(s.obligation for s in shown if s.obligation is not None)
    lines = [f"# {escape(first.title)}", "", f"`{first.id}`: {applying(shown)}", ""]
    lines += ["| Client | Applies | Why |", "|---|---|---|"]
    for s in shown:
        said = verdict(s)
        answer, _, why = said.partition(": ")
        lines.append(f"| `{s.client}` | {escape(answer)} | {escape(why)} |")
    for s in shown:
        lines += ["", f"## `{s.client}`: {escape(s.profile)}" if s.profile else f"## `{s.client}`"]
        lines.append("")
        if s.obligation is None:
            lines.append(f"`{first.id}` is in none of its registries.")
        else:
            lines += _show(s.obligation, s.dates, s.applies, 3)
    return "\n".join(lines).rstrip("\n") + "\n"


def _show(
    obligation: Obligation, dates: Sequence[Due], applies: Applies | None, level: int
) -> list[str]:
    """`show`'s lines, its title a heading of `level` and its parts one below."""
    o = obligation
    reg = o.regulation
    sub = "#" * (level + 1)
    lines = [
        f"{'#' * level} {escape(o.title)}",
        "",
        f"- **Id:** `{o.id}`",
        f"- **Regulation:** {escape(reg.short)}, {escape(reg.name)} ({escape(reg.identifier)})",
        f"- **Citation:** {escape(o.citation)}",
        f"- **Jurisdiction:** {o.jurisdiction}",
    ]
    if o.authority:
        lines.append(f"- **Authority:** {escape(o.authority)}")
    if o.tags:
        lines.append(f"- **Tags:** {', '.join(o.tags)}")
    if o.roles:
        lines.append(f"- **Roles:** {', '.join(o.roles)}")
    if o.owner:
        lines.append(f"- **Owner:** {escape(o.owner)}")
    if o.progress:
        lines.append(f"- **Your status:** {o.progress}")
    if applies is not None:
        verdict = "Applies to you" if applies[0] else "Does not apply to you"
        lines.append(f"- **{verdict}:** {escape('; '.join(applies[1]))}")
    lines += ["", escape(o.summary), ""]
    if dates:
        lines += [f"{sub} Milestones", ""]
        for row in dates:
            m = row.milestone
            text = f"- **{m.window.text}** {m.kind.value}, {m.status.value}, {row.standing.value}"
            text += f": {escape(m.title)}" if m.title else ""
            lines.append(text + f" (verified {m.verified.isoformat()})")
            if m.due_at is not None:
                lines.append(f"  - due by {escape(instant_text(m.due_at, weekday=True))}")
            said = note(row)
            if said:
                lines.append(f"  - {escape(said)}")
            if m.note and not said.startswith("cancelled"):
                lines.append(f"  - {escape(m.note)}")
            for change in m.history:
                lines.append(
                    f"  - moved from {change.old.text} to {change.new.text} by "
                    f"{link(change.act, change.source)}"
                    + (f" (published {change.published.isoformat()})" if change.published else "")
                )
            if m.sources:
                lines.append(f"  - sources: {_sources(m.sources)}")
            lines += [f"  - {escape(quoted(s))}" for s in m.sources if s.quote]
            lines += [f"  - {escape(line)}" for line in record_text(m)]
        lines.append("")
    if o.periods:
        lines += [f"{sub} Periods", ""]
        for p in o.periods:
            start = f"from {escape(p.start)}" if p.start else f"after `{p.after}`"
            text = f"- **{p.duration.text}** ({describe_duration(p.duration)}) {start}: "
            text += escape(p.title) + (f" ({escape(p.citation)})" if p.citation else "")
            if p.extension:
                text += f"; extendable by {describe_duration(p.extension)}"
            lines.append(text)
        lines.append("")
    lines += [f"{sub} Sources", ""]
    lines += [
        f"- {link(s.title, s.url)}"
        + ("" if s.official else " (not official)")
        + (f": {escape(quoted(s))}" if s.quote else "")
        for s in o.sources
    ]
    return lines


def render_diff(changes: RegistryDiff, options: RenderOptions) -> str:
    """A changelog section: obligations added and removed, then a table of milestone changes."""
    if not changes:
        return "No change in obligations or dates.\n"
    lines: list[str] = []
    for heading, obligations in (("Added", changes.added), ("Removed", changes.removed)):
        if obligations:
            lines += [f"### {heading} obligations", ""]
            lines += [
                f"- {escape(o.regulation.short)} {escape(o.citation)}: {escape(o.title)} (`{o.id}`)"
                + _touched(changes, o.id)
                for o in obligations
            ]
            lines.append("")
    if changes.milestones:
        clients = bool(changes.touched)  # in a portfolio: whom each change touches
        lines += [
            "### Milestones",
            "",
            "| Obligation | Milestone | Change | Old | New |" + (" Clients |" if clients else ""),
            "|---|---|---|---|---|" + ("---|" if clients else ""),
        ]
        for c in changes.milestones:
            old = f"{c.old.window.text} ({c.old.status.value})" if c.old else "—"
            new = f"{c.new.window.text} ({c.new.status.value})" if c.new else "—"
            what = c.change.value + (f": {', '.join(c.fields)}" if c.fields else "")
            lines.append(
                f"| {escape(c.obligation.regulation.short)} {escape(c.obligation.citation)} "
                f"(`{c.obligation.id}`) | `{c.milestone_id}` | {what} | {old} | {new} |"
                + (f" {_names(changes, c.obligation.id)} |" if clients else "")
            )
    return "\n".join(lines).rstrip("\n") + "\n"


def _names(changes: RegistryDiff, ident: str) -> str:
    return ", ".join(f"`{t.client}`" for t in changes.clients_of(ident) or ()) or "none"


def _touched(changes: RegistryDiff, ident: str) -> str:
    """In a portfolio: ` — clients: `a`, `b``."""
    return f" — clients: {_names(changes, ident)}" if changes.touched else ""


_ICON = {Level.FAILURE: "❌ failure", Level.WARNING: "⚠️ warning", Level.WAIVED: "➖ waived"}


def render_check(findings: Sequence[Due], context: CheckContext) -> str:
    """A job-summary table of warnings, failures and waivers (for $GITHUB_STEP_SUMMARY)."""
    total = counts(findings)
    lines = [
        f"### regtrack check as of {context.today.isoformat()}",
        "",
        f"{total[Level.FAILURE]} failed, {total[Level.WARNING]} warned, "
        f"{total[Level.WAIVED]} waived, {total[Level.PASS]} passed "
        f"(warn within {counted(context.warn_within, 'day')}, "
        f"fail within {counted(context.fail_within, 'day')}).",
    ]
    reported = [f for f in findings if f.level is not Level.PASS]
    if reported:
        lines += [
            "",
            "| Level | Date | Regulation | Obligation | Why | Source |",
            "|---|---|---|---|---|---|",
        ]
        for f in reported:
            o, m = f.obligation, f.milestone
            lines.append(
                f"| {_ICON[f.level]} | {m.window.text} | {escape(o.regulation.short)} "
                f"{escape(o.citation)} | {escape(o.title)} (`{f.name}`) | {escape(f.reason)} "
                f"| {_source(f)} |"
            )
    return "\n".join(lines) + "\n"


def render_portfolio(groups: Sequence[CheckGroup]) -> str:
    """A job summary for a portfolio: a table of clients (failed, warned, waived), then each
    client's report under a heading naming it and its profile."""
    context = groups[0].context
    lines = [
        f"### regtrack check of {len(groups)} clients as of {context.today.isoformat()}",
        "",
        "| Client | Profile | Failed | Warned | Waived |",
        "|---|---|---:|---:|---:|",
    ]
    for group in groups:
        total = counts(group.findings)
        lines.append(
            f"| `{group.organisation}` | {escape(group.profile)} | {total[Level.FAILURE]} "
            f"| {total[Level.WARNING]} | {total[Level.WAIVED]} |"
        )
    for group in groups:
        report = render_check(group.findings, group.context).replace(
            "### regtrack check", f"#### `{group.organisation}`: regtrack check", 1
        )
        lines += ["", report.rstrip("\n")]
    return "\n".join(lines) + "\n"


def render_vocabulary(options: RenderOptions) -> str:
    """A section per kind of word, a table of words and their meaning (docs/vocabulary.md)."""
    from regtrack.vocabulary import SECTIONS

    lines: list[str] = []
    for _, title, words in SECTIONS:
        lines += ["", f"## {title}", "", "| value | meaning |", "|---|---|"]
        lines += [f"| `{word}` | {escape(meaning)} |" for word, meaning in words.items()]
    return "\n".join(lines[1:]) + "\n"


def render_changes(
    changes: Sequence[Changed], since: dt.date, until: dt.date, options: RenderOptions
) -> str:
    """A section: the days asked about, then a table of changes, oldest first."""
    from regtrack.formats import changes_title

    lines = [f"## {changes_title(since, until)}", ""]
    if not changes:
        return "\n".join([*lines, "No change known in these days.", ""])
    lines += ["| Known | Change | Obligation | Before | After | By |", "|---|---|---|---|---|---|"]
    for c in changes:
        o = c.obligation
        lines.append(
            f"| {c.on.isoformat()} | {c.what.value} | {escape(o.regulation.short)} "
            f"{escape(o.citation)}: {escape(c.milestone.title or o.title)} (`{c.name}`) | "
            f"{escape(c.before) or '—'} | {escape(c.after)} | {_linked(c.by, c.source)} |"
        )
    return "\n".join(lines) + "\n"


def _linked(text: str, url: str) -> str:
    return f"[{escape(text)}](<{url}>)" if url else escape(text)
