"""The digest as a Mattermost incoming-webhook payload: `text` in Mattermost's Markdown
(https://docs.mattermost.com/collaborate/format-messages.html). Registry text is escaped with
the Markdown format's escaper, and an `@` is followed by a word joiner (U+2060), which shows
nothing but stops `@channel`, `@all`, `@here` or `@someone` from notifying anyone."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import nothing, scope, sections, title
from regtrack.formats.markdown import escape, link

if TYPE_CHECKING:
    from regtrack.digest import Digest

# Mattermost's default post limit is 16,383 characters; a section lists at most this many items.
MAX_ITEMS = 20
_LIMIT = 16_383


def escape_text(text: str) -> str:
    """Markdown-escaped, and no mention: also `@channel` after a letter, which Mattermost
    reads as one where GitHub does not."""
    return escape(text).replace("@", "@\u2060").replace("@\u2060\u2060", "@\u2060")


def payload(digest: Digest) -> dict[str, Any]:
    """The JSON object to POST to the webhook."""
    lines = [f"#### {escape_text(title(digest))}", f"_{escape_text(scope(digest))}_", ""]
    found = sections(digest)
    for section in found:
        lines += [f"**{escape_text(section.heading)} ({len(section.items)})**", ""]
        for item in section.items[:MAX_ITEMS]:
            source = f" · {link(item.link, item.url)}" if item.url else ""
            lines.append(
                f"- **{escape_text(item.when)}**: {escape_text(item.what)}  \n"
                f"  _{escape_text(item.detail)}_{source}"
            )
        more = len(section.items) - MAX_ITEMS
        if more > 0:
            lines.append(f"- _and {more} more_")
        lines.append("")
    if not found:
        lines.append(nothing(digest))
    text = "\n".join(lines).rstrip("\n")
    if len(text) > _LIMIT:
        text = text[: _LIMIT - 40].rsplit("\n", 1)[0] + "\n- _(cut: the digest is too long)_"
    return {"text": text}


def render_digest(digest: Digest, context: DigestContext) -> str:
    """The payload as JSON, as it is posted."""
    return json.dumps(payload(digest), ensure_ascii=False, indent=2) + "\n"
