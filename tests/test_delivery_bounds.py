"""The delivery paths against hostile servers on 127.0.0.1 (issue 27, findings 1 and 6): every
answer is bounded in lines, bytes and time, every failure is a DeliveryError (exit 5, one line)
and no message shows a secret. Work is bounded by counting it, never by the clock."""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest

from regtrack.deliver import smtp, webhook
from regtrack.errors import DeliveryError

# The red team's surfaces (issue 27): `pytest -m hostile` runs the battery alone.
pytestmark = pytest.mark.hostile


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket], None]], int]]:
    """A one-connection TCP server on 127.0.0.1 running `handler`; its port."""
    servers: list[socket.socket] = []

    def start(handler: Callable[[socket.socket], None]) -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        servers.append(listener)

        def run() -> None:
            try:
                while True:
                    conn, _ = listener.accept()
                    with conn, contextlib.suppress(OSError):
                        handler(conn)
            except OSError:
                return

        threading.Thread(target=run, daemon=True).start()
        return int(listener.getsockname()[1])

    yield start
    for listener in servers:
        listener.close()


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "regtrack@example.org"
    message["To"] = "dpo@example.org"
    message["Subject"] = "digest"
    message.set_content("hello")
    return message


def _lines(conn: socket.socket) -> Iterator[bytes]:
    file = conn.makefile("rb")
    while line := file.readline(4096):
        yield line


def test_an_endless_ehlo_reply_is_cut_off(serve: Callable[..., int]) -> None:
    sent = [0]

    def endless(conn: socket.socket) -> None:
        conn.sendall(b"220 hostile ESMTP\r\n")
        next(_lines(conn))  # EHLO
        while sent[0] < 2_000_000:  # the old reader kept every line: gigabytes
            conn.sendall(b"250-" + b"A" * 60 + b"\r\n")
            sent[0] += 1

    port = serve(endless)
    server = smtp.Server("127.0.0.1", port, smtp.Security.NONE, timeout=5)
    with pytest.raises(DeliveryError) as caught:
        smtp.send(_message(), server)
    assert "ran past 256 lines" in str(caught.value)
    assert sent[0] < 2_000_000  # the client went away long before: it stopped reading


def test_a_server_echoing_the_auth_blob_shows_no_secret(serve: Callable[..., int]) -> None:
    def echo(conn: socket.socket) -> None:
        conn.sendall(b"220 hostile ESMTP\r\n")
        for line in _lines(conn):
            if line.upper().startswith(b"EHLO"):
                conn.sendall(b"250-hostile\r\n250 AUTH PLAIN\r\n")
            elif line.upper().startswith(b"AUTH"):
                conn.sendall(b"535 5.7.8 refused " + line.split()[-1] + b"\r\n")
            elif line.upper().startswith(b"QUIT"):
                conn.sendall(b"221 bye\r\n")
                return

    port = serve(echo)
    server = smtp.Server(
        "127.0.0.1", port, smtp.Security.NONE, user="dpo", password="s3cret-pass", timeout=5
    )
    with pytest.raises(DeliveryError) as caught:
        smtp.send(_message(), server)
    said = str(caught.value)
    blob = base64.b64encode(b"\0dpo\0s3cret-pass").decode()
    assert "refused the login" in said
    assert blob not in said and "s3cret-pass" not in said and "***" in said


def _http(
    status_line: bytes, headers: list[bytes], body: bytes = b""
) -> Callable[[socket.socket], None]:
    def answer(conn: socket.socket) -> None:
        for line in _lines(conn):
            if line in (b"\r\n", b"\n"):
                break
        conn.sendall(
            status_line + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body
        )

    return answer


@pytest.mark.parametrize(
    "handler",
    [
        _http(b"HTTP/1.1 abc", []),  # a bad status line
        _http(b"HTTP/1.1 200 OK", [b"X-Long: " + b"a" * 70_000]),  # a line too long
        _http(b"HTTP/1.1 200 OK", [b"X-%d: y" % i for i in range(120)]),  # too many headers
        _http(b"HTTP/1.1 500 oops", [b"Content-Length: 100"], b"short"),  # cut short
    ],
)
def test_a_malformed_answer_is_a_delivery_error(
    serve: Callable[..., int], handler: Callable[[socket.socket], None]
) -> None:
    port = serve(handler)
    where = webhook.target(f"http://127.0.0.1:{port}/hook", "X")
    with pytest.raises(DeliveryError) as caught:
        webhook.post({"text": "x"}, where, timeout=5, retries=0, sleep=lambda s: None)
    assert "\n" not in str(caught.value)


def test_a_dripping_answer_is_cut_at_the_deadline(serve: Callable[..., int]) -> None:
    import time

    sent = [0]

    def drip(conn: socket.socket) -> None:
        for line in _lines(conn):
            if line in (b"\r\n", b"\n"):
                break
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n")
        while sent[0] < 2000:
            conn.sendall(b"x")
            sent[0] += 1
            time.sleep(0.05)

    port = serve(drip)
    where = webhook.target(f"http://127.0.0.1:{port}/hook", "X")
    answer = webhook.post({"text": "x"}, where, timeout=1, retries=0)
    assert answer.startswith("200")
    assert sent[0] < 2000  # answered before the server was done: the read was cut off


def test_retry_after_as_an_http_date_is_honoured(serve: Callable[..., int]) -> None:
    answers = iter(
        [
            _http(
                b"HTTP/1.1 429 slow down",
                [
                    b"Date: Fri, 04 Dec 2026 10:00:00 GMT",
                    b"Retry-After: Fri, 04 Dec 2026 10:00:07 GMT",
                    b"Content-Length: 0",
                ],
            ),
            _http(b"HTTP/1.1 200 OK", [b"Content-Length: 2"], b"ok"),
        ]
    )
    port = serve(lambda conn: next(answers)(conn))
    where = webhook.target(f"http://127.0.0.1:{port}/hook", "X")
    waited: list[float] = []
    assert webhook.post({"text": "x"}, where, timeout=5, sleep=waited.append).startswith("200")
    assert waited == [7.0]  # the server's own clock: 10:00:07 less 10:00:00


def test_a_percent_encoded_secret_is_scrubbed(serve: Callable[..., int]) -> None:
    def echo(conn: socket.socket) -> None:
        request = next(_lines(conn)).split()[1]
        for line in _lines(conn):
            if line in (b"\r\n", b"\n"):
                break
        body = b"no such hook " + request
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    port = serve(echo)
    where = webhook.target(f"http://127.0.0.1:{port}/hooks/T0K%2BEN-very-secret", "X")
    with pytest.raises(DeliveryError) as caught:
        webhook.post({"text": "x"}, where, timeout=5, retries=0)
    said = str(caught.value)
    assert "very-secret" not in said and "T0K" not in said, said


def _recording_server(
    extensions: list[bytes], seen: list[bytes]
) -> Callable[[socket.socket], None]:
    def handler(conn: socket.socket) -> None:
        conn.sendall(b"220 plain ESMTP\r\n")
        lines = _lines(conn)
        for line in lines:
            verb = line.upper()
            seen.append(line)
            if verb.startswith(b"EHLO"):
                conn.sendall(b"".join(b"250-" + e + b"\r\n" for e in [b"plain", *extensions[:-1]]))
                conn.sendall(b"250 " + (extensions[-1] if extensions else b"ok") + b"\r\n")
            elif verb.startswith(b"DATA"):
                conn.sendall(b"354 go\r\n")
                for body in lines:
                    seen.append(body)
                    if body == b".\r\n":
                        break
                conn.sendall(b"250 queued\r\n")
            elif verb.startswith(b"QUIT"):
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 ok\r\n")

    return handler


def test_without_8bitmime_the_message_goes_in_7_bits(serve: Callable[..., int]) -> None:
    seen: list[bytes] = []
    port = serve(_recording_server([b"HELP"], seen))
    message = _message()
    message.set_content("Échéance · 72 h")  # 8-bit text
    smtp.send(message, smtp.Server("127.0.0.1", port, smtp.Security.NONE, timeout=5))
    assert all(byte < 128 for line in seen for byte in line)
    assert not any(line.upper().startswith(b"MAIL") and b"8BITMIME" in line for line in seen)


def test_an_internationalised_address_needs_smtputf8(serve: Callable[..., int]) -> None:
    seen: list[bytes] = []
    port = serve(_recording_server([b"8BITMIME"], seen))
    message = _message()
    del message["To"]
    message["To"] = "dpo@hôpital.fr"
    with pytest.raises(DeliveryError) as caught:
        smtp.send(message, smtp.Server("127.0.0.1", port, smtp.Security.NONE, timeout=5))
    assert "does not accept internationalised addresses" in str(caught.value)
    assert caught.value.this_message_only
    # a server that takes them gets the address in UTF-8
    port = serve(_recording_server([b"8BITMIME", b"SMTPUTF8"], seen := []))
    smtp.send(message, smtp.Server("127.0.0.1", port, smtp.Security.NONE, timeout=5))
    assert any(line.lower().startswith("rcpt to:<dpo@hôpital.fr>".encode()) for line in seen)
