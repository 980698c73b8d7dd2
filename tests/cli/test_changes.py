"""`regtrack changes --since`: the registry's news without the old file (issue 26)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run, write
from tests.test_changes import REGISTRY

OWN = ("--no-builtin", "--today", "2026-12-04")


def test_json_lists_each_change_with_where_to_read_it(tmp_path: Path) -> None:
    path = write(tmp_path, REGISTRY)
    result = run("changes", *OWN, "--registry", str(path), "--since", "2026-11-26", "-f", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["since"], data["until"]) == ("2026-11-26", "2026-12-04")
    assert [(c["on"], c["change"], c["milestone"], c["by"]) for c in data["changes"]] == [
        ("2026-11-28", "moved", "moved", "Act B"),
        ("2026-11-30", "cancelled", "cancelled", "registry"),
    ]
    assert data["changes"][0]["source"] == "https://eur-lex.europa.eu/b"


def test_since_a_duration_counts_back_from_today(tmp_path: Path) -> None:
    path = write(tmp_path, REGISTRY)
    days = run("changes", *OWN, "--registry", str(path), "--since", "7d", "-f", "csv")
    assert days.code == 0, days.err
    assert [line.split(",")[0] for line in days.out.splitlines()[1:]] == [
        "2026-11-28",
        "2026-11-30",
    ]
    month = run("changes", *OWN, "--registry", str(path), "--since", "1m", "-f", "csv")
    # 4 November to 4 December: the two of November 25 and after, and the correction of the 1st
    # is before it
    assert [line.split(",")[1] for line in month.out.splitlines()[1:]] == [
        "confirmed",
        "moved",
        "cancelled",
    ]


def test_filters_choose_what_changed(tmp_path: Path) -> None:
    path = write(tmp_path, REGISTRY)
    base = ("changes", *OWN, "--registry", str(path), "--since", "2026-01-01", "-f", "csv")
    assert len(run(*base, "-r", "DEMO").out.splitlines()) == 7  # a header and six changes
    none = run(*base, "--status", "superseded")
    assert [line.split(",")[3] for line in none.out.splitlines()[1:]] == ["cancelled"]


def test_no_change_is_said_with_its_days(tmp_path: Path) -> None:
    path = write(tmp_path, REGISTRY)
    quiet = run("changes", *OWN, "--registry", str(path), "--since", "2026-12-01")
    assert quiet.code == 0, quiet.err
    assert quiet.out == (
        "Changes known from 2026-12-01 to 2026-12-04: no change known in these days.\n"
    )


def test_bad_since_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for bad, said in (
        ("2027-01-01", "2027-01-01 is after today (2026-12-04)"),
        ("2026-02-30", "--since"),
        ("soon", "--since"),
    ):
        result = run("changes", "--today", "2026-12-04", "--since", bad)
        assert result.code == 2, bad
        assert said in result.err and len(result.err.splitlines()) == 1, result.err


def test_the_builtin_registry_tells_what_changed_on_4_december() -> None:
    result = run("changes", "--all", "--today", "2026-12-04", "--since", "2026-12-04", "-f", "json")
    assert result.code == 0, result.err
    found = {(c["id"], c["milestone"]): c["change"] for c in json.loads(result.out)["changes"]}
    assert found[("mdr-art-123-eudamed-mandatory-modules", "legacy-device-registration")] == (
        "confirmed"
    )
    assert found[("uk-duaa-commencement-no9-information-commission", "in-force")] == "added"
    assert found[("ivdr-art-110-legacy-transition", "certificate-holders")] == "corrected"
    # the AI Act's amending act of July 2026, read as news of its day
    law = run("changes", "--all", "--today", "2026-12-04", "--since", "2026-07-24", "-f", "json")
    moves = [c for c in json.loads(law.out)["changes"] if c["change"] == "moved"]
    assert moves and all(c["on"] == "2026-07-24" for c in moves)
    assert all(c["by"].startswith("Regulation (EU) 2026/1744") for c in moves)


def test_markdown_is_a_section_with_links(tmp_path: Path) -> None:
    path = write(tmp_path, REGISTRY)
    out = run(
        "changes", *OWN, "--registry", str(path), "--since", "2026-11-28", "-f", "markdown"
    ).out
    assert out.startswith("## Changes known from 2026-11-28 to 2026-12-04\n")
    assert (
        "| 2026-11-28 | moved | DEMO Art. 1: Demo duty (`demo/moved`) | 2027-06-01 | 2028-01-01 | [Act B](<https://eur-lex.europa.eu/b>) |"
        in out
    )


def test_the_digest_tells_the_same_news(tmp_path: Path) -> None:
    """`digest --changes-since` lists what `changes --since` lists, item by item, in every
    format that reads the digest's sections."""
    path = write(tmp_path, REGISTRY)
    base = ("--registry", str(path), *OWN)
    expected = json.loads(run("changes", *base, "--since", "2026-11-01", "-f", "json").out)
    digest = run("digest", *base, "--changes-since", "2026-11-01", "-f", "json")
    assert digest.code == 0, digest.err
    data = json.loads(digest.out)
    assert data["news_since"] == "2026-11-01"
    assert data["news"] == expected["changes"]
    assert data["headline"].endswith("4 changes in the law and the registry")
    text = run("digest", *base, "--changes-since", "2026-11-01").out
    assert "Changes in the law and the registry since 2026-11-01 (4)" in text
    assert "moved: 2027-06-01 → 2028-01-01 by Act B" in text
    for fmt in ("markdown", "html", "slack", "atom"):
        out = run("digest", *base, "--changes-since", "2026-11-01", "-f", fmt).out
        assert "Act B" in out, fmt
    # without the option, the digest says nothing of it
    assert "news" not in run("digest", *base).out.lower()


def test_the_digest_refuses_a_bad_day(tmp_path: Path) -> None:
    result = run("digest", "--today", "2026-12-04", "--changes-since", "2027-01-01")
    assert result.code == 2
    assert result.err.startswith("regtrack: error: --changes-since: 2027-01-01 is after today")
