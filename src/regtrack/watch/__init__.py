"""`regtrack sources check`: is each cited page still there, and does it still say what the
registry quotes (issue 26)?

The only network access regtrack has, and only in this command. Each URL the registry cites is
fetched once (`regtrack.watch.fetch`, bounded), whatever number of milestones cite it; each
verdict is decided here, once, and the formats only render it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from regtrack.models import Obligation
from regtrack.watch.fetch import DEFAULT_LIMITS, Fetched, Limits

_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,63}/[a-z0-9][a-z0-9.+-]{0,63}")


class Reach(enum.StrEnum):
    """Where a cited page stands."""

    REACHABLE = "reachable"  # answered 200 where it is cited
    MOVED = "moved"  # answered after a redirect: cite where it is now
    GONE = "gone"  # 404 or 410: the page is no longer there
    FAILED = "failed"  # no usable answer: an error status, a timeout, a refused connection


class Quoted(enum.StrEnum):
    """Whether a quoted passage is still in the page."""

    FOUND = "found"
    MISSING = "missing"  # the page no longer says it: the text changed, or the quote is wrong
    UNREAD = "unread"  # the page could not be read as text (a PDF, no page at all)


class Citation(NamedTuple):
    """One place the registry cites a URL: `obligation-id/milestone-id` (or the obligation's
    own sources), with the quote it expects there."""

    name: str
    quote: str = ""
    article: str = ""


class Cited(NamedTuple):
    """A URL and every citation of it."""

    url: str
    citations: tuple[Citation, ...]


class QuoteCheck(NamedTuple):
    citation: Citation
    quoted: Quoted


class SourceCheck(NamedTuple):
    """One URL's verdict."""

    url: str
    reach: Reach
    status: int | None  # the final HTTP status, None when no answer came
    final: str  # where it was found after redirects ("" when it did not move)
    reason: str  # why it failed, why it was not read, ""
    quotes: tuple[QuoteCheck, ...]
    citations: int  # how many milestones and obligations cite it

    @property
    def ok(self) -> bool:
        """Reachable where cited, and every quote found."""
        return self.reach is Reach.REACHABLE and all(q.quoted is Quoted.FOUND for q in self.quotes)


def cited(obligations: Iterable[Obligation]) -> list[Cited]:
    """Every URL the obligations cite (their sources, their milestones' sources and the acts of
    their histories), each once, in registry order."""
    found: dict[str, list[Citation]] = {}
    for obligation in obligations:
        for source in obligation.sources:
            found.setdefault(source.url, []).append(
                Citation(obligation.id, source.quote, source.article)
            )
        for milestone in obligation.milestones:
            name = f"{obligation.id}/{milestone.id}"
            for source in milestone.sources:
                found.setdefault(source.url, []).append(
                    Citation(name, source.quote, source.article)
                )
            for change in milestone.history:
                found.setdefault(change.source, []).append(Citation(name))
    return [Cited(url, tuple(citations)) for url, citations in found.items()]


def judge(cite: Cited, fetched: Fetched) -> SourceCheck:
    """The verdict on one URL from what its fetch found."""
    from regtrack.watch.text import contains, page_text

    quoted = [c for c in cite.citations if c.quote]
    status = fetched.status
    if fetched.error or status is None:
        reach, reason = Reach.FAILED, fetched.error or "no answer"
    elif status in (404, 410):
        reach, reason = Reach.GONE, f"HTTP {status}"
    elif not 200 <= status < 300:
        reach, reason = Reach.FAILED, f"HTTP {status}"
    elif fetched.hops:
        reach, reason = Reach.MOVED, "permanently" if fetched.permanent else "temporarily"
    else:
        reach, reason = Reach.REACHABLE, ""
    page = None
    if reach in (Reach.REACHABLE, Reach.MOVED) and quoted:
        page = page_text(fetched.content_type, fetched.body)
        if page is None:
            kind = fetched.content_type.split(";")[0].strip().lower()
            if not _MEDIA_TYPE.fullmatch(kind):  # the server's words, echoed: only a media type
                kind = "an unknown type"
            reason = f"{reason + '; ' if reason else ''}quotes not read in {kind}"
        elif fetched.truncated:
            reason = f"{reason + '; ' if reason else ''}only the first part was read"
    checks = tuple(
        QuoteCheck(
            c,
            Quoted.UNREAD
            if page is None
            else (Quoted.FOUND if contains(page, c.quote) else Quoted.MISSING),
        )
        for c in quoted
    )
    final = fetched.final if fetched.hops else ""
    return SourceCheck(cite.url, reach, status, final, reason, checks, len(cite.citations))


def check_sources(
    sources: Sequence[Cited],
    fetch: Callable[[str, Limits], Fetched],
    limits: Limits = DEFAULT_LIMITS,
    workers: int = 4,
) -> list[SourceCheck]:
    """Fetch each URL (a few at a time) and judge it; results in the order of `sources`."""
    from concurrent.futures import ThreadPoolExecutor

    if not sources:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(sources)))) as pool:
        fetched = list(pool.map(lambda c: fetch(c.url, limits), sources))
    return [judge(c, f) for c, f in zip(sources, fetched, strict=True)]
