"""`regtrack sources check` against a local HTTP server whose pages moved, changed, went away,
answer slowly, never end, or are no web page at all (issue 26). No test touches the internet."""

from __future__ import annotations

import collections
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.helpers import run, write

# The red team's surfaces (issue 27): `pytest -m hostile` runs the battery alone.
pytestmark = pytest.mark.hostile

QUOTE = "It shall apply from 2 August 2026."
PAGE = b"<html><body><p>It shall apply from 2&nbsp;August 2026.</p></body></html>"


class _Pages(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[collections.Counter[str]] = collections.Counter()

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(
        self, status: int, body: bytes = b"", kind: str = "text/html", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        type(self).seen[self.path] += 1
        path = self.path
        if path == "/ok":
            self._send(200, PAGE)
        elif path == "/changed":
            self._send(200, b"<p>This page now says something else.</p>")
        elif path == "/gone":
            self._send(404, b"not found")
        elif path == "/moved":
            self._send(301, Location="/ok")
        elif path == "/loop":
            self._send(302, Location="/loop")
        elif path == "/file":
            self._send(302, Location="file:///etc/passwd")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.7 It shall apply from 2 August 2026.", "application/pdf")
        elif path == "/error":
            self._send(500, b"oops")
        elif path == "/drip":  # headers at once, then a byte at a time, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/huge":  # far more than --max-size, the quote only at its end
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
                self.wfile.write(PAGE)
            except OSError:
                pass
        else:
            self._send(404)


@pytest.fixture
def server() -> Iterator[str]:
    _Pages.seen = collections.Counter()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _registry(tmp_path: Path, base: str, paths: list[str]) -> Path:
    milestones = "".join(
        f"""      - id: m{i}
        kind: applies
        date: 2026-08-02
        status: fixed
        verified: 2026-12-01
        sources:
          - {{url: "{base}{path}", title: Page {i}, quote: "{QUOTE}", article: Art. 1}}
"""
        for i, path in enumerate(paths)
    )
    return write(
        tmp_path,
        f"""schema: 1
obligations:
  - id: cited
    title: A duty whose sources are checked
    regulation: {{short: TEST, name: Test Act, identifier: test}}
    citation: Art. 1
    jurisdiction: EU
    summary: Test data, not legal facts.
    sources: [{{url: "{base}/ok", title: The act}}]
    milestones:
{milestones}""",
    )


def _check(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = run("sources", "check", "--no-builtin", "--registry", str(path), "-f", "json", *extra)
    assert result.code in (0, 1), result.err
    data = json.loads(result.out)
    return result.code, {s["url"].rsplit("/", 1)[1]: s for s in data["sources"]}


def test_sound_sources_pass_and_each_url_is_fetched_once(tmp_path: Path, server: str) -> None:
    path = _registry(tmp_path, server, ["/ok", "/ok", "/ok"])
    code, sources = _check(path)
    assert code == 0
    assert sources["ok"]["reach"] == "reachable" and sources["ok"]["cited_by"] == 4
    assert [q["quoted"] for q in sources["ok"]["quotes"]] == ["found"] * 3
    assert _Pages.seen["/ok"] == 1  # four citations, one fetch


def test_each_kind_of_trouble_is_named(tmp_path: Path, server: str) -> None:
    paths = ["/changed", "/gone", "/moved", "/loop", "/file", "/pdf", "/error"]
    code, sources = _check(_registry(tmp_path, server, paths))
    assert code == 1
    verdict = {
        name: (s["reach"], [q["quoted"] for q in s["quotes"]]) for name, s in sources.items()
    }
    assert verdict == {
        "ok": ("reachable", []),
        "changed": ("reachable", ["missing"]),
        "gone": ("gone", ["unread"]),
        "moved": ("moved", ["found"]),
        "loop": ("failed", ["unread"]),
        "file": ("failed", ["unread"]),
        "pdf": ("reachable", ["unread"]),
        "error": ("failed", ["unread"]),
    }
    assert sources["moved"]["moved_to"] == f"{server}/ok"
    assert sources["loop"]["reason"] == "too many redirects"
    assert sources["file"]["reason"] == "redirected to a file: URL"
    assert _Pages.seen["/loop"] == 6  # the first request and five redirects, no more
    assert "quotes not read in application/pdf" in str(sources["pdf"]["reason"])


def test_a_slow_or_endless_page_is_bounded(tmp_path: Path, server: str) -> None:
    code, sources = _check(
        _registry(tmp_path, server, ["/drip", "/huge"]), "--timeout", "1", "--max-size", "65536"
    )
    assert code == 1
    assert (sources["drip"]["reach"], sources["drip"]["reason"]) == ("failed", "timed out")
    # only the first 64 KiB were read: the quote at the end of the page was not reached
    assert sources["huge"]["reach"] == "reachable"
    assert "only the first part was read" in str(sources["huge"]["reason"])
    assert [q["quoted"] for q in sources["huge"]["quotes"]] == ["missing"]


def test_the_table_leads_with_what_to_look_at(tmp_path: Path, server: str) -> None:
    path = _registry(tmp_path, server, ["/gone", "/ok"])
    result = run("sources", "check", "--no-builtin", "--registry", str(path))
    assert result.code == 1
    assert "Sources: 2 checked, 1 to look at" in result.out
    assert f"{server}/gone" in result.out and "gone (HTTP 404)" in result.out
    assert "1 reachable where cited, every quote found." in result.out


def test_bad_limits_are_refused(tmp_path: Path) -> None:
    for option, value in (("--timeout", "0"), ("--max-size", "10"), ("--jobs", "99")):
        result = run("sources", "check", option, value)
        assert result.code == 2 and option in result.err and len(result.err.splitlines()) == 1


def test_no_other_command_goes_on_the_network() -> None:
    """The fetcher (regtrack.watch.fetch, the only code that opens a socket) is imported by
    `sources check` alone."""
    import pathlib

    import regtrack

    root = pathlib.Path(regtrack.__file__).parent
    users = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "regtrack.watch.fetch" in p.read_text(encoding="utf-8") and "watch" not in p.parts
    )
    assert users == ["cli/sources.py"]


class _Hostile(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/escape":
            self.send_response(302)
            self.send_header("Location", "/x\x1b[31m::error::owned")
            self.end_headers()
        else:
            body = b"\x00\x01binary"
            self.send_response(200)
            self.send_header("Content-Type", "application/x-\x1b[2Jevil::warning::x")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


def test_a_hostile_server_s_words_reach_no_terminal(tmp_path: Path) -> None:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        path = _registry(tmp_path, base, ["/escape", "/type"])
        for fmt in ("table", "json"):
            result = run("sources", "check", "--no-builtin", "--registry", str(path), "-f", fmt)
            assert result.code == 1, result.err
            assert "\x1b" not in result.out and "::error::" not in result.out
            assert "::warning::" not in result.out
        _, sources = _check(path)
        assert sources["escape"]["reason"] == "redirected to an invalid address"
        assert "an unknown type" in sources["type"]["reason"]
    finally:
        httpd.shutdown()
        httpd.server_close()
