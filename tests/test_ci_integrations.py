"""The GitHub Action and the pre-commit hooks call regtrack with options that exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.helpers import run

ROOT = Path(__file__).resolve().parent.parent


def options_of(*command: str) -> set[str]:
    result = run(*command, "--help", env={"COLUMNS": "200"})
    assert result.code == 0
    return set(re.findall(r"--[a-z][a-z-]+", result.out))


def test_action_is_a_composite_that_runs_check_safely() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    script = action["runs"]["steps"][-1]["run"]
    assert "${{" not in script  # inputs arrive as environment variables, never pasted into code
    used = set(re.findall(r"--[a-z][a-z-]+", script))
    assert used <= options_of("check")
    assert {"warn-within", "fail-within", "waivers", "args"} <= set(action["inputs"])


def test_pre_commit_hooks_call_real_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entries = {hook["id"]: hook["entry"].split() for hook in hooks}
    assert entries["regtrack-check"] == ["regtrack", "check"]
    assert entries["regtrack-validate"][:2] == ["regtrack", "validate"]
    assert set(entries["regtrack-validate"][2:]) <= options_of("validate")
    assert all(hook["language"] == "python" for hook in hooks)
