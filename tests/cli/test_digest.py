"""`regtrack digest` (issue 18): what it says, in every medium, and its delivery over real
protocols to servers the tests start: aiosmtpd for SMTP (plain, STARTTLS with a certificate the
test makes, a refused login), an HTTP server that records posts and replays 429 and 500, the
Atom feed through feedparser, the HTML in headless Chromium."""

from __future__ import annotations

import email
import email.policy
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest

from tests.helpers import HERE, run
from tests.smtp import Inbox, free_port

ORG = HERE / "fixtures" / "digest.yaml"
DAY = ("--today", "2026-12-02", "--now", "2026-12-02T09:00Z")
BASE = ("digest", "--config", str(ORG), *DAY)
HOSTILE = "<script>window.pwned=1</script>"


def digest(*args: str, env: dict[str, str] | None = None) -> Any:
    return run(*BASE, *args, env=env)


# What the digest says ---------------------------------------------------------------------


def test_text_reads_overdue_first_then_clocks_due_and_waivers() -> None:
    result = digest()
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith(
        "regtrack digest for Hôpital <b>Exemple</b> @channel <!channel> *bold*, 2026-12-02: "
        "1 overdue, 1 statutory clock running, 1 due by 2026-12-09, 1 starting to apply, "
        "1 coming up, 1 waiver ending\n"
    )
    order = [
        out.index(h)
        for h in (
            "Overdue (1)",
            "Statutory clocks running (1)",
            "Due by 2026-12-09 (1)",
            "Rules that start to apply by 2026-12-09 (1)",
            "Waivers ending (1)",
        )
    ]
    assert order == sorted(order)
    assert "due by 2026-11-25 · 7 days overdue" in out
    # 72 hours from 16:40 CET on 1 December, counted from the next hour (Reg. 1182/71 Art. 3(1))
    assert "2026-12-04 17:00 CET · 55 h left" in out
    assert "until 2026-12-05 · ends in 3 days" in out
    # no line of the text digest begins with registry text (a `::` workflow command)
    assert all(not line.lstrip().startswith("::") for line in out.splitlines())


def test_same_inputs_same_bytes_in_every_format() -> None:
    for fmt in ("text", "markdown", "html", "email", "slack", "teams", "mattermost", "atom"):
        first = digest("-f", fmt, "--mail-from", "dpo@example.org")
        assert first.code == 0, (fmt, first.err)
        assert first.out == digest("-f", fmt, "--mail-from", "dpo@example.org").out, fmt


def test_an_empty_digest_says_what_it_looked_at() -> None:
    result = run("digest", "--today", "2031-07-01", "--now", "2031-07-01T08:00Z", "-r", "DORA")
    assert result.code == 0, result.err
    assert "Nothing is overdue and nothing is due by 2031-07-08 in the" in result.out
    assert "obligations selected" in result.out


def test_a_selection_matching_nothing_is_exit_2() -> None:
    result = digest("-r", "GDRP")
    assert result.code == 2
    assert "did you mean 'GDPR'" in result.err
    assert result.err.count("\n") == 1


def test_registry_changes_since_a_previous_registry(tmp_path: Path) -> None:
    from regtrack.registry import builtin_path

    old = (
        builtin_path()
        .read_text(encoding="utf-8")
        .replace("date: 2026-12-02", "date: 2026-11-02", 1)
    )
    previous = tmp_path / "previous.yaml"
    previous.write_text(old, encoding="utf-8")
    result = digest("--previous", str(previous))
    assert result.code == 0, result.err
    assert "Registry changes since the previous digest (1)" in result.out
    assert "date: 2026-11-02 (fixed) → 2026-12-02 (fixed)" in result.out


# Escaping per medium ------------------------------------------------------------------------


def test_markdown_escapes_registry_text() -> None:
    import cmarkgfm

    out = digest("-f", "markdown").out
    rendered = cmarkgfm.github_flavored_markdown_to_html(out)
    assert "<script>" not in rendered and "<b>" not in rendered
    assert 'href="https://evil.example"' not in rendered
    assert 'href="https://eur-lex.europa.eu/eli/reg/2016/679/oj"' in rendered


def test_slack_carries_registry_text_literally() -> None:
    payload = json.loads(digest("-f", "slack").out)
    assert "<!channel>" not in payload["text"] and "&lt;!channel&gt;" in payload["text"]
    kinds = {b["type"] for b in payload["blocks"]}
    assert kinds <= {"header", "context", "rich_text", "section"}
    assert len(payload["blocks"]) <= 50
    assert len(payload["blocks"][0]["text"]["text"]) <= 150

    def texts(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") in ("text", "link", "mrkdwn"):
                yield node
            for value in node.values():
                yield from texts(value)
        elif isinstance(node, list):
            for value in node:
                yield from texts(value)

    elements = list(texts(payload["blocks"]))
    assert not [e for e in elements if e["type"] == "mrkdwn"]  # no registry text is parsed
    assert any(HOSTILE in e.get("text", "") for e in elements)  # shown as it is, literally
    links = {e["url"] for e in elements if e["type"] == "link"}
    # (the AI Act's legacy marking is owed by providers: a deployer's digest leaves it out)
    assert links == {
        "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
        "https://eur-lex.europa.eu/eli/reg/2026/1744/oj",
        "https://www.pearlcohen.com/?p=18317",  # the CNIL's MFA date, secondary only (issue 26)
    }


def test_teams_card_puts_registry_text_only_in_text_runs() -> None:
    payload = json.loads(digest("-f", "teams").out)
    attachment = payload["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    kinds: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kinds.add(node.get("type", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card["body"])
    assert "TextBlock" not in kinds  # TextBlock reads Markdown; TextRun never does
    assert kinds <= {"RichTextBlock", "TextRun", "Container", "Action.OpenUrl", ""}
    assert HOSTILE in json.dumps(card, ensure_ascii=False)
    assert len(json.dumps(payload).encode()) < 28_000


def test_mattermost_escapes_markdown_and_mentions() -> None:
    text = json.loads(digest("-f", "mattermost").out)["text"]
    assert "@channel" not in text and "@here" not in text
    assert "@\u2060channel" in text
    assert "\\<script\\>" in text
    assert "[x](https" not in text


# The Atom feed ------------------------------------------------------------------------------


def test_atom_feed_parses_and_keeps_entry_ids() -> None:
    import feedparser

    out = digest("-f", "atom", "--feed-url", "https://compliance.example/feed.xml").out
    feed = feedparser.parse(out)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == "https://compliance.example/feed.xml"
    assert feed.feed.links[0]["rel"] == "self"
    entries = feed.entries
    assert len(entries) == 6
    ids = [e.id for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    assert all(e.get("updated_parsed") and e.title for e in entries)
    assert HOSTILE in out.replace("&lt;", "<").replace("&gt;", ">")
    assert "<script>" not in out  # escaped in the XML
    # a day later the same deadlines keep their ids (a reader sees no new items)
    later = run(
        "digest",
        "--config",
        str(ORG),
        "--today",
        "2026-12-03",
        "--now",
        "2026-12-03T09:00Z",
        "-f",
        "atom",
        "--feed-url",
        "https://compliance.example/feed.xml",
    ).out
    titles = {e.title: e.id for e in entries}
    for entry in feedparser.parse(later).entries:
        if entry.title in titles:
            assert titles[entry.title] == entry.id


# E-mail over SMTP ---------------------------------------------------------------------------


@pytest.fixture
def cert(tmp_path: Path) -> tuple[Path, Path]:
    key, crt = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(crt),
        ],
        check=True,
        capture_output=True,
    )
    return key, crt


def _mail_args(port: int, security: str) -> tuple[str, ...]:
    return (
        "--mail-to",
        "dpo@example.org",
        "--mail-to",
        "cto@example.org",
        "--mail-from",
        "regtrack@example.org",
        "--smtp",
        f"127.0.0.1:{port}",
        "--smtp-security",
        security,
    )


def _subprocess(args: tuple[str, ...], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # a real process: smtplib and urllib against real sockets, and the exit code as CI sees it
    return subprocess.run(
        [sys.executable, "-m", "regtrack", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **env},
        timeout=60,
    )


def test_mail_over_plain_smtp_to_localhost_reads_back() -> None:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        done = _subprocess((*BASE, *_mail_args(port, "none")), {})
    finally:
        controller.stop()
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "mailed the digest to dpo@example.org, cto@example.org via 127.0.0.1:" in done.stderr
    assert "250 2.0.0 Ok: queued as TEST42" in done.stderr
    [(sender, recipients, data)] = inbox.messages
    assert sender == "regtrack@example.org"
    assert recipients == ["dpo@example.org", "cto@example.org"]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"].startswith("regtrack digest for Hôpital <b>Exemple</b>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = (p for p in message.iter_parts())
    assert plain.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert "7 days overdue" in plain.get_content()
    body = html.get_content()
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in body and HOSTILE not in body
    assert "<style" not in body  # inline styles only


def test_mail_with_starttls_and_login_and_a_refused_login(cert: tuple[Path, Path]) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    key, crt = cert
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(crt, key)

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
        ok = auth.login == b"regtrack" and auth.password == b"s3cret-pass"
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    try:
        env = {
            "SSL_CERT_FILE": str(crt),
            "REGTRACK_SMTP_USER": "regtrack",
            "REGTRACK_SMTP_PASSWORD": "s3cret-pass",
        }
        good = _subprocess((*BASE, *_mail_args(port, "starttls")), env)
        bad = _subprocess(
            (*BASE, *_mail_args(port, "starttls")), {**env, "REGTRACK_SMTP_PASSWORD": "wrong-pass"}
        )
        untrusted = _subprocess(
            (*BASE, *_mail_args(port, "starttls")), {**env, "SSL_CERT_FILE": os.devnull}
        )
    finally:
        controller.stop()
    assert good.returncode == 0, good.stderr
    assert len(inbox.messages) == 1
    assert bad.returncode == 5
    assert bad.stderr.startswith("regtrack: error: 127.0.0.1:")
    assert "refused the login of 'regtrack': 535" in bad.stderr
    assert bad.stderr.count("\n") == 1
    assert "wrong-pass" not in bad.stderr and "s3cret" not in bad.stderr
    assert untrusted.returncode == 5 and "TLS with 127.0.0.1:" in untrusted.stderr
    assert len(inbox.messages) == 1


def test_unreachable_server_and_bad_mail_options() -> None:
    port = free_port()  # nothing listens there
    done = _subprocess((*BASE, *_mail_args(port, "none")), {})
    assert done.returncode == 5
    assert done.stderr.startswith(f"regtrack: error: cannot reach SMTP server 127.0.0.1:{port}")
    assert done.stderr.count("\n") == 1
    for args, wanted in (
        (
            (
                "--mail-to",
                "dpo@example.org, boss@evil.example",
                "--mail-from",
                "a@example.org",
                "--smtp",
                "mail.example.org",
            ),
            "--mail-to: 'dpo@example.org, boss@evil.example' is not",
        ),
        (
            ("--mail-to", "dpo@example.org", "--smtp", "mail.example.org"),
            "--mail-from: is required",
        ),
        (
            (
                "--mail-to",
                "dpo@example.org",
                "--mail-from",
                "a@example.org",
                "--smtp",
                "mail.example.org",
                "--smtp-security",
                "none",
            ),
            "allowed only to this machine",
        ),
        (("--mail-to", "dpo@example.org", "--mail-from", "a@example.org"), "--smtp: is required"),
    ):
        result = digest(*args)
        assert result.code == 2, args
        assert wanted in result.err, result.err
        assert result.err.count("\n") == 1


def test_dry_run_prints_the_message_and_sends_nothing() -> None:
    result = digest("--mail-to", "dpo@example.org", "--mail-from", "a@example.org", "--dry-run")
    assert result.code == 0, result.err
    message = email.message_from_string(result.out, policy=email.policy.default)
    assert message["To"] == "dpo@example.org"
    assert message["Message-ID"].startswith("<regtrack-digest-")
    assert "dry run" in result.err


def test_a_digest_too_long_to_mail_is_refused_before_it_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A mail no server takes is refused in one line, exit 2, before it is built: its HTML
    part is read only until it is too long (issue 29: 57,000 overdue dates made a 120 MB mail,
    built in 800 MB)."""
    import regtrack.formats
    from regtrack.formats.digest import email as mail
    from regtrack.formats.digest import html

    monkeypatch.setattr(regtrack.formats, "PIECE", 1)  # the page made item by item
    made = [0]
    render = html.render_digest

    def counted(*args: Any) -> Iterator[bytes]:
        for piece in render(*args):
            made[0] += 1
            yield piece

    monkeypatch.setattr(html, "render_digest", counted)
    sending = ("--mail-to", "dpo@example.org", "--mail-from", "a@example.org")
    whole = digest(*sending, "--dry-run")
    assert whole.code == 0, whole.err
    pieces, made[0] = made[0], 0
    message = email.message_from_string(whole.out, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    parts = [message.get_body((kind,)) for kind in ("plain", "html")]
    plain = len(str(parts[0].get_content()).encode()) if parts[0] else 0
    assert plain > 0 and parts[1] is not None
    monkeypatch.setattr(mail, "MAX_TEXT", plain + 40)  # the text fits, the page does not
    for args in ((*sending, "--dry-run"), ("-f", "email", "--mail-from", "a@example.org")):
        result = digest(*args)
        assert result.code == 2, result.err
        assert result.out == ""
        assert result.err.count("\n") == 1
        assert "the digest is too long to mail" in result.err
        assert "-f html -o FILE" in result.err
        assert 0 < made[0] < pieces / 2, (made[0], pieces)
        made[0] = 0


# Chat webhooks ------------------------------------------------------------------------------


class _Hook(http.server.BaseHTTPRequestHandler):
    script: ClassVar[list[tuple[int, dict[str, str], bytes]]] = []
    seen: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append((self.path, dict(self.headers), body))
        status, headers, answer = (
            type(self).script.pop(0) if type(self).script else (200, {}, b"ok")
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[tuple[str, type[_Hook]]]:
    handler = type("Hook", (_Hook,), {"script": [], "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/T000/B000/SECRETTOKEN", handler
    finally:
        server.shutdown()


def test_post_retries_429_and_500_then_delivers(hook: tuple[str, type[_Hook]]) -> None:
    url, handler = hook
    handler.script = [(429, {"Retry-After": "0"}, b"rate_limited"), (500, {}, b"oops")]
    done = _subprocess((*BASE, "--post", "slack"), {"REGTRACK_WEBHOOK_URL": url})
    assert done.returncode == 0, done.stderr
    assert len(handler.seen) == 3
    path, headers, body = handler.seen[-1]
    assert path == "/hooks/T000/B000/SECRETTOKEN"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body)["blocks"][0]["type"] == "header"
    assert (
        "posted the digest to http://127.0.0.1:" in done.stderr and "(slack): 200 ok" in done.stderr
    )
    assert "SECRETTOKEN" not in done.stderr


def test_post_gives_up_with_the_servers_answer(hook: tuple[str, type[_Hook]]) -> None:
    url, handler = hook
    handler.script = [(400, {}, b"invalid_payload SECRETTOKEN")]
    done = _subprocess((*BASE, "--post", "teams"), {"REGTRACK_WEBHOOK_URL": url})
    assert done.returncode == 5
    assert "refused the digest: 400 invalid_payload ***" in done.stderr
    assert "SECRETTOKEN" not in done.stderr and done.stderr.count("\n") == 1
    assert len(handler.seen) == 1  # a 4xx is not retried
    handler.script = [(503, {"Retry-After": "0"}, b"down")] * 4
    done = _subprocess((*BASE, "--post", "mattermost"), {"REGTRACK_WEBHOOK_URL": url})
    assert done.returncode == 5
    assert "answered 503 down after 4 attempts" in done.stderr
    assert len(handler.seen) == 5


def test_webhook_url_problems_are_exit_2_and_never_echo_the_url() -> None:
    for value, wanted in (
        ("", "REGTRACK_WEBHOOK_URL holding the URL is unset"),
        ("hooks.slack.com/services/SECRETTOKEN", "is not an https:// URL"),
        ("http://hooks.example.com/SECRETTOKEN", "is http:// to another machine"),
        ("https://user:SECRETTOKEN@hooks.example.com/x", "carries a user name or password"),
        ("https://[SECRETTOKEN/x", "is not a URL"),
    ):
        result = digest("--post", "slack", env={"REGTRACK_WEBHOOK_URL": value})
        assert result.code == 2, value
        assert wanted in result.err, result.err
        assert "SECRETTOKEN" not in result.err and result.err.count("\n") == 1
    assert digest("--post", "atom").code == 2


# The HTML e-mail in a browser ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_html_digest_in_headless_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "digest.html"
    page_file.write_text(digest("-f", "html").out, encoding="utf-8")
    shots = Path(os.environ.get("REGTRACK_SCREENSHOTS", tmp_path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            schemes: tuple[tuple[int, Literal["light", "dark"]], ...] = (
                (360, "light"),
                (1024, "light"),
                (1024, "dark"),
            )
            for width, scheme in schemes:
                page = browser.new_page(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                page.goto(page_file.as_uri())
                assert page.evaluate("window.pwned") is None  # the script stayed text
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, (width, overflow)
                text = page.inner_text("body")
                assert "Overdue (1)" in text and "55 h left" in text
                assert HOSTILE in text
                card = page.evaluate(
                    "document.querySelector('table table').getBoundingClientRect().width"
                )
                assert card <= 640 and card >= min(width - 16, 640) - 1
                page.screenshot(path=str(shots / f"digest-{width}-{scheme}.png"), full_page=True)
                page.close()
        finally:
            browser.close()


# Start-up -----------------------------------------------------------------------------------


def test_other_commands_do_not_import_the_digest(tmp_path: Path) -> None:
    code = (
        "import sys, runpy; sys.argv = ['regtrack', 'upcoming', '--today', '2026-01-01'];"
        "\ntry:\n    runpy.run_module('regtrack', run_name='__main__')\nexcept SystemExit as e:\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith(('regtrack.digest', "
        "'regtrack.formats.digest', 'regtrack.deliver', 'regtrack.cli.digest')) or m in "
        "('smtplib', 'email.message', 'urllib.request', 'xml.etree.ElementTree'))\n"
        "    print('EXIT', e.code, 'LOADED', loaded, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=tmp_path,
    )
    assert "EXIT 0 LOADED []" in done.stderr, done.stderr


def test_a_rerun_the_same_day_is_the_same_message() -> None:
    # no clock running: the instant does not change the digest, so a re-run workflow sends a
    # message with the same Message-ID (RFC 5322 §3.6.4), which mail clients collapse
    args = (
        "digest",
        "--today",
        "2026-12-02",
        "-f",
        "email",
        "--mail-from",
        "a@example.org",
        "--mail-to",
        "dpo@example.org",
        "--dry-run",
    )
    first = run(*args, "--now", "2026-12-02T07:00Z")
    second = run(*args, "--now", "2026-12-02T07:05Z")
    assert first.code == second.code == 0
    ids = [
        email.message_from_string(r.out, policy=email.policy.default)["Message-ID"]
        for r in (first, second)
    ]
    assert ids[0] == ids[1]
    assert first.out != second.out  # the Date header says when each was written
    assert "clocks counted at" not in first.out


def test_the_window_is_upcomings_window() -> None:
    # `digest -w 30d` and `upcoming -w 30d` list the same milestones, day for day, each where
    # the agenda put it: overdue, a clock, or by kind; others' dates left out and counted
    made = json.loads(digest("-w", "30d", "-f", "json").out)
    upcoming = json.loads(
        run("upcoming", "--config", str(ORG), *DAY, "-w", "30d", "-f", "json").out
    )
    by_section = {
        (row["id"], row["milestone"]): key
        for key in ("overdue", "clocks", "due", "applies", "expected")
        for row in made[key]
    }
    mine = [r for r in upcoming if r["standing"] != "not-yours"]
    assert len(mine) >= 4
    for row in mine:
        wanted = (
            "overdue"
            if row["state"] == "overdue"
            else "clocks"
            if row["due_at"]
            else {"applies": "applies", "expected": "expected"}.get(row["kind"], "due")
        )
        assert by_section.pop((row["id"], row["milestone"])) == wanted, row
    assert by_section == {}
    assert made["left_out_owed_by_others"] == len(upcoming) - len(mine) > 0
    slack = digest("-w", "30d", "-f", "slack").out
    assert f"Due by 2027-01-01 ({len(made['due'])})" in slack


def test_options_that_would_do_nothing_are_refused(tmp_path: Path) -> None:
    for args, wanted in (
        (("--post", "slack", "-o", str(tmp_path / "x")), "--output: writes a printed digest"),
        (("--post", "slack", "-f", "html"), "--format: chooses a printed digest"),
        (
            (
                "--mail-to",
                "a@example.org",
                "--mail-from",
                "b@example.org",
                "-f",
                "atom",
                "--dry-run",
            ),
            "--format: chooses a printed digest",
        ),
        (("--feed-url", "https://x.example/feed.xml"), "--feed-url: is the address of an Atom"),
    ):
        result = digest(*args, env={"REGTRACK_WEBHOOK_URL": "https://hooks.example.com/T/B/X"})
        assert result.code == 2, args
        assert wanted in result.err and result.err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_a_short_digest_prints_as_mail_and_an_international_address_stays_whole() -> None:
    """A short body with a `·` was written 8bit, which the dry run could not print (exit 3), and
    an internationalised address became an encoded word inside the address (issue 27)."""
    short = run(
        "digest", "--today", "2026-12-04", "-r", "CNIL MR-001/MR-003", "-f", "email",
        "--mail-from", "dpo@example.org",
    )  # fmt: skip
    assert short.code == 0, short.err
    assert "Content-Transfer-Encoding: 8bit" not in short.out and short.out.isascii()
    idn = run(
        "digest", "--today", "2026-12-04", "--dry-run", "--mail-to", "dpo@hôpital.fr",
        "--mail-from", "a@example.org",
    )  # fmt: skip
    assert idn.code == 0, idn.err
    assert "\nTo: dpo@hôpital.fr\n" in idn.out and "=?utf-8?" not in idn.out.split("\n\n")[0]


def test_chat_runs_keep_the_spaces_around_a_separator() -> None:
    """ " · " between the detail and the link lost its spaces in Slack and Teams (issue 28)."""
    from regtrack.formats.digest.lines import squeezed

    assert squeezed(" · ") == " · " and squeezed("a  b ") == "a b " and squeezed("") == ""

    def texts(value: object) -> list[str]:
        if isinstance(value, dict):
            own = [value["text"]] if value.get("type") in ("text", "TextRun") else []
            return own + [t for v in value.values() for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return []

    assert " · " in texts(json.loads(digest("-f", "slack").out))
    assert " · " in texts(json.loads(digest("-f", "teams").out))


def test_a_teams_card_stays_under_teams_size_limit(tmp_path: Path) -> None:
    """Teams refuses a message over about 28 KB; counting items let a card of long titles reach
    40 KB (issue 28). The items per section shrink until the posted bytes fit."""
    long = "A duty whose title is long " * 60
    obligations = "".join(
        f"""  - id: long-{i}
    title: "{long}{i}"
    regulation: {{short: TEST, name: Test, identifier: t}}
    citation: Art. {i}
    jurisdiction: EU
    summary: s
    sources: [{{url: "https://eur-lex.europa.eu/x", title: x}}]
    milestones:
      - {{id: due, kind: deadline, date: 2026-12-0{5 + i % 3}, status: fixed, verified: 2026-12-01}}
"""
        for i in range(30)
    )
    registry = tmp_path / "long.yaml"
    registry.write_text("schema: 1\nobligations:\n" + obligations, encoding="utf-8")
    out = run("digest", "--no-builtin", "--registry", str(registry), "--today", "2026-12-04",
              "-f", "teams").out  # fmt: skip
    posted = json.dumps(json.loads(out), ensure_ascii=False).encode("utf-8")
    assert len(posted) <= 27_000
    assert "more" in out  # what is left out is counted, never silently dropped


def test_every_atom_entry_has_a_link_or_content() -> None:
    """RFC 4287 §4.1.1: an entry without an alternate link has content; an ending waiver's had
    neither (issue 28)."""
    import feedparser

    feed = feedparser.parse(digest("-f", "atom", "--feed-url", "https://c.example/feed.xml").out)
    assert feed.entries
    for entry in feed.entries:
        alternate = [link for link in entry.get("links", []) if link.get("rel") == "alternate"]
        assert alternate or entry.get("content"), entry.get("id")


def test_a_large_digest_is_written_as_it_is_made_and_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A digest of many overdue dates (issue 29: 57,000 of 100,000 obligations peaked over
    500 MB as HTML or JSON) is written in pieces: the HTML page is the same whole, by 256 items
    or item by item, the mail's HTML part is that page, and the JSON is the indented document
    of its own value, every section whole."""
    from tests.helpers import generated, in_pieces

    registry = generated(tmp_path, 600)
    args = ("digest", "--no-builtin", "--registry", str(registry), "--today", "2026-12-04")
    pages = in_pieces(monkeypatch, *args, "-f", "html")
    assert pages[0] == pages[1] == pages[2]
    assert pages[0].count("<tr>") > 300
    sent = run(*args, "-f", "email", "--mail-from", "regtrack@example.org")
    assert sent.code == 0, sent.err
    mail = email.message_from_string(sent.out, policy=email.policy.default)
    assert isinstance(mail, EmailMessage)
    part = mail.get_body(("html",))
    assert part is not None and part.get_content() == pages[0]
    out = run(*args, "-f", "json").out
    value = json.loads(out)
    assert out == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    assert len(value["overdue"]) > 300
    file = tmp_path / "digest.json"
    assert run(*args, "-f", "json", "-o", str(file)).code == 0
    assert file.read_text(encoding="utf-8") == out
