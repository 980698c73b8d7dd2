"""The Atom digest written entry by entry (issue 29) is byte for byte what ElementTree writes
for the whole feed, indented: that writer is kept here as the reference."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import regtrack.formats
from regtrack import __version__
from regtrack.agenda import Agenda, Moment
from regtrack.digest import build_digest
from regtrack.formats.digest import DigestContext, atom
from regtrack.formats.digest.lines import scope, sections, title
from regtrack.registry import load
from tests.helpers import FIXTURE, generated


def whole_feed(digest: object, context: DigestContext) -> str:
    """The feed as one ElementTree tree, indented and serialised at once (the writer before)."""
    ATOM = atom._ATOM
    ET.register_namespace("", ATOM)
    scope_key = context.feed_url or f"regtrack:{digest.organisation}"  # type: ignore[attr-defined]
    found = sections(digest)  # type: ignore[arg-type]
    items = [(s.key, i) for s in found for i in s.items]
    feed = ET.Element(f"{{{ATOM}}}feed")
    atom._sub(feed, "id", context.feed_url or atom._id(scope_key, "feed"))
    organisation = digest.organisation  # type: ignore[attr-defined]
    whose = f" for {organisation}" if organisation else ""
    atom._sub(feed, "title", f"regtrack deadlines{whose}", type="text")
    atom._sub(feed, "subtitle", f"{title(digest)}. {scope(digest)}", type="text")  # type: ignore[arg-type]
    newest = max((i.updated for _, i in items), default=digest.today)  # type: ignore[attr-defined]
    atom._sub(feed, "updated", atom._stamp(newest))
    author = atom._sub(feed, "author")
    atom._sub(author, "name", organisation or "regtrack")
    if context.feed_url:
        atom._sub(
            feed,
            "link",
            rel="self",
            href=atom._clean(context.feed_url),
            type="application/atom+xml",
        )
    atom._sub(feed, "generator", "regtrack", version=__version__)
    for section, item in items:
        atom._entry(feed, item, section, scope_key)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


@pytest.mark.parametrize("chunk", [1, 3, 256])
@pytest.mark.parametrize(
    ("count", "day", "feed_url"),
    [
        (0, dt.date(2026, 12, 4), ""),  # the fixture
        (-1, dt.date(2026, 12, 4), ""),  # nothing to say: no entry
        (400, dt.date(2026, 12, 4), "https://feeds.example.org/a.atom"),
    ],
)
def test_written_entry_by_entry_it_is_the_whole_feed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
    count: int,
    day: dt.date,
    feed_url: str,
) -> None:
    monkeypatch.setattr(regtrack.formats, "PIECE", chunk)
    registry = generated(tmp_path, count) if count > 0 else FIXTURE
    obligations = load([registry]).obligations if count >= 0 else ()
    agenda = Agenda(obligations, Moment.start_of(day))
    digest = build_digest(agenda, day + dt.timedelta(days=30))
    context = DigestContext(feed_url)
    expected = whole_feed(digest, context)
    assert b"".join(atom.render_digest(digest, context)).decode("utf-8") == expected
    assert expected.count("<entry>") == sum(len(s.items) for s in sections(digest))
    assert (count < 0) == ("<entry>" not in expected)
    if count > 0:
        assert expected.count("<entry>") > 100  # several pieces of 3, and of 1
