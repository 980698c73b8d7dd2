"""A fetched page as the words a reader sees, and whether a quote is among them.

HTML is reduced to its text with the standard library's parser (scripts and styles dropped,
entities decoded); the comparison ignores case, white space, soft hyphens and the typographic
forms of quotes and dashes, which official sites write either way (EUR-Lex's ‘ ’ against a
registry's ' ').
"""

from __future__ import annotations

import html.parser
import re
import unicodedata

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
    }
)
_SPACE = re.compile(r"\s+")


def folded(text: str) -> str:
    """`text` as compared: NFKC, case-folded, typographic marks plain, spaces single."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACE.sub(" ", text).strip()


class _Text(html.parser.HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _charset(content_type: str, body: bytes) -> str:
    header = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if header is None:
        meta = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096], re.IGNORECASE)
        name = meta.group(1).decode("ascii", "replace") if meta else "utf-8"
    else:
        name = header.group(1)
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


def page_text(content_type: str, body: bytes) -> str | None:
    """The words of a page, folded; None for a kind of page regtrack does not read (a PDF)."""
    kind = content_type.split(";")[0].strip().lower()
    text = body.decode(_charset(content_type, body), "replace")
    if kind in ("text/html", "application/xhtml+xml", "") and (kind or text.lstrip()[:1] == "<"):
        parser = _Text()
        parser.feed(text)
        parser.close()
        return folded("".join(parser.parts))
    if kind.startswith("text/") or kind in ("application/xml", "application/json"):
        return folded(text)
    return None


def contains(page: str, quote: str) -> bool:
    """The quote is in the page's words; "..." in a quote stands for words left out."""
    at = 0
    for piece in re.split(r"\s*(?:\.\.\.|…)\s*", folded(quote)):
        if not piece:
            continue
        found = page.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True
