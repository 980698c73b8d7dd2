"""Every test sees an 80-column terminal without colour and no clock override."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test sees an 80-column terminal without colour, no clock override, and runs in an
    empty folder, so that no regtrack.yaml of the developer's is discovered."""
    monkeypatch.chdir(tmp_path)
    for name in ("REGTRACK_CONFIG", "REGTRACK_EVENTS", "REGTRACK_WAIVERS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("REGTRACK_TODAY", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield
