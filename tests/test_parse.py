"""Reading registry files (regtrack.parse): every class of bad input ends in a
`FILE:LINE:COL: field: message` line and exit code 2, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regtrack.errors import InvalidRegistry
from regtrack.models import Kind, Precision, Status
from regtrack.registry import builtin_path, load
from tests.helpers import FIXTURE, run, write

GOOD_MILESTONE = """\
      - id: applies
        kind: applies
        date: 2026-08-02
        status: fixed
        verified: 2026-11-27
"""


def registry(
    obligation_extra: str = "", milestone: str = GOOD_MILESTONE, head: str = "schema: 1\n"
) -> str:
    """A one-obligation registry with pieces replaced."""
    return (
        head
        + "obligations:\n"
        + "  - id: one\n"
        + "    title: One\n"
        + "    regulation: {short: GDPR, name: General Data Protection Regulation, identifier: CELEX:32016R0679}\n"
        + "    citation: Art. 1\n"
        + "    jurisdiction: EU\n"
        + "    summary: Something.\n"
        + "    sources:\n"
        + "      - {url: https://eur-lex.europa.eu/eli/reg/2016/679/oj, title: GDPR}\n"
        + obligation_extra
        + "    milestones:\n"
        + milestone
    )


def problems(tmp_path: Path, text: str | bytes) -> list[str]:
    """The lines `regtrack validate` prints for this file; asserts exit 2 and no traceback."""
    path = tmp_path / "bad.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    return [line for line in result.err.splitlines() if not line.startswith("regtrack: ")]


def test_the_fixture_loads_into_typed_values() -> None:
    registry_ = load([FIXTURE])
    first = registry_.obligations[0]
    assert first.id == "test-applies-day" and first.regulation.short == "AI Act"
    assert first.milestones[0].kind is Kind.APPLIES
    quarter = registry_.obligations[1].milestones[0]
    assert quarter.window.precision is Precision.QUARTER and quarter.status is Status.EXPECTED
    amended = registry_.obligations[2]
    assert amended.jurisdiction == "EU"  # normalised
    assert amended.milestones[0].history[0].old.text == "2026-01-15"
    periods = registry_.obligations[3].periods
    assert periods[1].after == "notify" and periods[1].extension is not None
    assert registry_.obligations[4].sources[1].official is False


def test_the_builtin_registry_is_valid() -> None:
    result = run("validate")
    assert result.code == 0, result.err
    assert re.search(r"valid registry \(\d+ obligations", result.out)
    assert builtin_path().is_file()


def test_a_good_registry_validates(tmp_path: Path) -> None:
    result = run("validate", str(write(tmp_path, registry())))
    assert result.code == 0
    assert "valid registry (1 obligation, 1 milestone, 0 periods)" in result.out


@pytest.mark.parametrize(
    ("milestone", "field", "message"),
    [
        (GOOD_MILESTONE.replace("2026-08-02", "2026-02-30"), ".date", "not a real calendar date"),
        (GOOD_MILESTONE.replace("2026-08-02", "2026-Q5"), ".date", "not a real quarter"),
        (GOOD_MILESTONE.replace("2026-08-02", "soon"), ".date", "expected YYYY-MM-DD, YYYY-MM"),
        (
            GOOD_MILESTONE.replace("kind: applies", "kind: starts"),
            ".kind",
            "expected one of applies",
        ),
        (
            GOOD_MILESTONE.replace("status: fixed", "status: maybe"),
            ".status",
            "'maybe' is not allowed",
        ),
        (
            GOOD_MILESTONE.replace("2026-11-27", "2026-11-31"),
            ".verified",
            "not a real calendar date",
        ),
        (GOOD_MILESTONE.replace("status: fixed", "status: amended"), ".status", "needs a history"),
        (GOOD_MILESTONE.replace("        verified: 2026-11-27\n", ""), ".verified", "is required"),
        (GOOD_MILESTONE + "        colour: red\n", ".colour", "unknown field"),
        (GOOD_MILESTONE + "        verifed: 2026-11-27\n", ".verifed", "did you mean 'verified'"),
        (GOOD_MILESTONE + "        kind: deadline\n", ".kind", "duplicate key (first at line 13)"),
        (GOOD_MILESTONE + "        title: ''\n", ".title", "must not be empty"),
        (GOOD_MILESTONE + "        title: [a, b]\n", ".title", "expected text, got a list"),
        (GOOD_MILESTONE + "        title: !!python/object:os.system x\n", ".title", "YAML tag"),
        (
            GOOD_MILESTONE + "        sources:\n          - {url: x, title: y, official: no}\n",
            ".sources[0]",
            "not a URL",
        ),
        (
            GOOD_MILESTONE
            + "        sources:\n          - {url: 'https://a.eu', title: y, official: no}\n",
            ".official",
            "'no' is not a boolean (expected true or false)",
        ),
        (GOOD_MILESTONE + GOOD_MILESTONE, "milestones[1].id", "duplicate id 'applies'"),
        (
            GOOD_MILESTONE
            + "        status: amended\n"
            + "        history: [{from: 2026-08-02, to: 2026-08-02, act: X, source: 'https://a.eu'}]\n",
            ".to",
            "same date as 'from'",
        ),
    ],
)
def test_bad_milestones_are_located(
    tmp_path: Path, milestone: str, field: str, message: str
) -> None:
    lines = problems(tmp_path, registry(milestone=milestone))
    matching = [line for line in lines if message in line]
    assert matching, lines
    assert re.match(r".*bad\.yaml:\d+:\d+: obligations\[one\]\.\S*" + re.escape(field), matching[0])


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    bad = GOOD_MILESTONE.replace("2026-08-02", "2026-02-30").replace("kind: applies", "kind: x")
    lines = problems(tmp_path, registry(milestone=bad))
    assert len(lines) == 2
    assert lines[0].split(":")[1] == "13" and lines[1].split(":")[1] == "14"  # kind, then date


def test_problem_lines_have_file_line_column_field(tmp_path: Path) -> None:
    lines = problems(tmp_path, registry(milestone=GOOD_MILESTONE.replace("2026-08-02", "2026-13")))
    assert lines == [
        f"{tmp_path / 'bad.yaml'}:14:15: obligations[one].milestones[0].date: '2026-13' is not a real "
        "month (expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema: 1\nobligations: [\n", "invalid YAML"),
        ("", "the file is empty"),
        ("- a\n- b\n", "expected a mapping, got a list"),
        ("schema: 2\nobligations: []\n", "'2' is not supported"),
        ("obligations: []\n", "schema: is required"),
        ("schema: 1\nobligations: {}\n", "obligations: expected a list"),
        (registry("    jurisdiction: EU\n"), "duplicate key"),
        (registry("    tags: Health\n"), "expected a list"),
        (registry("    tags: [Health]\n"), "not a slug"),
        (registry("    roles: [controller]\n    <<: {a: 1}\n"), "merge keys"),
        (
            registry().replace("jurisdiction: EU", "jurisdiction: Europe"),
            "not a known jurisdiction",
        ),
        (registry().replace("id: one", "id: One Two"), "not a slug"),
        (registry().replace("title: One", 'title: "One\\u001b[31m"'), "control"),
        (registry().replace("title: One", 'title: "One\\u202eevil"'), "U+202E"),
        (
            registry().replace(
                "    sources:\n      - {url: https://eur-lex.europa.eu/eli/reg/2016/679/oj, title: GDPR}\n",
                "    sources: []\n",
            ),
            "at least one source",
        ),
        (registry(head="schema: 1\nextra: true\n"), "unknown field"),
        (registry() + registry().split("obligations:\n")[1], "duplicate id (first at"),
        (
            registry(
                "    periods:\n"
                "      - {id: a, title: A, duration: P1M, after: b, verified: 2026-11-27}\n"
                "      - {id: b, title: B, duration: P1M, after: a, verified: 2026-11-27}\n"
            ),
            "loop",
        ),
        (
            registry(
                "    periods:\n      - {id: a, title: A, duration: P1M, after: zz, verified: 2026-11-27}\n"
            ),
            "no period 'zz'",
        ),
        (
            registry(
                "    periods:\n      - {id: a, title: A, duration: 72h, from: x, verified: 2026-11-27}\n"
            ),
            "not an ISO 8601 duration",
        ),
        (
            registry(
                "    periods:\n      - {id: a, title: A, duration: P1M, verified: 2026-11-27}\n"
            ),
            "exactly one of 'from'",
        ),
    ],
)
def test_bad_registries_are_located(tmp_path: Path, text: str, message: str) -> None:
    lines = problems(tmp_path, text)
    assert any(message in line for line in lines), lines
    assert all(re.match(r".*bad\.yaml:\d+:\d+: ", line) for line in lines), lines


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    lines = problems(tmp_path, b"schema: 1\nobligations:\n  - id: \xff\n")
    assert lines == [f"{tmp_path / 'bad.yaml'}:3:1: not UTF-8 text"]


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.code == 2
    assert "nope.yaml: cannot read: No such file or directory" in result.err


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = "\n".join(levels) + "\nschema: 1\nobligations:\n  - *a8\n"
    lines = problems(tmp_path, text)
    assert lines  # refused: either as unknown fields or as too large, never expanded
    with pytest.raises(InvalidRegistry):
        load([tmp_path / "bad.yaml"])


def test_aliases_are_walked_with_a_bound(tmp_path: Path) -> None:
    # A small file whose aliases stand for millions of values: refused, not walked to the end.
    milestone = "{id: a, kind: applies, date: 2026-08-02, status: fixed, verified: 2026-11-27}"
    head, _ = registry().split("    milestones:\n")
    text = head.replace("  - id: one", "  - &o\n    id: one")
    text += f"    milestones:\n      - &m {milestone}\n" + "      - *m\n" * 1999
    text += "  - *o\n" * 500
    assert len(text) < 100_000
    lines = problems(tmp_path, text)
    assert any("aliases expand to more than" in line for line in lines), lines[-3:]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    lines = problems(tmp_path, "schema: 1\nobligations: " + "[" * 20000 + "]" * 20000 + "\n")
    assert any("nested too deeply" in line or "nesting depth" in line for line in lines), lines


def test_yaml_11_words_stay_text(tmp_path: Path) -> None:
    text = (
        registry().replace("title: One", "title: no").replace("citation: Art. 1", "citation: 1e3")
    )
    loaded = load([write(tmp_path, text)])
    assert loaded.obligations[0].title == "no"
    assert loaded.obligations[0].citation == "1e3"


@pytest.mark.parametrize(
    "value",
    ["&a [*a]", "&a [x,*a]", "&a [x, *a]", "&a {k: *a}", "&a {k: [x,*a]}", "&a\n  - *a"],
)
def test_recursive_aliases_are_refused(tmp_path: Path, value: str) -> None:
    # wherever the alias stands: after a flow indicator, a space, a tab or at a line's start
    lines = problems(tmp_path, f"schema: 1\nobligations: {value}\n")
    assert any("refer to themselves" in line for line in lines), lines


@pytest.mark.parametrize("null", ["~", "null", "Null", "NULL"])
def test_a_yaml_null_is_no_text(tmp_path: Path, null: str) -> None:
    """libyaml gives a plain scalar the style "" (PyYAML's own parser None): `title: ~` was
    read as the text "~" (issue 29). Quoted, it is text."""
    from tests.helpers import FIXTURE, run, write

    text = FIXTURE.read_text(encoding="utf-8")
    plain = write(tmp_path, text.replace("title: Rules start to apply", f"title: {null}", 1))
    result = run("validate", str(plain))
    assert result.code == 2
    assert f"title: must not be empty ({null} is YAML's null; quote it for text)" in result.err
    quoted = write(
        tmp_path, text.replace("title: Rules start to apply", f'title: "{null}"', 1), "q.yaml"
    )
    assert run("validate", str(quoted)).code == 0
