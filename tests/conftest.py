"""Every test sees an 80-column terminal without colour and no clock override."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test sees an 80-column terminal without colour and no clock override."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("REGTRACK_TODAY", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield
