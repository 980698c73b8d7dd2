"""The built-in registry as the wheel carries it, parsed at build time (regtrack.prebuilt,
issue 29): it reads back equal to the parse of its YAML, is used only for those exact bytes, and
a default run writes nothing under the user's home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from regtrack import prebuilt
from regtrack.kinds import FileKind
from regtrack.parse import read_document
from regtrack.registry import builtin_path, read_bytes


def _beside(tmp_path: Path, data: bytes) -> Path:
    """A copy of the built-in registry with its built file beside it, as the wheel has them."""
    yaml = tmp_path / "obligations.yaml"
    yaml.write_bytes(data)
    (tmp_path / prebuilt.NAME).write_bytes(prebuilt.build(data))
    return yaml


def test_the_built_registry_reads_back_equal_to_its_yaml(tmp_path: Path) -> None:
    data = read_bytes(builtin_path())
    yaml = _beside(tmp_path, data)
    built = prebuilt.load(yaml, data)
    parsed = read_document(data.decode("utf-8"), str(yaml), FileKind.REGISTRY)
    assert built is not None and len(built.obligations) > 50
    assert built == parsed  # every obligation, date, quote and line, and the file's own name


def test_other_bytes_another_version_or_a_corrupt_file_are_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = read_bytes(builtin_path())
    yaml = _beside(tmp_path, data)
    changed = data.replace(b"schema: 1", b"schema: 1 ", 1)
    assert prebuilt.load(yaml, changed) is None  # the YAML was edited after the build
    monkeypatch.setattr("regtrack.__version__", "0.0.0")
    assert prebuilt.load(yaml, data) is None  # built by another version
    monkeypatch.undo()
    monkeypatch.setattr("marshal.version", 99)
    assert prebuilt.load(yaml, data) is None  # in another marshal format
    monkeypatch.undo()
    assert prebuilt.load(yaml, data) is not None
    blob = (tmp_path / prebuilt.NAME).read_bytes()
    (tmp_path / prebuilt.NAME).write_bytes(blob[:-40])
    assert prebuilt.load(yaml, data) is None  # cut short: a miss, never an error
    (tmp_path / prebuilt.NAME).unlink()
    assert prebuilt.load(yaml, data) is None


def test_a_registry_with_a_problem_stops_the_build() -> None:
    with pytest.raises(ValueError, match="problems"):
        prebuilt.build(b"schema: 1\nobligations:\n  - id: X\n")


def test_a_default_run_writes_nothing_under_the_home_folder(tmp_path: Path) -> None:
    """`upcoming`, `check`, `list`, `validate` on the built-in registry with an empty home:
    nothing is read from or written to a cache there (issue 29)."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGTRACK_", "XDG_"))}
    env.update(HOME=str(home), REGTRACK_TODAY="2026-12-04")
    regtrack = [sys.executable, "-m", "regtrack"]
    for command in (["upcoming"], ["upcoming", "-f", "json"], ["check"], ["list"], ["validate"]):
        done = subprocess.run([*regtrack, *command], cwd=work, env=env, capture_output=True)
        assert done.returncode in (0, 1), done.stderr
    assert list(home.rglob("*")) == []
    assert list(work.rglob("*")) == []
