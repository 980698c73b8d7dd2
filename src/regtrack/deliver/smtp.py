"""E-mail over SMTP (RFC 5321) with `smtplib`: STARTTLS (RFC 3207) on the submission port, or
implicit TLS (RFC 8314 §3.3) on port 465, certificates verified against the system's store (or
SSL_CERT_FILE). Plain SMTP only to this machine. Credentials come from the environment, never
from flags, and never appear in a message."""

from __future__ import annotations

import enum
import smtplib
import socket
import ssl
from email.message import EmailMessage
from typing import NamedTuple

from regtrack.deliver import scrub
from regtrack.errors import DeliveryError


class Security(enum.StrEnum):
    """How the connection is protected."""

    STARTTLS = "starttls"
    TLS = "tls"
    NONE = "none"  # only to a loopback address (a local relay, a test server)


DEFAULT_PORTS = {Security.STARTTLS: 587, Security.TLS: 465, Security.NONE: 25}


class Server(NamedTuple):
    """Where and how to send."""

    host: str
    port: int
    security: Security
    user: str = ""
    password: str = ""
    timeout: float = 30.0

    @property
    def name(self) -> str:
        """`host:port (starttls)`, for messages."""
        return f"{self.host}:{self.port} ({self.security.value})"


def _answer(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(said.split())}".strip()


def send(message: EmailMessage, server: Server) -> str:
    """Send `message` to every address of its To header; the server's final answer (`250 2.0.0
    Ok: queued as …`). A recipient refused, or any other refusal, is a DeliveryError."""
    secrets = _secrets(server)
    recipients = [a.addr_spec for a in message["To"].addresses]
    sender = message["From"].addresses[0].addr_spec
    international = not all(a.isascii() for a in (sender, *recipients))
    try:
        connection = _connect(server)
        try:
            if server.user:
                _login(connection, server.user, server.password)
            options: list[str] = []
            if international:  # RFC 6531: only to a server that says it takes them
                if not connection.has_extn("smtputf8"):
                    raise DeliveryError(
                        f"{server.name} does not accept internationalised addresses (no "
                        "SMTPUTF8); write the address in ASCII (its punycode domain)",
                        this_message_only=True,
                    )
                options.append("SMTPUTF8")
            # 8-bit text only to a server that says 8BITMIME (RFC 6152); 7-bit encodings else
            eight = international or connection.has_extn("8bitmime")
            from email.policy import SMTP, SMTPUTF8

            policy = (SMTPUTF8 if international else SMTP).clone(
                cte_type="8bit" if eight else "7bit"
            )
            data = message.as_bytes(policy=policy)
            if eight and not international:
                options.append("BODY=8BITMIME")
            code, said = connection.mail(sender, options)
            if code != 250:
                raise DeliveryError(
                    f"{server.name} refused the sender {sender}: {_answer(code, said)}"
                )
            for recipient in recipients:
                code, said = connection.rcpt(recipient)
                if code not in (250, 251):
                    # RFC 5321 §3.3: one refused recipient; send to none rather than to some
                    raise DeliveryError(
                        f"{server.name} refused the recipient {recipient}: {_answer(code, said)}"
                        "; nothing was sent",
                        this_message_only=True,
                    )
            code, said = connection.data(data)
            if code != 250:
                raise DeliveryError(
                    f"{server.name} refused the message: {_answer(code, said)}",
                    this_message_only=True,
                )
            return _answer(code, said)
        finally:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()
    except DeliveryError as error:
        raise DeliveryError(
            scrub(str(error), secrets), this_message_only=error.this_message_only
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(
            scrub(
                f"{server.name} refused the login of {server.user!r}: "
                f"{_answer(error.smtp_code, error.smtp_error)} (REGTRACK_SMTP_USER and "
                "REGTRACK_SMTP_PASSWORD)",
                secrets,
            )
        ) from None
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryError(scrub(f"{server.name}: {error}", secrets)) from None
    except smtplib.SMTPDataError as error:  # DATA refused before the message was sent
        raise DeliveryError(
            scrub(
                f"{server.name} refused the message: {_answer(error.smtp_code, error.smtp_error)}",
                secrets,
            ),
            this_message_only=True,
        ) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            scrub(f"{server.name} answered {_answer(error.smtp_code, error.smtp_error)}", secrets)
        ) from None
    except ssl.SSLError as error:
        reason = getattr(error, "verify_message", "") or error.reason or str(error)
        raise DeliveryError(f"TLS with {server.name} failed: {reason}") from None
    except (smtplib.SMTPException, socket.gaierror, TimeoutError, OSError) as error:
        reason = scrub(str(error) or type(error).__name__, secrets)
        raise DeliveryError(f"cannot reach SMTP server {server.name}: {reason}") from None
    except UnicodeError:  # an address or a header the server's dialect cannot carry
        raise DeliveryError(
            f"{server.name}: the message or an address is not ASCII and cannot be sent there",
            this_message_only=True,
        ) from None


def _secrets(server: Server) -> list[str]:
    """What must never be shown: the password, and the AUTH PLAIN blobs that carry it (a server
    that echoes the blob in its refusal would have its base64 printed; issue 27)."""
    import base64

    if not server.password:
        return []
    blobs = (
        f"\0{server.user}\0{server.password}",
        f"{server.user}\0{server.user}\0{server.password}",
    )
    return [server.password, *(base64.b64encode(b.encode()).decode() for b in blobs)]


# An SMTP reply is some lines; a server (or anyone on the path before STARTTLS) that never ends
# its EHLO reply grew the process to 4 GB (issue 27). More lines than this end the connection.
MAX_REPLY_LINES = 256


class _Bounded(smtplib.SMTP):
    """smtplib's reply reader (SMTP.getreply, Python 3.11 to 3.13) with a bounded number of
    lines and an overall deadline for the reply."""

    def getreply(self) -> tuple[int, bytes]:
        import time

        deadline = time.monotonic() + max(float(self.timeout or 30.0), 1.0)
        if self.file is None:
            self.file = self.sock.makefile("rb")  # type: ignore[union-attr]
        resp: list[bytes] = []
        errcode = -1
        while True:
            if len(resp) >= MAX_REPLY_LINES or time.monotonic() > deadline:
                self.close()
                raise smtplib.SMTPServerDisconnected(
                    f"the server's reply ran past {MAX_REPLY_LINES} lines or its time"
                )
            try:
                line = self.file.readline(smtplib._MAXLINE + 1)  # type: ignore[attr-defined]
            except OSError as error:
                self.close()
                raise smtplib.SMTPServerDisconnected(
                    f"Connection unexpectedly closed: {error}"
                ) from None
            if not line:
                self.close()
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if len(line) > smtplib._MAXLINE:  # type: ignore[attr-defined]
                self.close()
                raise smtplib.SMTPResponseException(500, "Line too long.")
            resp.append(line[4:].strip(b" \t\r\n"))
            try:
                errcode = int(line[:3])
            except ValueError:
                errcode = -1
                break
            if line[3:4] != b"-":
                break
        return errcode, b"\n".join(resp)


class _SMTP(_Bounded):
    pass


class _SMTPSSL(_Bounded, smtplib.SMTP_SSL):
    pass


# smtplib's own order of preference (SMTP.login): CRAM-MD5 sends no password over the wire.
_MECHANISMS = ("CRAM-MD5", "PLAIN", "LOGIN")


def _login(connection: smtplib.SMTP, user: str, password: str) -> None:
    """One AUTH attempt (RFC 4954) with the best mechanism the server offers. smtplib's
    `login` tries every offered mechanism in turn after a refusal, so a wrong password counted
    two or three failures per run, and a portfolio's run one per client: accounts lock after a
    few."""
    connection.ehlo_or_helo_if_needed()
    if not connection.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("the server offers no SMTP AUTH")
    offered = connection.esmtp_features["auth"].upper().split()
    mechanism = next((m for m in _MECHANISMS if m in offered), None)
    if mechanism is None:
        raise smtplib.SMTPNotSupportedError(
            f"the server offers none of {', '.join(_MECHANISMS)} for SMTP AUTH"
        )
    connection.user, connection.password = user, password
    answer = getattr(connection, "auth_" + mechanism.lower().replace("-", "_"))
    connection.auth(mechanism, answer)  # SMTPAuthenticationError on a refusal


def _connect(server: Server) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if server.security is Security.TLS:
        return _SMTPSSL(server.host, server.port, timeout=server.timeout, context=context)
    connection = _SMTP(server.host, server.port, timeout=server.timeout)
    connection.ehlo()
    if server.security is Security.STARTTLS:
        if not connection.has_extn("starttls"):
            connection.close()
            raise DeliveryError(
                f"{server.name} does not offer STARTTLS; regtrack does not send in clear "
                "(use --smtp-security tls for port 465)"
            )
        connection.starttls(context=context)
        connection.ehlo()
    return connection
