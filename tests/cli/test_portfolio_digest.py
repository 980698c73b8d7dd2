"""A consultancy's Monday digests (issue 25): every client's digest to its own contacts and the
firm's digest of them all to the firm, in one run, through a real SMTP server on 127.0.0.1;
each client's message is byte for byte the one its own run sends, a refusing server stops no
other client, a refused login is tried once, and a dry run is an mbox that mail tools read."""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_portfolio import CLIENTS, DAY, consultancy
from tests.helpers import run
from tests.smtp import Inbox, free_port, smtp_server

FOUR = CLIENTS[:4]  # two clinics, an NHS trust, an AI medical-device maker
SENDER = ("--mail-from", "regtrack@acme.example")


def _mail(port: int) -> tuple[str, ...]:
    return (*SENDER, "--smtp", f"127.0.0.1:{port}", "--smtp-security", "none")


def _parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_each_client_gets_its_own_digest_and_the_firm_gets_them_all(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        sent = run("digest", *DAY, "--mail-contacts", *_mail(port))
    assert sent.code == 0, sent.err
    assert sent.out == ""
    # one message per client, to its contacts only, then the firm's
    assert [to for _, to, _ in inbox.messages] == [
        *([f"dpo@{c[0]}.example"] for c in FOUR),
        ["team@acme.example"],
    ]
    for (name, *_), (_, _, data) in zip(FOUR, inbox.messages, strict=False):
        assert f"regtrack: {name}: mailed to dpo@{name}.example as <regtrack-digest-" in sent.err
        # the very message the client's own run sends: the same bytes, Message-ID included
        alone = run("digest", *DAY, "--client", name, "--mail-to", f"dpo@{name}.example",
                    *SENDER, "--dry-run")  # fmt: skip
        assert alone.code == 0, alone.err
        assert data.replace(b"\r\n", b"\n").decode() == alone.out
    firm = _parsed(inbox.messages[-1][2])
    assert firm["Subject"].startswith(
        "regtrack digest for Acme DPO Services, 2026-12-07: 4 clients"
    )
    assert "2 with something overdue" in firm["Subject"]  # the NHS trust and the AI device maker
    text = _plain(firm)
    for name, *_ in FOUR:
        assert f"== {name}" in text
        assert f"mailed to dpo@{name}.example" in text
    html = firm.get_body(("html",))
    assert html is not None and 'href="#client-medtech"' in html.get_content()
    assert 'id="client-medtech"' in html.get_content()


def test_a_refused_recipient_stops_no_other_client(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    inbox = Inbox(refuse=("dpo@clinique-b.example",))
    with smtp_server(inbox) as port:
        sent = run("digest", *DAY, "--mail-contacts", *_mail(port))
    assert sent.code == 5
    delivered = [to for _, to, _ in inbox.messages]
    assert ["dpo@clinique-b.example"] not in delivered
    assert len(delivered) == 4  # three clients and the firm
    last = sent.err.splitlines()[-1]
    assert last == "regtrack: error: 1 of 5 digests were not delivered: clinique-b"
    assert "regtrack: clinique-b: not mailed: 127.0.0.1:" in sent.err
    firm = _plain(_parsed(inbox.messages[-1][2]))
    assert (
        "not mailed: 127.0.0.1:" in firm and "refused the recipient dpo@clinique-b.example" in firm
    )


def test_a_digest_too_long_to_mail_stops_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The firm's digest, which holds every client's, too long to mail: each client's still
    goes, and the run names the one that did not (issue 29)."""
    from regtrack.formats.digest import email as mail

    consultancy(tmp_path, FOUR)
    dry = run("digest", *DAY, "--mail-contacts", *SENDER, "--dry-run")
    assert dry.code == 0, dry.err
    (tmp_path / "out.mbox").write_text(dry.out, encoding="utf-8")
    sizes = []
    for message in mailbox.mbox(tmp_path / "out.mbox"):
        parsed = _parsed(message.as_bytes())
        parts = [parsed.get_body((kind,)) for kind in ("plain", "html")]
        sizes.append(sum(len(str(p.get_content()).encode()) for p in parts if p is not None))
    assert len(sizes) == 5 and sizes[-1] > max(sizes[:-1]) + 100  # the firm's holds them all
    monkeypatch.setattr(mail, "MAX_TEXT", max(sizes[:-1]) + 2)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        sent = run("digest", *DAY, "--mail-contacts", *_mail(port))
    assert sent.code == 5
    assert [to for _, to, _ in inbox.messages] == [[f"dpo@{c[0]}.example"] for c in FOUR]
    assert "regtrack: the firm's digest: not mailed: the digest is too long to mail" in sent.err
    last = sent.err.splitlines()[-1]
    assert last == "regtrack: error: 1 of 5 digests were not delivered: the firm's digest"


def test_a_refused_login_is_tried_once_not_once_per_client(tmp_path: Path) -> None:
    from aiosmtpd.smtp import AuthResult

    consultancy(tmp_path, FOUR)
    logins: list[bytes] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
        logins.append(auth.login)
        return AuthResult(success=False, handled=False)

    inbox = Inbox()
    with smtp_server(inbox, authenticator=authenticator, auth_require_tls=False) as port:
        sent = run(
            "digest", *DAY, "--mail-contacts", *_mail(port),
            env={"REGTRACK_SMTP_USER": "acme", "REGTRACK_SMTP_PASSWORD": "s3cret-pass"},
        )  # fmt: skip
    assert sent.code == 5
    assert logins == [b"acme"]  # a mail account locks after a few failed logins
    assert inbox.messages == []
    last = sent.err.splitlines()[-1]
    assert last.startswith("regtrack: error: 5 of 5 digests were not delivered: clinique-a, ")
    assert "refused the login of 'acme': 535" in last
    assert "s3cret" not in sent.err


def test_an_unreachable_server_is_reported_once_for_every_digest(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    sent = run("digest", *DAY, "--mail-contacts", *_mail(free_port()))
    assert sent.code == 5
    assert sent.err.count("cannot reach SMTP server") == 2  # the first attempt, and the summary
    assert sent.err.splitlines()[-1].startswith("regtrack: error: 5 of 5 digests were not")


def test_a_dry_run_is_an_mbox_of_every_message(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    dry = run("digest", *DAY, "--mail-contacts", *SENDER, "--mail-to", "boss@acme.example",
              "--dry-run")  # fmt: skip
    assert dry.code == 0, dry.err
    (tmp_path / "out.mbox").write_text(dry.out, encoding="utf-8")
    box = list(mailbox.mbox(tmp_path / "out.mbox"))
    got = [(m["To"], " ".join(m["Subject"].split()).split(",")[0]) for m in box]
    assert got == [
        *((f"dpo@{c[0]}.example", f"regtrack digest for {c[1]}") for c in FOUR),
        ("team@acme.example, boss@acme.example", "regtrack digest for Acme DPO Services"),
    ]
    assert "the 5 messages above (an mbox) were not sent" in dry.err
    assert "(dry run: not sent)" in _plain(_parsed(box[-1].as_bytes()))


def test_a_client_without_contacts_is_said_not_skipped_silently(tmp_path: Path) -> None:
    folder = consultancy(tmp_path, FOUR).parent
    portfolio = folder / "portfolio.yaml"
    portfolio.write_text(
        portfolio.read_text(encoding="utf-8").replace("contacts: [dpo@nhs-trust.example], ", ""),
        encoding="utf-8",
    )
    dry = run("digest", *DAY, "--mail-contacts", *SENDER, "--dry-run")
    assert dry.code == 0, dry.err
    assert "regtrack: warning: nhs-trust: not mailed: it has no contacts in portfolio.yaml" in (
        dry.err
    )
    box = dry.out.count("\nFrom regtrack@acme.example ") + dry.out.startswith("From ")
    assert box == 4  # three clients and the firm, whose digest says so
    assert "nhs-trust: nothing overdue" in dry.out or "- nhs-trust:" in dry.out
    assert "not mailed: no contacts in portfolio.yaml" in dry.out


def test_registry_changes_reach_the_clients_they_touch(tmp_path: Path) -> None:
    from regtrack.registry import builtin_path

    consultancy(tmp_path, FOUR)
    previous = tmp_path / "previous.yaml"
    previous.write_text(
        builtin_path().read_text(encoding="utf-8").replace("date: 2026-12-02", "date: 2026-11-02", 1),
        encoding="utf-8",
    )  # fmt: skip
    data = json.loads(run("digest", *DAY, "-f", "json", "--previous", str(previous)).out)
    changed = {c["client"]: c["changes"] for c in data["clients"]}
    moved = {
        "added": [],
        "removed": [],
        "milestones": [
            {"id": "ai-act-art-5-new-prohibitions", "milestone": "applies", "change": "changed"}
        ],
    }
    # the AI Act's new prohibitions bind deployers and providers: the clinic that deploys AI
    # and the device maker hear of the move; the others have nothing changed
    assert changed == {"clinique-a": moved, "clinique-b": None, "nhs-trust": None, "medtech": moved}
    text = run("digest", *DAY, "--previous", str(previous)).out
    assert "2 with registry changes" in text.splitlines()[0]
    # its only date in sight: the CNIL's MFA date for health research (issue 26), which it warns on
    assert "  - clinique-b: 1 coming up\n" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("-f", "atom"), "--format: atom is one client's digest: name it with --client"),
        (("--post", "slack"), "--post: posts one client's digest: name it with --client"),
    ],
)
def test_what_a_portfolio_digest_cannot_be(
    tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    consultancy(tmp_path, FOUR)
    refused = run("digest", *DAY, *args, env={"REGTRACK_WEBHOOK_URL": "https://hooks.slack.com/x"})
    assert refused.code == 2 and says in refused.err, refused.err


def test_mail_contacts_needs_a_portfolio(tmp_path: Path) -> None:
    made = run("init", "--name", "Solo", "-j", "FR", "--role", "controller")
    assert made.code == 0, made.err
    refused = run("digest", *DAY, "--mail-contacts", *SENDER, "--dry-run")
    assert refused.code == 2
    assert "--mail-contacts: mails each client of a portfolio its digest" in refused.err


def test_the_command_line_not_the_data_decides_the_shape(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    # a glob or a tag that happens to choose one client is still the firm's digest
    for args in (("--client", "med*"), ("--clients", "ai")):
        data = json.loads(run("digest", *DAY, "-f", "json", *args).out)
        assert [c["client"] for c in data["clients"]] == ["medtech"], args
    # one client named is its own digest, as its DPO reads it
    own = json.loads(run("digest", *DAY, "-f", "json", "--client", "medtech").out)
    assert "clients" not in own and own["organisation"] == "Medtech SAS"


def test_a_broken_client_is_not_mailed_and_the_firm_reads_why(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    own = tmp_path / "clients" / "nhs-trust" / "regtrack.yaml"
    own.write_text(own.read_text("utf-8").replace("jurisdictions: [UK]", "jurisdictions: [UKK]"),
                   "utf-8")  # fmt: skip
    inbox = Inbox()
    with smtp_server(inbox) as port:
        sent = run("digest", *DAY, "--mail-contacts", *_mail(port))
    assert sent.code == 2
    assert [to for _, to, _ in inbox.messages] == [
        ["dpo@clinique-a.example"], ["dpo@clinique-b.example"], ["dpo@medtech.example"],
        ["team@acme.example"],
    ]  # fmt: skip
    assert "regtrack: warning: nhs-trust: not mailed: its files have problems" in sent.err
    assert "1 of 4 clients not evaluated" in sent.err
    firm = _plain(_parsed(inbox.messages[-1][2]))
    assert (
        "  - nhs-trust: not evaluated: its files have problems (regtrack validate lists them)"
        in (firm)
    )
    assert "clients/nhs-trust/regtrack.yaml:" in firm
