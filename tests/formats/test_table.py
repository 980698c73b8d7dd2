"""Terminal tables (regtrack.formats.table): nothing is cut, at any width."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import FIXTURE, run, write


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
def test_ids_and_titles_are_never_cut(tmp_path: Path, width: int) -> None:
    long_id = "a-very-long-obligation-identifier-that-is-wider-than-most-columns"
    text = FIXTURE.read_text(encoding="utf-8").replace("id: test-applies-day", f"id: {long_id}")
    registry = write(tmp_path, text)
    result = run(
        "upcoming",
        "--no-builtin",
        "--registry",
        str(registry),
        "--today",
        "2026-01-10",
        "-w",
        "2y",
        env={"COLUMNS": str(width)},
    )
    assert result.code == 0
    # Only a source's URL may run past the width: it is never broken (a click or copy needs it).
    long_lines = [line for line in result.out.splitlines() if len(line) > width]
    assert all(line.strip().startswith("https://") for line in long_lines), long_lines
    assert all(len(line.strip().split()) == 1 for line in long_lines)
    flat = re.sub(r"\s+", "", result.out)
    assert long_id in flat and "test-deadline-amended" in flat
    title = 'Review [red]with markup[/red], =HYPERLINK("x") | pipes <b>html</b>'
    if width < 120:  # the obligation is the last column: its text reads on when lines are joined
        assert re.sub(r"\s+", "", title) in flat
    else:  # kind and status stand to its right: every word of it is there, whole
        assert all(word in result.out.split() for word in title.split())


@pytest.mark.parametrize("width", [40, 80, 120, 160, 200, 300])
def test_list_fits_the_terminal_and_uses_a_wide_one(width: int) -> None:
    listed = json.loads(run("list", "-f", "json").out)
    result = run("list", env={"COLUMNS": str(width)})
    assert result.code == 0
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= max(width, 40)
    if width <= 80:  # too narrow for a title column of its own: stacked
        assert lines[1].split() == ["Jur.", "Obligation"]
        flat = re.sub(r"\s+", "", result.out)
        assert all(o["id"] in flat for o in listed)  # folded only where no line could hold it
        return
    assert lines[1].split() == ["Id", "Regulation", "Citation", "Jur.", "Title"]
    rows = {line.split()[0]: line for line in lines[3:] if line[:1].strip()}
    assert set(rows) == {o["id"] for o in listed}
    # a wide terminal holds most citations on their obligation's first line, then all of them
    whole = [o for o in listed if width >= 300 or (width >= 160 and len(o["citation"]) <= 20)]
    assert all(o["citation"] in rows[o["id"]] for o in whole)
    assert len(whole) >= (len(listed) if width >= 300 else len(listed) // 2 if width >= 160 else 0)


@pytest.mark.parametrize(
    "env",
    [
        {"NO_COLOR": "1", "COLUMNS": "80"},
        {"NO_COLOR": "1", "COLUMNS": "140"},
        {"FORCE_COLOR": "1", "COLUMNS": "80"},
        {"FORCE_COLOR": "1", "COLUMNS": "140"},
    ],
)
@pytest.mark.parametrize("command", ["upcoming", "list"])
def test_laid_out_a_few_hundred_rows_at_a_time_it_is_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], command: str
) -> None:
    """The tables of upcoming and list are laid out and written in pieces of rows (issue 29:
    the upcoming table of 100,000 obligations held every row and peaked near 500 MB); whole,
    in pieces of 256 or row by row, narrow or wide, coloured or not, the text is the same."""
    from tests.helpers import generated, in_pieces

    registry = generated(tmp_path, 400)
    args = [command, "--no-builtin", "--registry", str(registry), "--today", "2026-12-04"]
    if command == "upcoming":
        args += ["--within", "5y"]
    outputs = in_pieces(monkeypatch, *args, env=env)
    assert outputs[0].count("\n") > 400  # more than 256 rows (and rows of several lines)
    assert outputs[0] == outputs[1] == outputs[2]
