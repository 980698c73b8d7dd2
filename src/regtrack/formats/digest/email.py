"""The digest as an e-mail (RFC 5322, MIME multipart/alternative: the text digest, then the
HTML one, RFC 2046 §5.1.4 — the last part is the preferred one). Built with the standard
library's `email` package, which folds and encodes headers and bodies; the same digest and
recipients always give the same bytes, Message-ID and MIME boundary included, so a resent
digest is recognisably the same message (RFC 5322 §3.6.4)."""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from typing import TYPE_CHECKING

from regtrack.formats.digest import DigestContext
from regtrack.formats.digest import html as html_digest
from regtrack.formats.digest import text as text_digest
from regtrack.formats.digest.lines import title

if TYPE_CHECKING:
    from regtrack.digest import Digest


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


def build_message(digest: Digest, context: DigestContext) -> EmailMessage:
    """The whole message. `context.mail_from` and `mail_to` are checked addresses."""
    plain = text_digest.render_digest(digest, context)
    rich = html_digest.render_digest(digest, context)
    sender = address(context.mail_from)
    recipients = [address(a) for a in context.mail_to]
    seed = "\0".join([plain, rich, sender.addr_spec, *(r.addr_spec for r in recipients)])
    token = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    if recipients:
        message["To"] = recipients
    message["Subject"] = " ".join(title(digest).split())
    message["Date"] = email.utils.format_datetime(digest.now)
    message["Message-ID"] = f"<regtrack-digest-{token}@{sender.domain}>"
    # RFC 3834 §5: an automatic message, so that auto-responders do not answer it
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(plain, subtype="plain", charset="utf-8")
    message.add_alternative(rich, subtype="html", charset="utf-8")
    # `=_` never occurs in quoted-printable or base64 text, so the boundary cannot be in a body
    message.set_boundary(f"=_regtrack_{token}")
    return message


def render_digest(digest: Digest, context: DigestContext) -> str:
    """The message as it would be sent, with newlines (`--dry-run`, `-f email`)."""
    data = build_message(digest, context).as_bytes(policy=email.policy.SMTP)
    return data.decode("ascii").replace("\r\n", "\n")
