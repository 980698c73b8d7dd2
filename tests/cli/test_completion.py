"""Shell completion (issue 15): `regtrack completion SHELL` and `--show-completion`; the bash
script, sourced in a real bash, completes commands, options and the vocabulary's values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run


def complete(words: list[str]) -> list[str]:
    """What bash offers after `words` (the last one being completed), with the script sourced."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    line = " ".join(words)
    script = (
        "source <(regtrack completion bash)\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
        "_regtrack_completion regtrack\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.splitlines() if w]


def test_bash_completes_commands_options_and_vocabulary() -> None:
    assert "upcoming" in complete(["regtrack", "up"])
    assert complete(["regtrack", "upcoming", "--no-ov"]) == ["--no-overdue"]
    assert complete(["regtrack", "check", "--role", "contr"]) == ["controller"]
    assert complete(["regtrack", "init", "--sector", "hea"]) == ["health"]
    assert "FR" in complete(["regtrack", "list", "-j", "F"])


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_shell_gets_a_script(shell: str) -> None:
    result = run("completion", shell)
    assert result.code == 0
    assert "_REGTRACK_COMPLETE" in result.out


def test_show_completion_prints_the_script_of_the_shell_it_runs_in() -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        # `; exit $?`: a lone command is exec'd by bash, and regtrack's parent would then be
        # whatever ran the tests, not bash (flaky under xdist or a detached shell)
        ["bash", "-c", "regtrack --show-completion; exit $?"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "complete -o default -F _regtrack_completion regtrack" in done.stdout


def test_bash_completes_ids_regulations_and_tags_from_the_registry() -> None:
    """Issue 28: completion offered no obligation id, regulation or tag."""
    assert "gdpr-art-33-breach-notification" in complete(["regtrack", "show", "gdpr-art-33"])
    assert complete(["regtrack", "upcoming", "-r", "AI"]) == ["AI Act"]
    assert "health" in complete(["regtrack", "list", "--tag", "heal"])
