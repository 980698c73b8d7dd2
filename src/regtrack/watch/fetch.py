"""One bounded HTTP GET of a cited page (`regtrack sources check`, issue 26).

A cited server is not ours: it may redirect forever, answer slowly a byte at a time, send a
gigabyte, or point a redirect at a `file:` URL. Every fetch is bounded by an overall deadline
(not only a per-read timeout), a size, and a number of redirects, each followed by hand so that
only http(s) is ever opened. Nothing here decides what a result means; `regtrack.watch` does.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

from regtrack import __version__

USER_AGENT = f"regtrack/{__version__} (sources check; +https://github.com/regtrack/regtrack)"
_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT = (301, 308)
_CHUNK = 64 * 1024
# A redirect's target as regtrack will echo it: printable ASCII without spaces, at most 2 KiB.
_SAFE_LOCATION = re.compile(r"[!-~]{1,2048}")


class Limits(NamedTuple):
    """How far one fetch may go."""

    seconds: float = 20.0  # for the whole fetch, redirects included
    size: int = 8 * 1024 * 1024  # bytes of the final page read at most
    redirects: int = 5


class Hop(NamedTuple):
    """One redirect followed."""

    status: int
    to: str


class Fetched(NamedTuple):
    """What one fetch found: the final status and page, or why there is none."""

    url: str  # the URL asked for
    final: str  # where the page was found (the URL after redirects)
    status: int | None  # the final HTTP status; None when no answer came
    hops: tuple[Hop, ...] = ()
    content_type: str = ""
    body: bytes = b""
    truncated: bool = False  # the page was larger than the limit: `body` is its beginning
    error: str = ""  # why no page: timeout, too many redirects, refused, ...

    @property
    def permanent(self) -> bool:
        """Every redirect was permanent (301, 308): the citation should follow it."""
        return bool(self.hops) and all(h.status in _PERMANENT for h in self.hops)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `fetch` itself, one checked hop at a time."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    # Only what a GET of a web page needs: no file:, ftp: or data: handlers to be redirected to.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _NoRedirect(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


DEFAULT_LIMITS = Limits()


def fetch(url: str, limits: Limits = DEFAULT_LIMITS) -> Fetched:
    """GET `url` within `limits`; never raises for anything the server or network does."""
    deadline = time.monotonic() + limits.seconds
    opener = _opener()
    hops: list[Hop] = []
    current = url
    while True:
        scheme = urllib.parse.urlsplit(current).scheme.lower()
        if scheme not in ("http", "https"):
            return Fetched(url, current, None, tuple(hops), error=f"redirected to a {scheme}: URL")
        left = deadline - time.monotonic()
        if left <= 0:
            return Fetched(url, current, None, tuple(hops), error="timed out")
        request = urllib.request.Request(
            current,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9, */*;q=0.1"},
        )
        try:
            response = opener.open(request, timeout=left)
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location") if error.headers else None
            error.close()
            if status in _REDIRECTS and location:
                if not _SAFE_LOCATION.fullmatch(location.strip()):
                    # a server's text is echoed nowhere unchecked: no control characters,
                    # spaces or escape sequences reach a terminal or a CI log through a URL
                    return Fetched(
                        url, current, status, tuple(hops), error="redirected to an invalid address"
                    )
                if len(hops) >= limits.redirects:
                    return Fetched(url, current, status, tuple(hops), error="too many redirects")
                current = urllib.parse.urljoin(current, location.strip())
                hops.append(Hop(status, current))
                continue
            return Fetched(url, current, status, tuple(hops))
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            text = "timed out" if isinstance(reason, TimeoutError) else _reason(reason)
            return Fetched(url, current, None, tuple(hops), error=text)
        return _read(url, current, response, tuple(hops), limits, deadline)


def _read(
    url: str,
    final: str,
    response: object,
    hops: tuple[Hop, ...],
    limits: Limits,
    deadline: float,
) -> Fetched:
    """The page, read in chunks until the size limit or the deadline."""
    status = int(getattr(response, "status", 200))
    headers = getattr(response, "headers", {})
    content_type = str(headers.get("Content-Type", "") if headers else "")
    chunks: list[bytes] = []
    size = 0
    truncated = False
    try:
        while True:
            if time.monotonic() > deadline:
                return Fetched(url, final, status, hops, content_type, error="timed out")
            # read1: what one read of the socket brings. read(n) would wait for n bytes, and a
            # server that sends a byte a second would hold it past any deadline.
            chunk = response.read1(_CHUNK)  # type: ignore[attr-defined]
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limits.size:
                truncated = True
                break
    except (OSError, ValueError) as error:
        text = "timed out" if isinstance(error, TimeoutError) else _reason(error)
        return Fetched(url, final, status, hops, content_type, error=text)
    finally:
        response.close()  # type: ignore[attr-defined]
    body = b"".join(chunks)[: limits.size]
    return Fetched(url, final, status, hops, content_type, body, truncated)


def _reason(error: object) -> str:
    """A short reason, without what the server sent (an error can carry its text)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return type(error).__name__
