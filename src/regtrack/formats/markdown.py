"""Markdown (GitHub-flavoured) for changelogs, wikis and pull-request comments. Registry text is
escaped so that it can add no markup, link or HTML of its own."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from regtrack.dates import describe_duration
from regtrack.formats import RenderOptions
from regtrack.formats.text import days_text
from regtrack.models import Due, Obligation, Source
from regtrack.select import state_on

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def escape(text: str) -> str:
    """Text with every Markdown/HTML metacharacter backslash-escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def link(title: str, url: str) -> str:
    """A link whose URL cannot close the parenthesis early."""
    target = url.replace("(", "%28").replace(")", "%29")
    return f"[{escape(title)}]({target})"


def _sources(sources: Sequence[Source]) -> str:
    return ", ".join(link(s.title, s.url) for s in sources)


def render_upcoming(rows: Sequence[Due], today: dt.date, options: RenderOptions) -> str:
    """A table of upcoming milestones, as of `today`."""
    lines = [
        f"Upcoming as of {today.isoformat()}",
        "",
        "| Date | Days | Regulation | Citation | Obligation | Kind | Status | Source |",
        "|---|---:|---|---|---|---|---|---|",
    ]
    for row in rows:
        o, m = row.obligation, row.milestone
        title = escape(o.title) + (f" — {escape(m.title)}" if m.title else "")
        lines.append(
            f"| {m.window.text} | {escape(days_text(row))} | {escape(o.regulation.short)} "
            f"| {escape(o.citation)} | {title} (`{o.id}`) | {m.kind.value} | {m.status.value} "
            f"| {_sources(o.milestone_sources(m)[:1])} |"
        )
    if not rows:
        lines.append("| | | | | Nothing due in this window. | | | |")
    return "\n".join(lines) + "\n"


def render_list(obligations: Sequence[Obligation], today: dt.date, options: RenderOptions) -> str:
    """A table of obligations with their dates and official sources."""
    lines = [
        "| Regulation | Citation | Obligation | Jurisdiction | Dates | Sources |",
        "|---|---|---|---|---|---|",
    ]
    for o in obligations:
        dates = (
            "<br>".join(f"{m.window.text} {m.kind.value} ({m.status.value})" for m in o.milestones)
            or "<br>".join(f"{escape(p.duration.text)} {escape(p.title)}" for p in o.periods)
            or "—"
        )
        lines.append(
            f"| {escape(o.regulation.short)} | {escape(o.citation)} | {escape(o.title)} (`{o.id}`) "
            f"| {o.jurisdiction} | {dates} | {_sources(o.sources)} |"
        )
    return "\n".join(lines) + "\n"


def render_show(obligation: Obligation, today: dt.date, options: RenderOptions) -> str:
    """One obligation in full: summary, milestones with history, periods, sources."""
    o = obligation
    reg = o.regulation
    lines = [
        f"## {escape(o.title)}",
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
    lines += ["", escape(o.summary), ""]
    if o.milestones:
        lines += ["### Milestones", ""]
        for m in o.milestones:
            state = state_on(m, today).value
            text = f"- **{m.window.text}** {m.kind.value}, {m.status.value}, {state}"
            text += f": {escape(m.title)}" if m.title else ""
            lines.append(text + f" (verified {m.verified.isoformat()})")
            if m.note:
                lines.append(f"  - {escape(m.note)}")
            for change in m.history:
                lines.append(
                    f"  - moved from {change.old.text} to {change.new.text} by "
                    f"{link(change.act, change.source)}"
                )
            if m.sources:
                lines.append(f"  - sources: {_sources(m.sources)}")
        lines.append("")
    if o.periods:
        lines += ["### Periods", ""]
        for p in o.periods:
            start = f"from {escape(p.start)}" if p.start else f"after `{p.after}`"
            text = f"- **{p.duration.text}** ({describe_duration(p.duration)}) {start}: "
            text += escape(p.title) + (f" ({escape(p.citation)})" if p.citation else "")
            if p.extension:
                text += f"; extendable by {describe_duration(p.extension)}"
            lines.append(text)
        lines.append("")
    lines += ["### Sources", ""]
    lines += [
        f"- {link(s.title, s.url)}" + ("" if s.official else " (not official)") for s in o.sources
    ]
    return "\n".join(lines) + "\n"
