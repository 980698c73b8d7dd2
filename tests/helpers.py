"""Shared test helpers: a CLI runner with stdout and stderr apart, registry files, golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regtrack.cli import app

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "registry.yaml"
GOLDEN = HERE / "golden"
TODAY = "2026-01-10"


class Result:
    """What a command did: exit code, stdout, stderr."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run regtrack through typer's CliRunner, stdout and stderr apart."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def write(tmp_path: Path, text: str, name: str = "registry.yaml") -> Path:
    """A registry file with this text."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; REGTRACK_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("REGTRACK_UPDATE_GOLDEN") or not path.exists():
        if not os.environ.get("REGTRACK_UPDATE_GOLDEN") and os.environ.get("CI"):
            pytest.fail(f"golden file {path} is missing")
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8")
