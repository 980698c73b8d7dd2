"""Registry text cannot add markup, formulas or escape sequences to any format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.helpers import FIXTURE, TODAY, run

TITLE = 'Review [red]with markup[/red], =HYPERLINK("x") | pipes <b>html</b>'


def _out(fmt: str, *extra: str) -> str:
    result = run("list", "--registry", str(FIXTURE), "--today", TODAY, "-f", fmt, *extra)
    assert result.code == 0, result.err
    return result.out


def test_table_prints_markup_literally_even_in_colour() -> None:
    result = run(
        "upcoming",
        "--registry",
        str(FIXTURE),
        "--today",
        TODAY,
        "-w",
        "2y",
        env={"NO_COLOR": "", "FORCE_COLOR": "1", "COLUMNS": "200"},
    )
    assert "[red]with markup[/red]" in result.out
    assert "\x1b[" in result.out  # colour is on, and the markup was still not interpreted


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "title: Rules start to apply", 'title: \'=HYPERLINK("https://evil.example","x")\''
    )
    registry = tmp_path / "formula.yaml"
    registry.write_text(text, encoding="utf-8")
    for command in (("list",), ("upcoming", "-w", "2y")):
        result = run(*command, "--registry", str(registry), "--today", TODAY, "-f", "csv")
        rows = list(csv.DictReader(io.StringIO(result.out)))
        row = next(r for r in rows if r["id"] == "test-applies-day")
        assert row["title"] == '\'=HYPERLINK("https://evil.example","x")'


def test_csv_cells_starting_like_a_formula_get_an_apostrophe() -> None:
    from regtrack.formats.csv import safe_cell

    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+1") == "'+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell(-3) == -3  # numbers stay numbers


def test_markdown_escapes_markup_and_html() -> None:
    text = _out("markdown")
    assert "<b>" not in text
    assert r"\<b\>html\<\/b\>" in text or r"\<b\>html\</b\>" in text
    assert r"\[red\]" in text
    assert r"\| pipes" in text


def test_json_keeps_text_exactly() -> None:
    obligations = json.loads(_out("json"))
    assert next(o for o in obligations if o["id"] == "test-year-review")["title"] == TITLE
