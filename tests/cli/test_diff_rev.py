"""`diff --rev` with no FILE: the built-in registry as git knows it (issue 26)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import run

ROOT = Path(__file__).resolve().parents[2]


def test_from_the_checkout_it_compares_the_tracked_registry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    # a README-style install copies the registry into the environment, where git does not track it
    installed = tmp_path / "site-packages" / "regtrack" / "data" / "obligations.yaml"
    installed.parent.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "obligations.yaml", installed)
    monkeypatch.setattr("regtrack.registry.builtin_path", lambda: installed)
    monkeypatch.chdir(ROOT)
    result = run("diff", "--rev", "ba4f6f3", "-f", "json")
    if "unknown revision" in result.err or "bad object" in result.err:
        pytest.skip("a shallow clone without the commit")
    assert result.code == 0, result.err
    assert "eu-uk-adequacy-decisions" in result.out  # added since 0.1.0


def test_outside_any_checkout_it_says_what_to_pass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    installed = tmp_path / "site-packages" / "regtrack" / "data" / "obligations.yaml"
    installed.parent.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "obligations.yaml", installed)
    monkeypatch.setattr("regtrack.registry.builtin_path", lambda: installed)
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("diff", "--rev", "v0.1.0")
    assert result.code == 2
    assert result.err.startswith("regtrack: error: --rev: the built-in registry of an installed")
    assert "regtrack changes --since DATE" in result.err
    assert len(result.err.splitlines()) == 1
