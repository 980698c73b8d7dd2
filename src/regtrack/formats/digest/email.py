"""The digest as an e-mail (RFC 5322, MIME multipart/alternative: the text digest, then the
HTML one, RFC 2046 §5.1.4 — the last part is the preferred one). Built with the standard
library's `email` package, which folds and encodes headers and bodies; the same digest and
recipients always give the same bytes, Message-ID and MIME boundary included, so a resent
digest is recognisably the same message (RFC 5322 §3.6.4)."""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import hashlib
import re
from collections.abc import Iterable, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from typing import TYPE_CHECKING

from regtrack.errors import RegtrackError
from regtrack.formats import Rendered
from regtrack.formats.digest import DigestContext
from regtrack.formats.digest import html as html_digest
from regtrack.formats.digest import text as text_digest
from regtrack.formats.digest.lines import firm_title, title

if TYPE_CHECKING:
    from regtrack.digest import Digest, FirmDigest


# RFC 4155 §2: a line that begins with "From " in a message begins the next one unless quoted
_FROM_LINE = re.compile(r"^(?=From )", re.MULTILINE)


def address(value: str) -> Address:
    """One bare address (`dpo@example.org`), or ValueError: a display name, a list or a header
    break in a command-line value would let it add recipients or headers."""
    text = value.strip()
    if not text or any(c in text for c in ',;<>"()\r\n\t ') or text.count("@") != 1:
        raise ValueError(f"{value!r} is not one e-mail address (like dpo@example.org)")
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError, TypeError) as error:  # the parser's own complaint
        raise ValueError(f"{value!r} is not an e-mail address ({error})") from None
    if not parsed.domain or "." not in parsed.domain.strip("."):
        raise ValueError(f"{value!r} has no domain with a dot (like dpo@example.org)")
    return parsed


# The most text (its plain and HTML parts, in UTF-8) a digest's mail carries. Sent in base64, a
# part grows by a third and its line breaks, so that such a mail stays under 10,240,000 bytes:
# Postfix's default message_size_limit, the smallest of the common servers' (Gmail and
# Exchange Online take 25 MB). A digest of 57,000 overdue dates made a mail of 120 MB, which no
# server takes, and building it took 800 MB (issue 29): it is refused before it is built.
MAX_TEXT = 7_000_000


class MailTooLarge(RegtrackError):
    """The digest is too long to be mailed."""

    def __init__(self) -> None:
        super().__init__(
            f"the digest is too long to mail (more than {MAX_TEXT // 1_000_000} MB of text; mail "
            "servers refuse such a message): narrow it (--within, --jurisdiction, --tag) or "
            "write it to a file (-f html -o FILE)"
        )


def _bounded(rendered: Rendered, budget: int) -> str:
    """The rendering as text, read piece by piece and refused as soon as it is more than
    `budget` bytes: a digest too long to mail is never whole in memory."""
    pieces: Iterable[bytes] = (rendered.encode("utf-8"),) if isinstance(rendered, str) else rendered
    kept: list[bytes] = []
    for piece in pieces:
        budget -= len(piece)
        if budget < 0:
            raise MailTooLarge
        kept.append(piece)
    return b"".join(kept).decode("utf-8")


def _compose(
    subject: str, plain: Rendered, rich: Rendered, date: dt.datetime, context: DigestContext
) -> EmailMessage:
    sender = address(context.mail_from)
    recipients = [address(a) for a in context.mail_to]
    plain = _bounded(plain, MAX_TEXT)
    rich = _bounded(rich, MAX_TEXT - len(plain.encode("utf-8")))
    seed = "\0".join([plain, rich, sender.addr_spec, *(r.addr_spec for r in recipients)])
    token = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]
    # 7-bit bodies (quoted-printable or base64): a short digest's body was 8bit, which a dry run
    # could not print and a server without 8BITMIME must not receive (issue 27)
    message = EmailMessage(policy=_SEVEN_BIT)
    message["From"] = sender
    if recipients:
        message["To"] = recipients
    message["Subject"] = " ".join(subject.split())
    message["Date"] = email.utils.format_datetime(date)
    message["Message-ID"] = f"<regtrack-digest-{token}@{sender.domain}>"
    # RFC 3834 §5: an automatic message, so that auto-responders do not answer it
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(plain, subtype="plain", charset="utf-8")
    message.add_alternative(rich, subtype="html", charset="utf-8")
    # `=_` never occurs in quoted-printable or base64 text, so the boundary cannot be in a body
    message.set_boundary(f"=_regtrack_{token}")
    return message


def build_message(digest: Digest, context: DigestContext) -> EmailMessage:
    """The whole message. `context.mail_from` and `mail_to` are checked addresses."""
    return _compose(
        title(digest),
        text_digest.render_digest(digest, context),
        html_digest.render_digest(digest, context),
        digest.now,
        context,
    )


def build_firm_message(firm: FirmDigest, context: DigestContext) -> EmailMessage:
    """The firm's message: every client's digest, and where each went (issue 25)."""
    return _compose(
        firm_title(firm),
        text_digest.render_firm(firm, context),
        html_digest.render_firm(firm, context),
        firm.now,
        context,
    )


_SEVEN_BIT = email.policy.SMTP.clone(cte_type="7bit")


def _policy(message: EmailMessage) -> email.policy.EmailPolicy[EmailMessage]:
    """How a message is written: in 7 bits, or, with an internationalised address (RFC 6531),
    with UTF-8 headers, the address as it is (an encoded word inside an address is invalid)."""
    addresses = [
        a.addr_spec for field in ("From", "To") for a in getattr(message[field], "addresses", ())
    ]
    return email.policy.SMTPUTF8 if not all(a.isascii() for a in addresses) else _SEVEN_BIT


def _text(message: EmailMessage) -> str:
    return message.as_bytes(policy=_policy(message)).decode("utf-8").replace("\r\n", "\n")


def render_digest(digest: Digest, context: DigestContext) -> str:
    """The message as it would be sent, with newlines (`--dry-run`, `-f email`)."""
    return _text(build_message(digest, context))


def mbox(messages: Sequence[EmailMessage]) -> str:
    """Many messages as one mbox file (RFC 4155): what a dry run of a portfolio's mail prints,
    which mail tools and Python's `mailbox` read. Each message begins with a `From ` line; a
    body line that begins with `From ` is written `>From ` so that it cannot begin another."""
    out = []
    for message in messages:
        sender = message["From"].addresses[0].addr_spec
        when = email.utils.parsedate_to_datetime(message["Date"]).astimezone(dt.UTC)
        out.append(f"From {sender} {when:%a %b} {when.day:2d} {when:%H:%M:%S %Y}\n")
        text = _text(message)
        out.append(_FROM_LINE.sub(">", text).rstrip("\n") + "\n\n")
    return "".join(out)
