"""Finding the organisation file (regtrack.workspace.find_config)."""

from __future__ import annotations

from pathlib import Path

from regtrack.workspace import find_config


def test_explicit_then_environment_then_upward_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "regtrack.yaml").write_text("schema: 1\n", encoding="utf-8")
    (tmp_path / "regtrack.yaml").write_text("schema: 1\n", encoding="utf-8")  # above the repo
    assert find_config(Path("x.yaml"), "env.yaml", deep) == Path("x.yaml")
    assert find_config(None, "env.yaml", deep) == Path("env.yaml")
    # named from the working folder, as a user would name it in a message
    assert find_config(None, "  ", deep) == Path("../../regtrack.yaml")
    assert find_config(None, None, repo) == Path("regtrack.yaml")
    (repo / "regtrack.yaml").unlink()
    assert find_config(None, None, deep) is None  # the search stops at the repository's root
