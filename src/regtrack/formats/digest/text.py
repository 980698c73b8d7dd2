"""The digest as plain text: a terminal, a CI log, the text/plain part of the e-mail. Every line
begins with regtrack's own words (a date, a heading, a label), never with registry text: a line
of a CI log that began with `::` would be a workflow command (issue 14)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from regtrack.errors import visible
from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import (
    firm_scope,
    firm_title,
    headline,
    not_evaluated,
    nothing,
    scope,
    sections,
    title,
)

if TYPE_CHECKING:
    from regtrack.digest import Digest, FirmDigest


def _one_line(text: str) -> str:
    return visible(" ".join(text.split()))


def render_digest(digest: Digest, context: DigestContext) -> str:
    """Title, scope, then each section's items: `- when: what`, its detail, its source
    (official or not)."""
    lines = [_one_line(title(digest)), _one_line(scope(digest)), ""]
    found = sections(digest)
    for section in found:
        lines.append(f"{section.heading} ({len(section.items)})")
        for item in section.items:
            lines.append("  - " + _one_line(f"{item.when}: {item.what}"))
            lines.append("    " + _one_line(item.detail))
            if item.url:
                lines.append(f"    {item.link}: " + _one_line(item.url))
        lines.append("")
    if not found:
        lines += [_one_line(nothing(digest)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_firm(firm: FirmDigest, context: DigestContext) -> str:
    """The firm's title and scope, a line per client (its headline, and where its digest went
    once mailed), then each client's digest under `== NAME`."""
    lines = [_one_line(firm_title(firm)), _one_line(firm_scope(firm)), ""]
    lines.append(f"Clients ({len(firm.clients) + len(firm.broken)})")
    for each in firm.clients:
        lines.append("  - " + _one_line(f"{each.client}: {headline(each.digest)}"))
        if each.delivery:
            lines.append("    " + _one_line(each.delivery))
    for name, problem in firm.broken:
        lines.append("  - " + _one_line(f"{name}: {not_evaluated(problem)}"))
    for each in firm.clients:
        lines += ["", _one_line(f"== {each.client}"), render_digest(each.digest, context).rstrip()]
    return "\n".join(lines).rstrip("\n") + "\n"
