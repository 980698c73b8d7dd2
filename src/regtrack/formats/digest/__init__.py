"""The digest's formats (issue 18): one module per medium, one interface, chosen through
`DIGEST_FORMATS`. Each module is pure: a Digest in, text out; only the CLI sends or writes."""

from __future__ import annotations

import enum
import importlib
from typing import TYPE_CHECKING, NamedTuple, Protocol, cast

if TYPE_CHECKING:
    from regtrack.digest import Digest
    from regtrack.formats import Rendered


class DigestFormat(enum.StrEnum):
    """The formats of `digest`: for a terminal or a file, for an e-mail, for a chat channel,
    for a feed reader."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    EMAIL = "email"  # the whole RFC 5322 message, multipart text and HTML
    SLACK = "slack"
    TEAMS = "teams"
    MATTERMOST = "mattermost"
    ATOM = "atom"
    JSON = "json"  # the sections' entries as the agenda evaluated them, for programs


class DigestContext(NamedTuple):
    """What a digest's rendering needs besides the digest: the feed's own address (Atom
    `rel="self"`, RFC 4287 §4.2.7.2) and the e-mail's envelope."""

    feed_url: str = ""
    mail_from: str = ""
    mail_to: tuple[str, ...] = ()


class DigestRenderer(Protocol):
    """What every digest format module provides."""

    # text, or (a large JSON document) UTF-8 pieces written as they are made
    def render_digest(self, digest: Digest, context: DigestContext) -> Rendered: ...


DIGEST_FORMATS: dict[DigestFormat, str] = {
    DigestFormat.TEXT: "regtrack.formats.digest.text",
    DigestFormat.MARKDOWN: "regtrack.formats.digest.markdown",
    DigestFormat.HTML: "regtrack.formats.digest.html",
    DigestFormat.EMAIL: "regtrack.formats.digest.email",
    DigestFormat.SLACK: "regtrack.formats.digest.slack",
    DigestFormat.TEAMS: "regtrack.formats.digest.teams",
    DigestFormat.MATTERMOST: "regtrack.formats.digest.mattermost",
    DigestFormat.ATOM: "regtrack.formats.digest.atom",
    DigestFormat.JSON: "regtrack.formats.digest.json",
}


def digest_renderer(fmt: DigestFormat) -> DigestRenderer:
    """The module that renders a digest as `fmt`, imported on first use."""
    return cast(DigestRenderer, importlib.import_module(DIGEST_FORMATS[fmt]))
