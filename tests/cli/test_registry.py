"""`validate` of several registries: judged file by file, each let go before the next is read
(issue 29), with the messages and their order as when they were all held."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import regtrack.registry
from regtrack.models import Obligation
from tests.helpers import run

ONE = """schema: 1
obligations:
  - id: {id}
    title: {title}
    regulation: {{short: GDPR, name: General Data Protection Regulation, identifier: CELEX:32016R0679}}
    citation: Art. 33
    jurisdiction: EU
    summary: A duty.
    sources:
      - {{url: https://example.org/gdpr, title: GDPR}}
    milestones:
      - {{id: m, kind: deadline, date: 2027-05-01, status: fixed, verified: 2026-11-27}}
"""


def registry(tmp_path: Path, name: str, ident: str, title: str = "A duty") -> Path:
    path = tmp_path / name
    path.write_text(ONE.format(id=ident, title=title), encoding="utf-8")
    return path


def test_an_id_given_in_two_files_names_the_first(tmp_path: Path) -> None:
    a = registry(tmp_path, "a.yaml", "breach")
    b = registry(tmp_path, "b.yaml", "breach")
    result = run("validate", str(a), str(b))
    assert result.code == 2
    assert f"{b}:3:1: obligations[breach].id: duplicate id (first at {a}:3)" in result.err
    assert result.out == ""


def test_a_file_problem_comes_first_and_alone(tmp_path: Path) -> None:
    """As when every file was held: a file's own problems are reported, and ids given twice
    only once every file is sound."""
    a = registry(tmp_path, "a.yaml", "breach")
    b = registry(tmp_path, "b.yaml", "breach")
    c = registry(tmp_path, "c.yaml", "other", title="~")
    result = run("validate", str(a), str(b), str(c))
    assert result.code == 2
    assert f"{c}:4:12: obligations[other].title: must not be empty" in result.err
    assert "duplicate id" not in result.err


def test_the_data_rules_are_judged_once_ids_are_unique(tmp_path: Path) -> None:
    a = registry(tmp_path, "a.yaml", "breach")
    b = registry(tmp_path, "b.yaml", "other")
    strict = ("validate", "--strict", "--today", "2026-12-01")
    result = run(*strict, str(a), str(b))
    assert result.code == 2
    # both files' breaches, in the order the files were given
    lines = [line for line in result.err.splitlines() if "not on an official domain" in line]
    assert [line.split(":")[0] for line in lines] == [str(a), str(b)]
    c = registry(tmp_path, "c.yaml", "other")
    result = run(*strict, str(a), str(b), str(c))
    assert "duplicate id" in result.err and "official domain" not in result.err


def test_each_registry_is_let_go_before_the_next_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten files of 10,000 obligations were all held beside the YAML tree of the next one
    (622 MB). Counted, not timed: when the third file is read, no obligation of the first is
    alive, and the counts printed are each file's."""
    files = [registry(tmp_path, f"r{n}.yaml", f"duty-{n}") for n in range(3)]
    read = regtrack.registry.read
    alive: list[int] = []

    def watched(path: Path, expected: object) -> object:
        if path == files[2]:
            gc.collect()
            alive.append(
                sum(
                    1 for o in gc.get_objects() if type(o) is Obligation and o.file == str(files[0])
                )
            )
        return read(path, expected)  # type: ignore[arg-type]

    monkeypatch.setattr(regtrack.registry, "read", watched)
    result = run("validate", *map(str, files))
    assert result.code == 0, result.err
    assert alive == [0]
    for path in files:
        assert f"{path}: valid registry (1 obligation, 1 milestone, 0 periods)" in result.out


def test_a_waivers_file_still_sees_every_registry(tmp_path: Path) -> None:
    """The registries let go are read again (through the parse cache) for the waivers file
    given with them: an id it names in any of them is known, one in none of them is not."""
    a = registry(tmp_path, "a.yaml", "breach")
    b = registry(tmp_path, "b.yaml", "other")
    waivers = tmp_path / "waivers.yaml"
    text = (
        "waivers:\n"
        "  - {id: breach, by: DPO, reason: Not ours, until: 2027-12-31}\n"
        "  - {id: other, by: DPO, reason: Not ours, until: 2027-12-31}\n"
    )
    waivers.write_text(text, encoding="utf-8")
    result = run("validate", "--today", "2026-12-01", str(a), str(b), str(waivers))
    assert result.code == 0, result.err
    assert f"{waivers}: valid waivers file (2 waivers)" in result.out
    waivers.write_text(text.replace("id: other", "id: nowhere"), encoding="utf-8")
    result = run("validate", "--today", "2026-12-01", str(a), str(b), str(waivers))
    assert result.code == 2 and "nowhere" in result.err
