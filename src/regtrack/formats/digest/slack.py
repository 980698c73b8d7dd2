"""The digest as a Slack incoming-webhook payload (Block Kit). Registry text travels only in
`plain_text` objects and `rich_text` text elements, which Slack shows literally: no mrkdwn, no
`<!channel>`, no link it did not mark as one (https://api.slack.com/reference/block-kit). The
notification fallback `text` is mrkdwn, so its &, < and > are escaped as Slack asks
(https://api.slack.com/reference/surfaces/formatting#escaping)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import Section, nothing, scope, sections, squeezed, title

if TYPE_CHECKING:
    from regtrack.digest import Digest

# Block Kit limits: a header's text is at most 150 characters, a message at most 50 blocks; a
# section lists at most this many items and says how many more there are.
_HEADER = 150
MAX_ITEMS = 20


def escape_mrkdwn(text: str) -> str:
    """The three characters Slack's mrkdwn reserves, as its entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(text: str, **style: bool) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "text", "text": squeezed(text)}
    if style:
        element["style"] = style
    return element


def _section(section: Section) -> dict[str, Any]:
    items = []
    for item in section.items[:MAX_ITEMS]:
        elements = [
            _text(item.when, bold=True),
            _text(f": {item.what}"),
            {"type": "text", "text": "\n"},
            _text(item.detail, italic=True),
        ]
        if item.url:
            elements += [_text(" · "), {"type": "link", "url": item.url, "text": item.link}]
        items.append({"type": "rich_text_section", "elements": elements})
    more = len(section.items) - MAX_ITEMS
    if more > 0:
        items.append(
            {"type": "rich_text_section", "elements": [_text(f"and {more} more", italic=True)]}
        )
    heading = {
        "type": "rich_text_section",
        "elements": [_text(f"{section.heading} ({len(section.items)})", bold=True)],
    }
    return {
        "type": "rich_text",
        "elements": [heading, {"type": "rich_text_list", "style": "bullet", "elements": items}],
    }


def payload(digest: Digest) -> dict[str, Any]:
    """The JSON object to POST to the webhook."""
    found = sections(digest)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(title(digest), _HEADER)}},
        {
            "type": "context",
            "elements": [{"type": "plain_text", "text": _cut(scope(digest), 2000)}],
        },
        *(_section(s) for s in found),
    ]
    if not found:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "plain_text",
                    "text": nothing(digest),
                },
            }
        )
    return {"text": escape_mrkdwn(" ".join(title(digest).split())), "blocks": blocks}


def render_digest(digest: Digest, context: DigestContext) -> str:
    """The payload as JSON, as it is posted."""
    return json.dumps(payload(digest), ensure_ascii=False, indent=2) + "\n"
