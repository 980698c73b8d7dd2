"""`--help` of every command says what the README's one model says (issue 13)."""

from __future__ import annotations

import pytest

from tests.helpers import run

SELECTING = [["upcoming"], ["list"], ["check"], ["timeline"], ["report"], ["export", "ics"]]


def helped(*command: str) -> str:
    result = run(*command, "--help", env={"COLUMNS": "300"})
    assert result.code == 0, result.err
    return " ".join(result.out.split())


@pytest.mark.parametrize("command", SELECTING)
def test_every_selecting_command_shares_the_model(command: list[str]) -> None:
    text = helped(*command)
    for option in ("--law", "--no-builtin", "--waivers", "--events", "--registry", "--config"):
        assert option in text, (command, option)
    assert "Only what applies in this jurisdiction: FR is French and EU law" in text
    assert "Also read this registry file, besides the built-in one" in text
    assert "or an organisation file" in text  # --waivers and --events take one


def test_upcoming_says_it_leads_with_what_is_overdue() -> None:
    text = helped("upcoming")
    assert "--no-overdue" in text and "owed by you and not done (waived ones marked so)" in text


def test_done_names_every_kind_of_target() -> None:
    text = helped("done")
    assert "OBLIGATION@EVENT/DEADLINE" in text and "--all-deadlines" in text
    assert "A date the rules apply from cannot be done" in text


def test_validate_takes_every_kind_of_file() -> None:
    assert "Check files of every kind" in helped("validate")


def test_report_takes_the_gate_s_options() -> None:
    text = helped("report")
    assert all(o in text for o in ("--warn-within", "--fail-within", "--strict"))


@pytest.mark.parametrize("command", [*SELECTING, ["digest"], ["show"]])
def test_every_view_takes_the_moment(command: list[str]) -> None:
    # one evaluation, at one moment (issue 24): every view judges deadlines that end at a time
    # by --now, and says so
    text = helped(*command)
    assert "--today" in text and "--now" in text
    assert "deadlines that end at a time are judged by it" in text


def test_every_view_s_default_window_is_the_one_place_s() -> None:
    from regtrack.agenda import horizons

    assert f"[default: {horizons.UPCOMING}]" in helped("upcoming")
    assert f"[default: {horizons.DIGEST}]" in helped("digest")
    for command in ("check", "report"):
        text = helped(command)
        assert f"[default: {horizons.WARN}]" in text and f"[default: {horizons.FAIL}]" in text


def test_the_views_help_says_what_they_show_of_each_item() -> None:
    assert "waived (by whom, until when), owed by others only" in helped("upcoming")
    assert "a date owed only by roles you do not hold passes" in helped("check")
    assert "what is due, starts to apply or is expected, what check already warns about" in (
        helped("digest")
    )
    assert "what is overdue, then what is due from today to --to" in helped("report")
    assert "What is overdue from before the period is listed first" in helped("timeline")
    assert "(done, waived, owed by others)" in helped("show")
