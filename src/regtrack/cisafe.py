"""One rule for every line an output can put in a CI log (issue 27).

A GitHub Actions runner reads every line a job prints (stdout and stderr alike, and `cat` of any
file) for workflow commands: `::` at the start of a line once leading white space is trimmed,
and the legacy `##[` anywhere in it (actions/runner, ActionCommand.TryParseV2 and TryParse).
U+2028 and U+2029 end a line in some log viewers and JavaScript. Every output regtrack writes,
to standard output or to a file, passes here last; the document's kind decides the spelling
that keeps its meaning for its own readers:

- markup (XML, HTML, Atom): `#&#35;[`, `&#58;:`, `&#x2028;` are the same text to a parser;
- JSON (a document starting with `{` or `[`): the same characters can only stand inside a
  string, where `\\u0023`, `\\u2028` are the same text;
- anything else (tables, text, CSV, iCalendar, Markdown, mail): the visible escapes regtrack's
  messages use, by `regtrack.errors.inert` itself (`\\x3a:`, `\\x23#[`), and `\\u2028`.

The `github` format is the one output meant to hold workflow commands; it escapes what it
quotes by the Actions toolkit's own rules and is written past this module.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

_LINE_COMMAND = rb"^([^\S\n]*)::"


@functools.cache
def _line_command() -> re.Pattern[bytes]:
    # compiled when first needed (0.2 ms of every start): most output holds no `::`
    return re.compile(_LINE_COMMAND, re.MULTILINE)


_SEPARATORS = (b"\xe2\x80\xa8", b"\xe2\x80\xa9")  # U+2028, U+2029 in UTF-8

_MARKUP = (b"#&#35;[", rb"\1&#58;:", (b"&#x2028;", b"&#x2029;"))
_JSON = (b"#\\u0023[", rb"\1::", (b"\\u2028", b"\\u2029"))

# A spelling for markup or JSON; None for text, written by regtrack.errors.inert, the rule of
# regtrack's own messages.
Rule = tuple[bytes, bytes, tuple[bytes, bytes]] | None


def _kind(head: bytes) -> Rule:
    start = head.lstrip()[:1]
    if start == b"<":
        return _MARKUP
    if start in (b"{", b"[") and head.lstrip()[1:2] in (b"\n", b'"', b"]", b"}", b" ", b"{", b"["):
        return _JSON
    return None


def _apply(data: bytes, rule: Rule) -> bytes:
    if rule is None:
        return _as_text(data)
    hashed, line, separators = rule
    if b"##[" in data:
        data = data.replace(b"##[", hashed)
    if b"::" in data:
        data = _line_command().sub(line, data)
    for raw, written in zip(_SEPARATORS, separators, strict=True):
        if raw in data:
            data = data.replace(raw, written)
    return data


def _as_text(data: bytes) -> bytes:
    """Text as regtrack's messages are written (errors.inert), and no line separator."""
    if not any(mark in data for mark in (b"::", b"##[", *_SEPARATORS)):
        return data
    from regtrack.errors import inert

    text = inert(data.decode("utf-8", "surrogateescape"))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.encode("utf-8", "surrogateescape")


def neutral(data: bytes | Iterable[bytes]) -> bytes | Iterator[bytes]:
    """`data` with no workflow command and no line separator left in it, spelled as its kind
    of document reads them. Pieces (a large JSON document) are each whole strings, so each is
    treated alone, by the kind the first one shows."""
    if isinstance(data, bytes):
        return _apply(data, _kind(data[:64]))
    return _pieces(iter(data))


def _pieces(pieces: Iterator[bytes]) -> Iterator[bytes]:
    first = next(pieces, b"")
    rule = _kind(first[:64])
    yield _apply(first, rule)
    for piece in pieces:
        yield _apply(piece, rule)
