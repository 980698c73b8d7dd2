"""The GitHub Action and the pre-commit hooks call regtrack with options that exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.helpers import FIXTURE, run

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


def test_the_action_leaves_the_caller_s_python_alone() -> None:
    """setup-python would put its Python first on PATH for the caller's later steps (issue 28):
    the action asks it not to, and installs regtrack in a virtual environment of its own."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    setup = next(s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert setup["with"]["update-environment"] is False
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "regtrack-venv" in scripts and "pip install" in scripts
    assert not any(line.strip().startswith("python ") for line in scripts.splitlines())


def test_pre_commit_hooks_call_real_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entries = {hook["id"]: hook["entry"].split() for hook in hooks}
    # a commit hook gates what the commit changes, never the calendar (issue 24): the deadline
    # report never blocks, the files' validation does
    assert entries["regtrack-check"] == ["regtrack", "check", "--exit-zero"]
    for hook in ("regtrack-validate", "regtrack-validate-files"):
        assert entries[hook][:2] == ["regtrack", "validate"]
        assert set(entries[hook][2:]) <= options_of("validate")
    files = re.compile(next(h["files"] for h in hooks if h["id"] == "regtrack-validate-files"))
    for name in ("regtrack.yaml", "compliance/waivers.yaml", "events.yml"):
        assert files.search(name), name
    assert all(hook["language"] == "python" for hook in hooks)


def test_the_deadline_hook_does_not_fail_a_commit_that_changes_nothing(tmp_path: Path) -> None:
    # the same repository, a day later: the gate now fails, the hook's command does not
    entry = next(
        h["entry"].split()
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
        if h["id"] == "regtrack-check"
    )
    gate = run("check", "-r", "AI Act", "--today", "2026-07-25")
    assert gate.code == 1
    hook = run(*entry[1:], "-r", "AI Act", "--today", "2026-07-25")
    assert hook.code == 0 and "FAIL" in hook.out


def test_the_action_script_splits_args_like_a_shell_and_runs_nothing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    script = action["runs"]["steps"][-1]["run"]
    marker = tmp_path / "pwned"
    # the action's own environment, as its install step makes it in the runner's temporary folder
    venv = tmp_path / "runner-temp" / "regtrack-venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").symlink_to(sys.executable)
    (venv / "regtrack").symlink_to(Path(sys.executable).parent / "regtrack")
    env = {
        **os.environ,
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "WARN_WITHIN": "60d",
        "FAIL_WITHIN": "14d",
        "WAIVERS": "",
        "ARGS": f'-r "AI Act" --today 2026-07-25 --exit-zero $(touch {marker}) `touch {marker}`',
    }
    done = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    # the substitutions arrive as words, so regtrack refuses them: nothing ran
    assert not marker.exists()
    assert done.returncode == 2 and "unexpected extra argument" in done.stderr, done.stderr
    env["ARGS"] = '-r "AI Act" --today 2026-07-25 --exit-zero'
    done = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "::error title=" in done.stdout and "AI Act" in done.stdout
    env["ARGS"] = '-r "AI Act'
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "quote values with spaces" in done.stderr


def test_github_annotations_keep_file_and_line_from_a_subfolder(tmp_path: Path) -> None:
    """Run from a subfolder of the repository, `-f github` dropped every file= and line=
    (issue 28): paths are relative to the repository's root."""
    import os
    import subprocess
    import sys

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "compliance").mkdir()
    registry = repo / "registry.yaml"
    registry.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_WORKSPACE"}
    done = subprocess.run(
        [sys.executable, "-m", "regtrack", "check", "--no-builtin", "--registry", str(registry),
         "--today", "2026-01-10", "-f", "github", "--exit-zero"],
        cwd=repo / "compliance", capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert commands and all("file=registry.yaml,line=" in line for line in commands), commands


def test_sarif_names_its_category(tmp_path: Path) -> None:
    """Code scanning files a SARIF upload under its run's automationDetails.id (issue 28)."""
    import json

    (tmp_path / ".git").mkdir()  # the tests run in a folder of their own: make it a repository
    registry = tmp_path / "registry.yaml"
    registry.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(
        run("check", "--no-builtin", "--registry", str(registry), "--today", "2026-01-10",
            "-f", "sarif", "--exit-zero").out
    )  # fmt: skip
    assert [r["automationDetails"]["id"] for r in data["runs"]] == ["regtrack/"]
