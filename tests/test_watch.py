"""regtrack.watch: reading a fetched page and judging a cited source (issue 26)."""

from __future__ import annotations

from regtrack.watch import Citation, Cited, Quoted, Reach, judge
from regtrack.watch.fetch import Fetched, Hop
from regtrack.watch.text import contains, folded, page_text

QUOTE = "It shall apply from 2 August 2026."


def test_the_words_are_compared_as_a_reader_sees_them() -> None:
    page = page_text(
        "text/html; charset=utf-8",
        b"<p>It shall <b>apply</b> from 2&nbsp;August&#160;2026.</p><script>var x = 1;</script>",
    )
    assert page is not None and contains(page, QUOTE)
    assert "var x" not in page  # scripts are not text
    assert contains(folded("the ‘Board’ — soft\u00adhyphen"), "the 'Board' - softhyphen")


def test_an_ellipsis_stands_for_words_left_out_in_order() -> None:
    page = folded("Member States shall, by 26 March 2027, notify the Commission of those rules.")
    assert contains(page, "Member States shall ... notify the Commission")
    assert not contains(page, "notify the Commission ... Member States shall")


def test_a_pdf_is_not_read_and_a_declared_charset_is_used() -> None:
    assert page_text("application/pdf", b"%PDF-1.7 ...") is None
    latin = "Le règlement s'applique à partir du 2 août 2026.".encode("latin-1")
    text = page_text("text/html; charset=iso-8859-1", b"<p>" + latin + b"</p>")
    assert text is not None and contains(text, "à partir du 2 août 2026")


def _cited() -> Cited:
    return Cited("https://x.example/a", (Citation("o/m", QUOTE, "Art. 1"), Citation("o")))


def test_verdicts() -> None:
    page = b"<p>" + QUOTE.encode() + b"</p>"
    ok = judge(
        _cited(), Fetched("https://x.example/a", "https://x.example/a", 200, (), "text/html", page)
    )
    assert (ok.reach, ok.ok, ok.citations) == (Reach.REACHABLE, True, 2)
    assert [q.quoted for q in ok.quotes] == [Quoted.FOUND]
    moved = judge(
        _cited(),
        Fetched(
            "https://x.example/a",
            "https://x.example/b",
            200,
            (Hop(301, "https://x.example/b"),),
            "text/html",
            page,
        ),
    )
    assert (moved.reach, moved.final, moved.reason, moved.ok) == (
        Reach.MOVED, "https://x.example/b", "permanently", False,
    )  # fmt: skip
    changed = judge(
        _cited(),
        Fetched(
            "https://x.example/a", "https://x.example/a", 200, (), "text/html", b"<p>other</p>"
        ),
    )
    assert changed.reach is Reach.REACHABLE and changed.quotes[0].quoted is Quoted.MISSING
    gone = judge(_cited(), Fetched("https://x.example/a", "https://x.example/a", 410))
    assert gone.reach is Reach.GONE and gone.quotes[0].quoted is Quoted.UNREAD
    failed = judge(
        _cited(), Fetched("https://x.example/a", "https://x.example/a", None, error="timed out")
    )
    assert (failed.reach, failed.reason) == (Reach.FAILED, "timed out")
