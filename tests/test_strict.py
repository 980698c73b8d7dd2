"""`validate --strict` (regtrack.strict): the registry's data rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regtrack.strict import STALE_AFTER
from tests.helpers import FIXTURE, run, write

BASE = FIXTURE.read_text(encoding="utf-8")


def strict(tmp_path: Path, text: str, *extra: str) -> tuple[int, list[str]]:
    path = write(tmp_path, text)
    result = run("validate", "--strict", "--today", "2026-12-01", *extra, str(path))
    return result.code, [
        line for line in result.err.splitlines() if not line.startswith("regtrack:")
    ]


def test_the_fixture_passes(tmp_path: Path) -> None:
    code, lines = strict(tmp_path, BASE)
    assert (code, lines) == (0, [])


def test_the_builtin_registry_passes_strict_validation() -> None:
    result = run("validate", "--strict", "--today", "2026-12-04")  # the day it was last verified
    assert result.code == 0, result.err
    assert "valid registry, strict" in result.out


def test_the_day_before_its_last_check_only_the_checks_themselves_are_in_the_future() -> None:
    """Issue 16 asked for `--today 2026-12-01`; the entries were checked on 2026-12-02, and a
    check dated after `today` is refused whatever else holds. Every freshness, source and
    history rule holds on 2026-12-01: the only problems that day are those verification
    dates (they are not backdated)."""
    result = run("validate", "--strict", "--today", "2026-12-01")
    problems = [line for line in result.err.splitlines() if ": obligations[" in line]
    assert result.code == 2 and problems
    assert f"regtrack: {len(problems)} problems" in result.err  # every one of them shown
    assert all(
        line.endswith(
            (".verified: 2026-12-02 is in the future", ".verified: 2026-12-04 is in the future")
        )
        for line in problems
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj, title",
            "https://blog.example.com/ai-act, title",
            "obligations[test-applies-day].milestones[applies].status",
            "a fixed date needs an official source",
        ),
        (
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj, title",
            "https://blog.example.com/ai-act, title",
            "obligations[test-applies-day].sources",
            "https://blog.example.com/ai-act is not on an official domain",
        ),
        (
            "        date: 2026-08-02\n        status: fixed\n        verified: 2026-11-27",
            "        date: 2026-08-02\n        status: fixed\n        verified: 2025-01-01",
            "obligations[test-applies-day].milestones[applies].verified",
            "last checked 699 days ago (at most 365 allowed)",
        ),
        (
            "        date: 2026-08-02\n        status: fixed\n        verified: 2026-11-27",
            "        date: 2026-08-02\n        status: fixed\n        verified: 2027-01-01",
            "obligations[test-applies-day].milestones[applies].verified",
            "is in the future",
        ),
        (
            "{from: 2026-01-15, to: 2026-03,",
            "{from: 2026-01-15, to: 2026-02,",
            "obligations[test-deadline-amended].milestones[due].history[0].to",
            "2026-02 is not the milestone's date (2026-03)",
        ),
        (
            '{from: 2026-01-15, to: 2026-03, act: Amending Regulation 2025/1, source: "https://eur-lex.europa.eu/eli/reg/2025/1/oj", published: 2025-06-02}',
            '{from: 2026-01-15, to: 2026-02, act: A, source: "https://eur-lex.europa.eu/a", published: 2025-01-02}\n'
            '          - {from: 2026-01-20, to: 2026-03, act: B, source: "https://eur-lex.europa.eu/b", published: 2025-06-02}',
            "obligations[test-deadline-amended].milestones[due].history[1].from",
            "2026-01-20 is not where the previous move ended (2026-02)",
        ),
        (
            "        date: 2026-03\n        status: amended",
            "        date: 2026-03\n        status: fixed",
            "obligations[test-deadline-amended].milestones[due].status",
            "a date moved by an amending act is 'amended', not 'fixed'",
        ),
        # issue 26: a date fixed in law quotes the words that give it, and a move says when
        (
            ', quote: "It shall apply from 2 August 2026.", article: Art. 113}',
            "}",
            "obligations[test-applies-day].milestones[applies].sources",
            "a fixed date quotes the passage of its official text that gives it",
        ),
        (
            ", published: 2025-06-02}",
            "}",
            "obligations[test-deadline-amended].milestones[due].history[0].published",
            "say when Amending Regulation 2025/1 was published",
        ),
    ],
)
def test_rule_breaches_are_located(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    assert old in BASE
    code, lines = strict(tmp_path, BASE.replace(old, new, 1))
    assert code == 2
    matching = [line for line in lines if field in line and message in line]
    assert matching, lines
    assert matching[0].startswith(f"{tmp_path / 'registry.yaml'}:")
    assert int(matching[0].split(":")[1]) > 0


def test_a_quote_from_an_unofficial_source_is_not_evidence(tmp_path: Path) -> None:
    """The quote must be on an official source: a blog's words are not the law's."""
    blog = BASE.replace(
        "{url: https://eur-lex.europa.eu/eli/reg/2024/1689/oj, title: Regulation (EU) 2024/1689, quote:",
        "{url: https://eur-lex.europa.eu/eli/reg/2024/1689/oj, title: Regulation (EU) 2024/1689}\n"
        "      - {url: https://blog.example.com/, title: Blog, official: false, quote:",
    )
    code, lines = strict(tmp_path, blog)
    assert code == 2
    assert any("milestones[applies].sources: a fixed date quotes" in line for line in lines)


def test_unquoted_says_what_was_searched_instead(tmp_path: Path) -> None:
    bare = BASE.replace(', quote: "It shall apply from 2 August 2026.", article: Art. 113}', "}")
    unquoted = bare.replace(
        "        status: fixed\n        verified: 2026-11-27\n      - id: old-date",
        "        status: fixed\n        verified: 2026-11-27\n"
        "        unquoted: The article could not be read; searched EUR-Lex and mirrors.\n"
        "      - id: old-date",
    )
    _code, lines = strict(tmp_path, unquoted)
    assert [line for line in lines if "milestones[applies]" in line] == []
    assert any("milestones[old-date].sources" in line for line in lines)


def test_secondary_sources_only_need_a_note(tmp_path: Path) -> None:
    secondary = BASE.replace(
        "{url: https://www.cnil.fr/, title: CNIL}",
        "{url: https://news.example.org/, title: News, official: false}",
    )
    assert strict(tmp_path, secondary) == (0, [])
    code, lines = strict(tmp_path, secondary.replace("        note: Not confirmed.\n", ""))
    assert code == 2
    assert lines == [
        f"{tmp_path / 'registry.yaml'}:37:1: obligations[test-quarter-expected].milestones"
        "[recommendation].note: rests on secondary sources only; say so in a note"
    ]


def test_max_age_and_extra_official_domains(tmp_path: Path) -> None:
    code, lines = strict(tmp_path, BASE, "--max-age", "1d")
    assert code == 2 and all(
        "last checked 4 days ago (at most 1 allowed)" in line for line in lines
    )
    blog = BASE.replace("https://www.cnil.fr/", "https://www.example-authority.fr/")
    code, lines = strict(tmp_path, blog)
    assert code == 2
    code, lines = strict(tmp_path, blog, "--official-domain", "example-authority.fr")
    assert (code, lines) == (0, [])


def test_without_strict_the_rules_are_not_enforced(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace("https://www.cnil.fr/", "https://www.example.org/"))
    assert run("validate", str(path)).code == 0


# Freshness: a date does not stay a guess long after it has passed (STALE_AFTER, 180 days).
# The fixture is checked as of 2026-12-01; 180 days before that is 2026-06-04.
APPLIES_FIXED = "        date: 2025-02-02\n        status: fixed\n"
RECOMMENDATION = "        date: 2026-Q2\n        status: expected\n        verified: 2026-11-27\n"


def test_stale_after_is_a_named_constant_of_180_days() -> None:
    assert dt.timedelta(days=180) == STALE_AFTER


@pytest.mark.parametrize("status", ["expected", "proposed"])
def test_a_passed_applies_date_still_a_guess_is_a_problem(tmp_path: Path, status: str) -> None:
    assert APPLIES_FIXED in BASE
    stale = BASE.replace(APPLIES_FIXED, f"        date: 2025-02-02\n        status: {status}\n")
    code, lines = strict(tmp_path, stale)
    assert code == 2
    assert lines == [
        f"{tmp_path / 'registry.yaml'}:20:1: obligations[test-applies-day].milestones[old-date]"
        f".status: still {status} 667 days after its date: confirm it (fixed), correct it, "
        "or supersede it"
    ]


def test_a_passed_deadline_still_expected_is_a_problem(tmp_path: Path) -> None:
    old_due = "        date: 2026-01-15\n        status: superseded\n"
    assert old_due in BASE
    stale = BASE.replace(old_due, "        date: 2026-01-15\n        status: expected\n")
    code, lines = strict(tmp_path, stale)
    assert code == 2
    assert [line for line in lines if "milestones[old-due].status" in line] == [
        f"{tmp_path / 'registry.yaml'}:61:1: obligations[test-deadline-amended].milestones"
        "[old-due].status: still expected 320 days after its date: confirm it (fixed), "
        "correct it, or supersede it"
    ]


@pytest.mark.parametrize(
    ("date", "late"),
    [
        ("2026-06-04", False),
        ("2026-06-03", True),
        ("2026-06", False),
        ("2026-Q1", True),
        ("2025", True),
    ],
)
def test_the_freshness_limit_is_more_than_180_days_after_the_window_ends(
    tmp_path: Path, date: str, late: bool
) -> None:
    guess = BASE.replace(APPLIES_FIXED, f"        date: {date}\n        status: expected\n")
    code, lines = strict(tmp_path, guess)
    assert (code == 2) is late, lines
    assert all("days after its date" in line for line in lines)


def test_a_passed_expected_publication_without_a_note_is_a_problem(tmp_path: Path) -> None:
    assert RECOMMENDATION in BASE
    passed = BASE.replace(
        RECOMMENDATION,
        "        date: 2026-Q1\n        status: expected\n        verified: 2026-11-27\n",
    )
    assert strict(tmp_path, passed) == (0, [])  # it has a note: "Not confirmed."
    code, lines = strict(tmp_path, passed.replace("        note: Not confirmed.\n", ""))
    assert code == 2
    assert lines == [
        f"{tmp_path / 'registry.yaml'}:37:1: obligations[test-quarter-expected].milestones"
        "[recommendation].note: expected 245 days ago and still expected: say in a note what "
        "became of it, or confirm, correct or supersede it"
    ]


def test_freshness_spares_what_is_settled_or_not_yet_stale(tmp_path: Path) -> None:
    # fixed, amended and superseded dates long past; an expected publication 154 days past
    # without a note; a proposed review (not a deadline) long past
    settled = BASE.replace("        note: Not confirmed.\n", "").replace(
        "        date: 2027\n        status: proposed",
        "        date: 2024\n        status: proposed",
    )
    assert strict(tmp_path, settled) == (0, [])
