"""Shared test helpers: a CLI runner with stdout and stderr apart, registry files, golden files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from regtrack.cli import app

HERE = Path(__file__).parent
NODE = HERE / "node"  # the consumers pinned in tests/node/package-lock.json


def consumer(package: str, program: str | None = "node") -> Path:
    """The folder of a consumer pinned in tests/node, when it and the program that runs it
    (node; java for vnu; None for a script loaded in the browser) are there: skipped where they
    are not, a failure under CI, whose .ci/run installs them."""
    folder = NODE / "node_modules" / package
    if not folder.exists() or (program is not None and shutil.which(program) is None):
        what = package + (f" or {program}" if program else "")
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing: .ci/run installs it")
        pytest.skip(f"{what} is not installed (npm ci in tests/node)")
    return folder


FIXTURE = HERE / "fixtures" / "registry.yaml"
GOLDEN = HERE / "golden"
TODAY = "2026-01-10"
# The breach of the hospital's week (issue 24): found at 23:10 in Paris on Friday 4 December
# 2026, its 72 hours end at 00:00 on Tuesday, the end of Monday 7 December.
BREACH = "gdpr-art-33-breach-notification@breach-2026-12-04"
BREACH_EVENTS = """\
events:
  - id: breach-2026-12-04
    obligation: gdpr-art-33-breach-notification
    at: 2026-12-04T23:10
    tz: Europe/Paris
    country: FR
"""


class Result:
    """What a command did: exit code, stdout, stderr."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run regtrack through typer's CliRunner, stdout and stderr apart."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def in_pieces(
    monkeypatch: pytest.MonkeyPatch, *args: str, env: dict[str, str] | None = None
) -> list[str]:
    """A command's output with its large documents written whole, 256 rows or entries at a time
    (regtrack.formats.PIECE) and one by one (issue 29); each run must succeed."""
    import regtrack.formats

    outputs = []
    for size in (10**9, 256, 1):
        monkeypatch.setattr(regtrack.formats, "PIECE", size)
        result = run(*args, env=env)
        assert result.code == 0, result.err
        outputs.append(result.out)
    return outputs


def generated(tmp_path: Path, count: int) -> Path:
    """A registry of `count` synthetic obligations from bench/generate.py (deterministic), the
    same the benchmarks read, written to `tmp_path`."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", HERE.parent / "bench" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    path = tmp_path / f"generated-{count}.yaml"
    path.write_text(generate.registry(count), encoding="utf-8")
    return path


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


# The organisation fixture with its own review made monthly (every 15th, no working-day move):
# twelve occurrences a year for `done` to record, in parallel tests among others.
MONTHLY_ORGANISATION = (
    (HERE / "fixtures" / "regtrack.yaml")
    .read_text(encoding="utf-8")
    .replace("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTHDAY=15")
    .replace("      adjust: next-working-day\n      country: FR\n", "")
)


def parallel_done(config: Path, days: list[str], by: str) -> list[tuple[str, int, str]]:
    """`regtrack done dpia-review-triage-ai --occurrence DAY` for every day at once, each in a
    process of its own: (day, exit code, stderr) per run, in the order given."""
    import subprocess
    import sys

    env = {**os.environ, "REGTRACK_TODAY": "2026-12-31"}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "regtrack",
                "done",
                "dpia-review-triage-ai",
                "--occurrence",
                day,
                "--evidence",
                f"run {day}",
                "--by",
                by,
                "--config",
                str(config),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for day in days
    ]
    reports = []
    for day, process in zip(days, runs, strict=True):
        _, err = process.communicate(timeout=120)
        reports.append((day, process.returncode, err))
    return reports


def compiled_composer() -> ModuleType:
    """regtrack's compiled YAML composer (issue 29). A test of it is skipped where it was not
    built, and fails where it must have been: REGTRACK_COMPOSER=require, which CI sets."""
    from regtrack.parse import reader

    if reader.COMPOSER is None:
        if os.environ.get("REGTRACK_COMPOSER") == "require":
            pytest.fail("the compiled YAML composer is not built (REGTRACK_COMPOSER=require)")
        pytest.skip("the compiled YAML composer is not built here", allow_module_level=True)
    return reader.COMPOSER
