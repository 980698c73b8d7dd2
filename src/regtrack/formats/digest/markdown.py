"""The digest as Markdown (GitHub-flavoured): a job summary, a wiki page, an issue comment.
Registry text is escaped with the Markdown format's escaper: it adds no markup, link, HTML or
mention of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import nothing, scope, sections, title
from regtrack.formats.markdown import escape, link

if TYPE_CHECKING:
    from regtrack.digest import Digest


def render_digest(digest: Digest, context: DigestContext) -> str:
    """A level-2 title, the scope in italics, then a list per section."""
    lines = [f"## {escape(title(digest))}", "", f"_{escape(scope(digest))}_", ""]
    found = sections(digest)
    for section in found:
        lines += [f"### {escape(section.heading)} ({len(section.items)})", ""]
        for item in section.items:
            flag = "**" if item.urgent else ""
            source = f" · {link(item.link, item.url)}" if item.url else ""
            lines.append(
                f"- {flag}{escape(item.when)}{flag}: {escape(item.what)}  \n"
                f"  {escape(item.detail)}{source}"
            )
        lines.append("")
    if not found:
        lines += [nothing(digest), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
