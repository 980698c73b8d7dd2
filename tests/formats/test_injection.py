"""Registry text cannot add markup, formulas or escape sequences to any format."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.helpers import FIXTURE, TODAY, run

TITLE = 'Review [red]with markup[/red], =HYPERLINK("x") | pipes <b>html</b>'


def _out(fmt: str, *extra: str) -> str:
    result = run(
        "list", "--no-builtin", "--registry", str(FIXTURE), "--today", TODAY, "-f", fmt, *extra
    )
    assert result.code == 0, result.err
    return result.out


def test_table_prints_markup_literally_even_in_colour() -> None:
    result = run(
        "upcoming",
        "--no-builtin",
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
        result = run(
            *command, "--no-builtin", "--registry", str(registry), "--today", TODAY, "-f", "csv"
        )
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


def test_rich_link_markup_stays_literal_and_makes_no_hyperlink(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "title: Rules start to apply", "title: '[link=https://evil.example]click me[/link]'"
    )
    registry = tmp_path / "link.yaml"
    registry.write_text(text, encoding="utf-8")
    for width in ("80", "200"):
        result = run(
            "upcoming",
            "--no-builtin",
            "--registry",
            str(registry),
            "--today",
            TODAY,
            "-w",
            "2y",
            env={"NO_COLOR": "", "FORCE_COLOR": "1", "COLUMNS": width},
        )
        assert "[link=https://evil.example]click me[/link]" in result.out
        assert "\x1b]8;" not in result.out  # no OSC 8 hyperlink was emitted
    shown = run(
        "show",
        "test-applies-day",
        "--no-builtin",
        "--registry",
        str(registry),
        env={"FORCE_COLOR": "1", "NO_COLOR": ""},
    )
    assert "[link=https://evil.example]click me[/link]" in shown.out and "\x1b]8;" not in shown.out


def test_terminal_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    # The loader refuses control characters in any text (tests/test_parse.py); a JSON-escaped
    # ESC in a quoted YAML string is refused the same way.
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "title: Rules start to apply", 'title: "\\e]0;owned\\a\\e[2J"'
    )
    registry = tmp_path / "esc.yaml"
    registry.write_text(text, encoding="utf-8")
    result = run("upcoming", "--no-builtin", "--registry", str(registry), "--today", TODAY)
    assert result.code == 2 and "\x1b" not in result.out + result.err
    assert "control" in result.err


def test_markdown_text_never_becomes_a_link_on_github(tmp_path: Path) -> None:
    """Rendered by cmark-gfm, GitHub's own Markdown library: bare `www.` and `https://` in
    registry text stay text; the registry's sources stay links."""
    import cmarkgfm

    text = re.sub(
        r'title: "Review .*"',
        "title: Visit www.evil.example or HTTPS://evil.example/login now",
        FIXTURE.read_text(encoding="utf-8"),
    )
    registry = tmp_path / "registry.yaml"
    registry.write_text(text, encoding="utf-8")
    for command in (("list",), ("upcoming", "-w", "2y")):
        result = run(*command, "--no-builtin", "--registry", str(registry), "--today", TODAY,
                     "-f", "markdown")  # fmt: skip
        assert result.code == 0, result.err
        html = cmarkgfm.github_flavored_markdown_to_html(result.out)
        assert "Visit www.evil.example or HTTPS://evil.example/login now" in html
        assert "evil.example" not in "".join(
            part.split('"')[0] for part in html.split('href="')[1:]
        )
        assert 'href="https://eur-lex.europa.eu/' in html


# A GitHub Actions runner runs, in any line of a job's stdout or stderr, `::` that begins it once
# white space is trimmed, and the legacy `##[command]` anywhere (actions/runner, ActionCommand).
HOSTILE_TITLE = "a" * 68 + " ::error::wrapped ##[error]legacy"
HOSTILE_SUMMARY = "::error::first " + "b" * 60 + " ::warning::wrapped ##[add-mask]x"


def _commands(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("::") or "##[" in line]


def test_no_output_line_is_a_workflow_command(tmp_path: Path) -> None:
    text = (
        FIXTURE.read_text(encoding="utf-8")
        .replace("title: Rules start to apply", f'title: "{HOSTILE_TITLE}"')
        .replace("summary: A day milestone of kind applies.", f'summary: "{HOSTILE_SUMMARY}"')
    )
    registry = tmp_path / "hostile.yaml"
    registry.write_text(text, encoding="utf-8")
    base = ("--no-builtin", "--registry", str(registry), "--today", "2026-01-10")
    commands = [
        ("show", "test-applies-day"),
        ("timeline", "--to", "2027-12-31"),
        ("upcoming", "-w", "2y"),
        ("list",),
        ("check", "--exit-zero"),
        ("check", "--exit-zero", "-f", "json"),
        ("check", "--exit-zero", "-f", "sarif"),
        ("check", "--exit-zero", "-f", "junit"),
        ("upcoming", "-w", "2y", "-f", "json"),
        ("digest", "-w", "2y"),
    ]
    for width in ("80", "100", "130", "200"):
        for command in commands:
            result = run(*command, *base, env={"COLUMNS": width})
            assert result.code == 0, (command, result.err)
            assert _commands(result.out) == [], (width, command)
    # the data itself is unchanged: JSON parsers read the same title
    listed = json.loads(run("list", *base, "-f", "json").out)
    assert next(o for o in listed if o["id"] == "test-applies-day")["title"] == HOSTILE_TITLE


def test_a_file_name_never_starts_a_workflow_command(tmp_path: Path) -> None:
    for name in ("::error::named.yaml", "x##[error]named.yaml"):
        path = tmp_path / name
        path.write_text("schema: 1\nobligations: 3\n", encoding="utf-8")
        result = run("validate", str(path))
        assert result.code == 2
        assert "named.yaml" in result.err and _commands(result.err) == [], result.err
    # a valid registry of that name: the JUnit report names it, in text every parser reads back
    hostile = tmp_path / "x##[error]named.yaml"
    hostile.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    args = ("--exit-zero", "--no-builtin", "--registry", str(hostile), "--today", "2026-01-10")
    for fmt in ("text", "junit", "json", "sarif"):
        assert _commands(run("check", *args, "-f", fmt).out) == [], fmt
    junit = ET.fromstring(run("check", *args, "-f", "junit").out.split("\n", 1)[1])
    assert any(hostile.name in (e.text or "") for e in junit.iter("system-out"))
