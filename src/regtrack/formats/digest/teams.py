"""The digest as a Microsoft Teams incoming-webhook message: one Adaptive Card 1.4
(https://adaptivecards.io/explorer/), in the `attachments` envelope Teams webhooks and
Workflows accept. Registry text travels only in `TextRun`s of `RichTextBlock`s, which Adaptive
Cards never read as Markdown (TextBlock would), so it adds no formatting and no link."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import Item, Section, nothing, scope, sections, squeezed, title

if TYPE_CHECKING:
    from regtrack.digest import Digest

# A section lists at most this many items; and the whole payload stays under Teams' limit of
# about 28 KB, counted in the bytes posted (issue 28: counting items alone reached 40 KB): the
# items per section are halved until it fits.
MAX_ITEMS = 15
MAX_BYTES = 27_000


def _run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextRun", "text": squeezed(text), **style}


def _rich(*runs: dict[str, Any], **style: Any) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": list(runs), **style}


def _item(item: Item) -> dict[str, Any]:
    detail = [_run(item.detail, isSubtle=True)]
    if item.url:
        detail += [
            _run(" · "),
            _run(
                item.link,
                color="Accent",
                selectAction={"type": "Action.OpenUrl", "url": item.url},
            ),
        ]
    head = _run(item.when, weight="Bolder", **({"color": "Attention"} if item.urgent else {}))
    return {
        "type": "Container",
        "spacing": "Small",
        "items": [_rich(head, _run(f": {item.what}")), _rich(*detail, spacing="None")],
    }


def _section(section: Section, most: int = MAX_ITEMS) -> list[dict[str, Any]]:
    parts = [
        _rich(
            _run(f"{section.heading} ({len(section.items)})", weight="Bolder", size="Medium"),
            spacing="Medium",
            separator=True,
        ),
        *(_item(i) for i in section.items[:most]),
    ]
    more = len(section.items) - most
    if more > 0:
        parts.append(_rich(_run(f"and {more} more", italic=True)))
    return parts


def card(digest: Digest) -> dict[str, Any]:
    """The Adaptive Card itself, as many items a section as the size limit lets through."""
    most = MAX_ITEMS
    while True:
        made = _card(digest, most)
        size = len(json.dumps(_envelope(made), ensure_ascii=False).encode("utf-8"))
        if size <= MAX_BYTES or most == 0:
            return made
        most //= 2


def _card(digest: Digest, most: int) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        _rich(_run(title(digest), weight="Bolder", size="Large")),
        _rich(_run(scope(digest), isSubtle=True), spacing="None"),
    ]
    found = sections(digest)
    for section in found:
        body += _section(section, most)
    if not found:
        body.append(_rich(_run(nothing(digest))))
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": body,
    }


def payload(digest: Digest) -> dict[str, Any]:
    """The JSON object to POST to the webhook."""
    return _envelope(card(digest))


def _envelope(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": content,
            }
        ],
    }


def render_digest(digest: Digest, context: DigestContext) -> str:
    """The payload as JSON, as it is posted."""
    return json.dumps(payload(digest), ensure_ascii=False, indent=2) + "\n"
