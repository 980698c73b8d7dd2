"""The terminal timeline (regtrack.formats.timeline, `regtrack timeline`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import FIXTURE, run, write


@pytest.mark.parametrize("width", [60, 80, 120])
def test_fits_the_terminal_without_colour(width: int) -> None:
    result = run(
        "timeline",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        "2026-01-10",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        env={"COLUMNS": str(width)},
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "\x1b[" not in result.out
    chart = {
        line.split()[0]: line
        for line in lines
        if line.startswith(("AI Act", "GDPR", "CNIL", "UK GDPR"))
    }
    assert set(chart) == {"AI", "GDPR", "CNIL/HAS", "UK"}
    assert (
        "▲" in chart["AI"] and "◆" in chart["CNIL/HAS"] and "━" in chart["CNIL/HAS"]
    )  # a quarter is a span
    assert "●" in chart["GDPR"] and "○" in chart["UK"]
    assert "│" in chart["GDPR"] or "│" in chart["AI"]  # today
    # every month of the two years is labelled (its initial where a name would not fit), in
    # order, and each year under its January: a month left out reads as a month missing
    labels = re.findall(r"[A-Z][a-z]*", lines[1])
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert len(labels) == 24
    assert all(name.startswith(label) for label, name in zip(labels, names * 2, strict=True))
    assert lines[2].split() == ["2026", "2027"]


def test_the_marks_stand_where_their_dates_are() -> None:
    result = run(
        "timeline",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        "2026-01-10",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        env={"COLUMNS": "80"},
    )
    header = result.out.splitlines()[1]
    ai = next(line for line in result.out.splitlines() if line.startswith("AI Act"))
    assert abs(ai.index("▲") - header.index("Aug")) <= 2  # 2 August 2026


def test_bad_range_is_a_usage_error() -> None:
    result = run("timeline", "--from", "2026-05-01", "--to", "2026-04-01")
    assert result.code == 2 and "--to: 2026-04-01 is before --from 2026-05-01" in result.err


@pytest.mark.parametrize(("width", "whole"), [(60, False), (80, False), (120, True)])
def test_a_long_regulation_name_is_whole_or_visibly_cut(width: int, whole: bool) -> None:
    name = "GDPR Procedural Regulation"  # the built-in registry's longest, 26 characters
    result = run(
        "timeline",
        "-r",
        name,
        "--today",
        "2026-12-02",
        "--to",
        "2027-12-31",
        env={"COLUMNS": str(width)},
    )
    assert result.code == 0, result.err
    label = next(line for line in result.out.splitlines() if line.startswith("GDPR Proc"))
    assert max(len(line) for line in result.out.splitlines()) <= width
    if whole:
        assert label.startswith(name + " ")
    else:  # never a name that reads as another ("GDPR Procedura")
        shown = label.split("…")[0]
        assert "…" in label and name.startswith(shown) and len(shown) >= 13


def test_what_is_overdue_from_before_the_period_is_listed_first() -> None:
    # a quiet period must not read as "all clear" while check fails on a missed deadline
    args = ("--no-builtin", "--registry", str(FIXTURE), "--today", "2026-12-02")
    result = run("timeline", *args)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    head = lines.index("Overdue, from before 2026-12-01:")
    assert lines[head + 1].startswith("2026-03     overdue  ● GDPR Art. 35(1)")
    assert "In this period:" in lines[head + 1 :]
    chart = [line for line in lines[:head] if line.startswith("GDPR ")]
    assert all("●" not in line for line in chart)  # not drawn on the period's first day
    gate = run("check", *args)
    assert "test-deadline-amended/due] overdue" in gate.out


@pytest.mark.parametrize("width", [60, 80])
def test_a_wide_character_name_fits_the_terminal(tmp_path: Path, width: int) -> None:
    from rich.cells import cell_len

    name = "医疗数据与人工智能法规条例"  # 13 characters, 26 cells
    text = FIXTURE.read_text(encoding="utf-8").replace("short: AI Act,", f"short: {name},")
    registry = write(tmp_path, text)
    args = ("--no-builtin", "--registry", str(registry), "--today", "2026-01-10")
    result = run("timeline", *args, "--to", "2026-12-31", env={"COLUMNS": str(width)})
    assert result.code == 0, result.err
    chart = result.out.split("\n\n")[0].splitlines()
    assert max(cell_len(line) for line in chart) <= width
    row = next(line for line in chart if line.startswith(name[:3]))
    assert "…" in row and cell_len(row) == cell_len(chart[-1])  # aligned with the other rows


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_year_from_december_labels_every_month(width: int) -> None:
    result = run("timeline", "--today", "2026-12-02", env={"COLUMNS": str(width)})
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    labels = re.findall(r"[A-Z][a-z]*", lines[1])
    order = ["Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
    assert len(labels) == 12
    assert all(name.startswith(label) for label, name in zip(labels, order, strict=True))
    assert "2027" in lines[2].split()  # January's year wins where the two would touch


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"FORCE_COLOR": "1", "COLUMNS": "120"}])
def test_drawn_a_few_hundred_lines_at_a_time_it_is_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """The timeline is rendered in pieces of lines (issue 29: one rich Text of 100,000 lines
    peaked at 700 MB); whole, in pieces of 256 or line by line, the text is the same."""
    from tests.helpers import generated, in_pieces

    registry = generated(tmp_path, 600)
    args = ("timeline", "--no-builtin", "--registry", str(registry), "--today", "2026-12-04",
            "--from", "2026-01-01", "--to", "2028-12-31")  # fmt: skip
    outputs = in_pieces(monkeypatch, *args, env=env)
    assert outputs[0].count("\n") > 600
    assert outputs[0] == outputs[1] == outputs[2]
