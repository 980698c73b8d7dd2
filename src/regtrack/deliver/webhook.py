"""Chat incoming webhooks (Slack, Microsoft Teams, Mattermost) over HTTPS with `urllib`: one
JSON POST, a timeout, retries with back-off on 429 and 5xx (honouring Retry-After, RFC 9110
§10.2.3), no redirect followed (a redirect would carry the digest elsewhere). A webhook's URL is
its secret: messages name its scheme and host only."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from regtrack.deliver import LOOPBACK, scrub
from regtrack.errors import DeliveryError

# The longest a Retry-After may make regtrack wait before it gives up instead.
MAX_WAIT = 60.0
# The most of a server's answer regtrack reads, and how long one attempt may take in all: a
# server sending a byte every two seconds held a 2,000-byte read for 67 minutes (issue 27).
MAX_ANSWER = 2000


class Target(NamedTuple):
    """A checked webhook URL."""

    url: str
    host: str  # `https://hooks.slack.com`: what messages show

    @property
    def secrets(self) -> list[str]:
        """The parts of the URL that must never be shown."""
        from urllib.parse import parse_qsl

        parts = urlsplit(self.url)
        # the whole URL, its path and query, and each long segment or value in them: a server
        # that echoes a token alone must not show it either
        pieces = [self.url, parts.path.strip("/"), parts.query]
        pieces += parts.path.split("/") + [v for _, v in parse_qsl(parts.query)]
        # and each as a server may echo it: percent-decoded and percent-encoded (issue 27)
        from urllib.parse import quote, unquote

        pieces += [unquote(p) for p in pieces] + [quote(p, safe="") for p in pieces]
        return sorted({p for p in pieces if len(p) >= 8}, key=len, reverse=True)


def target(url: str, variable: str) -> Target:
    """The URL from environment variable `variable`, or ValueError naming the variable (never
    the URL): https, or http to this machine only; a host; no user or password in it."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"{variable} is not a URL") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise ValueError(f"{variable} is not an https:// URL")
    if parts.scheme == "http" and host not in LOOPBACK:
        raise ValueError(f"{variable} is http:// to another machine; use its https:// URL")
    if parts.username or parts.password:
        raise ValueError(f"{variable} carries a user name or password; webhooks take none")
    if any(c in text for c in " \t\r\n"):
        raise ValueError(f"{variable} contains white space")
    shown = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    return Target(text, shown)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx then surfaces as an HTTPError


def post(
    payload: dict[str, Any],
    where: Target,
    *,
    timeout: float = 15.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """POST `payload`; the server's answer (`200 ok`). Retries 429 and 5xx answers up to
    `retries` times, waiting `backoff`, then twice as long each
    time, or what Retry-After asks; a refused connection is retried too (nothing was sent).
    Gives up with a DeliveryError on any other answer or failure."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    opener = urllib.request.build_opener(_NoRedirect)
    wait = backoff
    for attempt in range(retries + 1):
        request = urllib.request.Request(
            where.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "regtrack"},
        )
        deadline = time.monotonic() + timeout
        try:
            with opener.open(request, timeout=timeout) as response:
                said = _bounded(response, MAX_ANSWER, deadline).decode("utf-8", "replace")
                return _scrubbed(f"{response.status} {' '.join(said.split())}".strip(), where)
        except urllib.error.HTTPError as error:
            said = _bounded(error, 300, deadline).decode("utf-8", "replace") if error.fp else ""
            answer = _scrubbed(f"{error.code} {' '.join((said or error.reason).split())}", where)
            if error.code != 429 and error.code < 500:
                raise DeliveryError(f"{where.host} refused the digest: {answer}") from None
            if attempt == retries:
                raise DeliveryError(
                    f"{where.host} answered {answer} after {retries + 1} attempts"
                ) from None
            asked = _retry_after(error.headers.get("Retry-After"), error.headers.get("Date"))
            if asked is not None and asked > MAX_WAIT:
                raise DeliveryError(
                    f"{where.host} answered {answer} and asks to wait {asked:.0f} s; not waiting"
                ) from None
            sleep(asked if asked is not None else wait)
        except http.client.HTTPException as error:
            # a bad status line, a line too long, too many headers, an answer cut short: the
            # server is not speaking HTTP as it should; it may have taken the digest
            raise DeliveryError(
                f"{where.host} answered with no valid HTTP ({type(error).__name__}; not "
                "retried: the digest may have been posted; check the channel before sending "
                "again)"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            shown = _scrubbed(str(reason) or type(reason).__name__, where)
            if not isinstance(reason, ConnectionRefusedError):
                # A timeout or a reset may come after the server took the digest: posting
                # again could post it twice, so regtrack stops and says so.
                raise DeliveryError(
                    f"cannot reach {where.host}: {shown} (not retried: the digest may have "
                    "been posted; check the channel before sending again)"
                ) from None
            if attempt == retries:
                raise DeliveryError(
                    f"cannot reach {where.host}: {shown} ({retries + 1} attempts)"
                ) from None
            sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")  # the loop returns or raises


def _bounded(response: Any, most: int, deadline: float) -> bytes:
    """At most `most` bytes of an answer, read as they come, until `deadline` (a monotonic
    time): a slow server's answer is cut short, not waited for."""
    chunks: list[bytes] = []
    size = 0
    reader = getattr(response, "read1", None) or response.read
    while size < most and time.monotonic() < deadline:
        try:
            chunk = reader(most - size)
        except (OSError, http.client.HTTPException):
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _retry_after(value: str | None, date: str | None = None) -> float | None:
    """Retry-After in seconds (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date, counted from
    the answer's own Date (the server's clock, not this machine's); None when it says nothing
    usable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        then = parsedate_to_datetime(text)
        now = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if then is None or then.tzinfo is None:
        return None
    if now is None or now.tzinfo is None:
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
    return max(0.0, (then - now).total_seconds())


def _scrubbed(text: str, where: Target) -> str:
    return scrub(text, where.secrets)
