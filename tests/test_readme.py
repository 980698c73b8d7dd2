"""The README stays true: its example output, exit codes and set-up commands."""

from __future__ import annotations

import re
from pathlib import Path

from regtrack.errors import ExitCode
from tests.helpers import run

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_upcoming_example_is_real_output() -> None:
    match = re.search(
        r"```console\n\$ regtrack (upcoming --today \S+ --within \S+)\n(.*?)```", README, re.S
    )
    assert match, "README lost its upcoming example"
    result = run(*match[1].split())
    assert result.code == 0
    assert result.out == match[2]


def test_every_exit_code_is_documented() -> None:
    for code in ExitCode:
        assert re.search(rf"^\| {code.value} \| ", README, re.M), code


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert any("regtrack upcoming" in c for c in commands)
    test_command = next(c for c in commands if "[dev]" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_pins_the_action_and_hooks_to_this_version() -> None:
    from regtrack import __version__

    tag = f"v{__version__}"
    assert f"uses: OWNER/regtrack@{tag}" in README
    assert f"rev: {tag}" in README
    assert "rev: main" not in README and "regtrack@main" not in README
    assert f"OWNER/regtrack@{tag}" in (ROOT / "action.yml").read_text(encoding="utf-8")


def test_the_horizons_table_is_the_code_s() -> None:
    # "defaults documented in one place" (issue 24): the README's table is the code's own
    from regtrack.agenda.horizons import DEFAULTS

    table = README.split("<!-- horizons:", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[1:] == [f"| {v} | `{o}` | `{d}` | {w} |" for v, o, d, w in DEFAULTS]
