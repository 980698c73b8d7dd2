"""The digest as an Atom feed (RFC 4287), for feed readers and static hosting beside the
iCalendar feed: an entry per overdue or coming deadline, running clock, ending waiver and
registry change. Entry ids are `urn:uuid:` names derived from what the entry is about
(RFC 4122 §4.3, name-based), so the same deadline keeps its id from one run to the next and a
reader shows a moved date as an update, not as a new item (RFC 4287 §4.2.6). Written with
ElementTree, which escapes text and attributes; characters XML 1.0 cannot carry are replaced."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TYPE_CHECKING

from regtrack import __version__
from regtrack.formats import utf8_pieces
from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import Item, scope, sections, title

if TYPE_CHECKING:
    from regtrack.digest import Digest

_ATOM = "http://www.w3.org/2005/Atom"
# Every id regtrack mints for a feed lives under this namespace (a fixed, random UUID).
_NAMESPACE = uuid.UUID("5b3f6a0e-8d0c-4f4e-9a65-0c6f2b1d9e37")
# XML 1.0 §2.2: Char excludes C0 controls but tab, LF and CR, surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", " ".join(text.split()))


def _stamp(day: dt.date) -> str:
    """RFC 3339 date-time (RFC 4287 §3.3): the day's first instant in UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def _id(scope_key: str, key: str) -> str:
    name = scope_key + "\n" + key
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def _sub(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attributes)
    if text:
        element.text = _clean(text)
    return element


def _entry(feed: ET.Element, item: Item, section: str, scope_key: str) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", _id(scope_key, item.key))
    _sub(entry, "title", f"{item.what} ({item.day.isoformat()})", type="text")
    _sub(entry, "updated", _stamp(item.updated))
    if item.url:
        _sub(entry, "link", rel="alternate", href=_clean(item.url))
    _sub(entry, "category", term=section)
    _sub(entry, "summary", f"{item.when}. {item.detail}.", type="text")
    if not item.url:
        # RFC 4287 §4.1.1: an entry with no alternate link has content (an ending waiver has no
        # source to link to; the W3C feed validator flagged it, issue 28)
        _sub(entry, "content", f"{item.what}. {item.when}. {item.detail}.", type="text")


def render_digest(digest: Digest, context: DigestContext) -> Iterator[bytes]:
    """The feed document, UTF-8 XML, written as it is made. Its id is the feed's URL when given
    (so that two feeds published at two addresses never share ids), else a name for the
    organisation.

    The bytes are ElementTree's for the whole feed, indented (tests/formats/test_atom.py keeps
    that writer as the reference), but each entry is made, indented and written on its own: a
    feed of 57,000 overdue dates held as one tree peaked at 670 MB (issue 29)."""
    ET.register_namespace("", _ATOM)
    scope_key = context.feed_url or f"regtrack:{digest.organisation}"
    found = sections(digest)
    items = [(s.key, i) for s in found for i in s.items]
    feed = ET.Element(f"{{{_ATOM}}}feed")
    _sub(feed, "id", context.feed_url or _id(scope_key, "feed"))
    whose = f" for {digest.organisation}" if digest.organisation else ""
    _sub(feed, "title", f"regtrack deadlines{whose}", type="text")
    _sub(feed, "subtitle", f"{title(digest)}. {scope(digest)}", type="text")
    newest = max((i.updated for _, i in items), default=digest.today)
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", digest.organisation or "regtrack")
    if context.feed_url:
        _sub(feed, "link", rel="self", href=_clean(context.feed_url), type="application/atom+xml")
    _sub(feed, "generator", "regtrack", version=__version__)
    yield b'<?xml version="1.0" encoding="utf-8"?>\n'
    if not items:
        ET.indent(feed)
        yield (ET.tostring(feed, "unicode") + "\n").encode("utf-8")
        return
    # The head as the whole feed's: indented with a mark where the first entry goes.
    _sub(feed, "entry")
    ET.indent(feed)
    head = ET.tostring(feed, "unicode")
    yield head[: head.rindex("<entry />")].encode("utf-8")
    declared = f' xmlns="{_ATOM}"'

    def entries() -> Iterator[str]:
        for number, (section, item) in enumerate(items, 1):
            holder = ET.Element(f"{{{_ATOM}}}feed")
            _entry(holder, item, section, scope_key)
            entry = holder[0]
            ET.indent(entry, level=1)
            entry.tail = "\n" if number == len(items) else "\n  "
            # alone, the entry declares the namespace its feed declares: once, in its first tag
            yield ET.tostring(entry, "unicode").replace(declared, "", 1)
        yield "</feed>\n"

    yield from utf8_pieces(entries())
