"""Every test sees an 80-column terminal without colour, no clock override, and UTC."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test sees an 80-column terminal without colour, no clock override, and runs in an
    empty folder, so that no regtrack.yaml of the developer's is discovered."""
    monkeypatch.chdir(tmp_path)
    # The parse cache goes to a folder of the test's own, never the developer's ~/.cache.
    monkeypatch.setenv("REGTRACK_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}.cache"))
    monkeypatch.delenv("REGTRACK_NO_CACHE", raising=False)
    for name in (
        "REGTRACK_CONFIG",
        "REGTRACK_PORTFOLIO",
        "REGTRACK_EVENTS",
        "REGTRACK_WAIVERS",
        "REGTRACK_MAIL_FROM",
        "REGTRACK_SMTP",
        "REGTRACK_SMTP_USER",
        "REGTRACK_SMTP_PASSWORD",
        "REGTRACK_SMTP_SECURITY",
        "REGTRACK_WEBHOOK_URL",
        "GITHUB_STEP_SUMMARY",
    ):  # nothing of the developer's environment reaches a test
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("REGTRACK_TODAY", raising=False)
    monkeypatch.delenv("REGTRACK_NOW", raising=False)
    # --today is its first instant in the machine's time zone: every test in the same one
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield


@pytest.fixture(params=["compiled", "pyyaml"])
def composer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each YAML composer in turn (issue 29): the compiled one (regtrack/parse/_composer.c) and
    PyYAML's; the compiled one as tests.helpers.compiled_composer has it."""
    from regtrack.parse import reader
    from tests.helpers import compiled_composer

    if request.param == "pyyaml":
        monkeypatch.setattr(reader, "COMPOSER", None)
    else:
        compiled_composer()
    return str(request.param)
