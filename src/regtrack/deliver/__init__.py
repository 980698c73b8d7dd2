"""Delivery of a digest over real protocols, with the standard library only: e-mail over SMTP
(smtp.py) and chat incoming webhooks over HTTPS (webhook.py). Each raises DeliveryError with
the server's answer, and never lets a secret into a message (`scrub`)."""

from __future__ import annotations

import base64
from collections.abc import Iterable

# The hosts a digest may reach without TLS: this machine only (a local relay, a test server).
LOOPBACK = ("localhost", "127.0.0.1", "::1")


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, and its base64 forms (SMTP AUTH sends them so), replaced."""
    for secret in secrets:
        if len(secret) < 3:
            continue
        forms = {secret, base64.b64encode(secret.encode()).decode().rstrip("=")}
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, "***")
    return text
