"""`diff --rev` with no FILE: the built-in registry as git knows it (issue 26)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import run

# The red team's surfaces (issue 27): `pytest -m hostile` runs the battery alone.
pytestmark = pytest.mark.hostile

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


def test_a_hostile_repository_runs_nothing(tmp_path: Path) -> None:
    """A partial clone whose promisor remote is `ext::` (allowed by the repository's own
    config) would run its command to fetch a missing blob; regtrack's git runs nothing and
    reaches nothing, and the run ends in one line, exit 2 (issue 27)."""
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("no git")
    repo = tmp_path / "repo"
    repo.mkdir()
    marker = tmp_path / "ran"

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    git("init", "-q")
    git("config", "user.email", "a@example.org")
    git("config", "user.name", "A")
    shutil.copy(ROOT / "tests" / "fixtures" / "registry.yaml", repo / "obligations.yaml")
    git("add", "obligations.yaml")
    git("commit", "-q", "-m", "registry")
    blob = git("rev-parse", "HEAD:obligations.yaml")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # the blob is now missing
    for key, value in (
        ("core.repositoryformatversion", "1"),
        ("extensions.partialClone", "origin"),
        ("remote.origin.url", f"ext::sh -c touch% {marker}"),
        ("remote.origin.promisor", "true"),
        ("protocol.ext.allow", "always"),
        ("protocol.allow", "always"),
    ):
        git("config", key, value)
    result = run("diff", "--rev", "HEAD", str(repo / "obligations.yaml"))
    assert not marker.exists(), "git ran the repository's command"
    assert result.code == 2, result.err
    assert result.err.startswith("regtrack: error: --rev: ") and len(result.err.splitlines()) == 1
