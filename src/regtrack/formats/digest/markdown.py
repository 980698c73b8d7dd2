"""The digest as Markdown (GitHub-flavoured): a job summary, a wiki page, an issue comment.
Registry text is escaped with the Markdown format's escaper: it adds no markup, link, HTML or
mention of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import (
    counts,
    firm_scope,
    firm_title,
    not_evaluated,
    nothing,
    scope,
    sections,
    title,
)
from regtrack.formats.markdown import escape, link

if TYPE_CHECKING:
    from regtrack.digest import Digest, FirmDigest


def _lines(digest: Digest, level: int) -> list[str]:
    """The digest with its title at heading `level` and its sections one below."""
    lines = [f"{'#' * level} {escape(title(digest))}", "", f"_{escape(scope(digest))}_", ""]
    found = sections(digest)
    for section in found:
        lines += [f"{'#' * (level + 1)} {escape(section.heading)} ({len(section.items)})", ""]
        for item in section.items:
            flag = "**" if item.urgent else ""
            source = f" · {link(item.link, item.url)}" if item.url else ""
            lines.append(
                f"- {flag}{escape(item.when)}{flag}: {escape(item.what)}  \n"
                f"  {escape(item.detail)}{source}"
            )
        lines.append("")
    if not found:
        lines += [escape(nothing(digest)), ""]
    return lines


def render_digest(digest: Digest, context: DigestContext) -> str:
    """A level-2 title, the scope in italics, then a list per section."""
    return "\n".join(_lines(digest, 2)).rstrip("\n") + "\n"


# The firm's table: a column per number of a client's digest.
_COLUMNS = ("Overdue", "Waived", "Clocks", "Due", "Applies", "Expected", "Coming", "Waivers ending")


def render_firm(firm: FirmDigest, context: DigestContext) -> str:
    """A level-1 title, a table of every client's numbers (and where its digest went), then
    each client's digest under a level-2 heading naming it."""
    delivered = any(c.delivery for c in firm.clients)
    head = ["Client", *_COLUMNS, *(["Sent"] * delivered)]
    lines = [f"# {escape(firm_title(firm))}", "", f"_{escape(firm_scope(firm))}_", ""]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for each in firm.clients:
        n = counts(each.digest)
        numbers = (n.overdue, n.waived, n.clocks, n.due, n.applies, n.expected, n.coming)
        cells = [f"`{each.client}`", *(str(x) for x in (*numbers, n.waivers))]
        if delivered:
            cells.append(escape(each.delivery))
        lines.append("| " + " | ".join(cells) + " |")
    if firm.broken:
        lines.append("")
        lines += [f"- `{name}`: {escape(not_evaluated(problem))}" for name, problem in firm.broken]
    for each in firm.clients:
        lines += ["", f"## `{each.client}`", "", *_lines(each.digest, 3)]
    return "\n".join(lines).rstrip("\n") + "\n"
