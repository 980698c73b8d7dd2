"""The CI gate (regtrack.checks, `regtrack check`): warn first, fail later, waivers, exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from regtrack.agenda import Agenda, Due, Moment
from regtrack.checks import Level, Policy, Rule
from regtrack.registry import load
from tests.helpers import FIXTURE, run, write

OBLIGATIONS = load([FIXTURE]).obligations


DEFAULT = Policy()


def check(day: dt.date, policy: Policy = DEFAULT) -> list[Due]:
    """The gate's findings on the fixture registry as of `day`."""
    return Agenda(OBLIGATIONS, Moment.start_of(day), policy=policy).findings()


def levels(today: str, policy: Policy = DEFAULT) -> dict[str, Level]:
    return {f.name: f.level for f in check(dt.date.fromisoformat(today), policy)}


def test_a_deadline_warns_first_then_fails_then_is_overdue() -> None:
    name = "test-deadline-amended/due"  # 2026-03 (a month: counted from its first day)
    assert levels("2025-12-30")[name] is Level.PASS  # 61 days ahead
    assert levels("2025-12-31")[name] is Level.WARNING  # 60 days
    assert levels("2026-02-15")[name] is Level.FAILURE  # 14 days
    assert levels("2026-03-20")[name] is Level.FAILURE  # inside its window
    overdue = check(dt.date(2026, 4, 1))
    assert next(f for f in overdue if f.name == name).rule is Rule.OVERDUE


def test_an_applies_date_fails_near_and_is_in_force_once_passed() -> None:
    name = "test-applies-day/applies"  # 2026-08-02
    assert levels("2026-07-20")[name] is Level.FAILURE
    assert levels("2026-07-20", Policy(fail_within=7))[name] is Level.WARNING
    assert levels("2026-08-02")[name] is Level.PASS  # in force from that day
    assert levels("2027-01-01")[name] is Level.PASS  # in force, never overdue


def test_expected_and_proposed_only_warn_unless_strict() -> None:
    assert levels("2026-03-25")["test-quarter-expected/recommendation"] is Level.WARNING
    assert (
        levels("2026-03-25", Policy(strict=True))["test-quarter-expected/recommendation"]
        is Level.FAILURE
    )
    assert levels("2026-12-25")["test-year-review/review"] is Level.WARNING  # proposed
    assert levels("2026-12-25", Policy(strict=True))["test-year-review/review"] is Level.FAILURE


def test_superseded_dates_are_not_checked() -> None:
    assert "test-deadline-amended/old-due" not in levels("2026-01-10")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--today", "2026-01-10"), 0),  # one warning only
        (("--today", "2026-02-20"), 1),  # a deadline in 9 days
        (("--today", "2026-02-20", "--fail-within", "7d"), 0),
        (("--today", "2026-02-20", "--exit-zero"), 0),
        (("--today", "2026-07-20"), 1),
        (("--today", "2026-07-20", "-r", "ai act", "--fail-within", "7d"), 0),
        (("--today", "2026-07-20", "--warn-within", "7d", "--fail-within", "14d"), 2),
        (("--today", "2026-07-20", "--fail-within", "soon"), 2),
        (("--today", "2026-13-01"), 2),
    ],
)
def test_exit_codes(args: tuple[str, ...], code: int) -> None:
    result = run("check", "--no-builtin", "--registry", str(FIXTURE), *args)
    assert result.code == code, result.out + result.err


def test_the_report_names_what_fails_and_why() -> None:
    result = run("check", "--no-builtin", "--registry", str(FIXTURE), "--today", "2026-07-20")
    line = next(x for x in result.out.splitlines() if "test-applies-day/applies" in x)
    assert line.startswith("FAIL")
    assert "applies in 13 days (2026-08-02); fails within 14 days" in line
    assert result.out.splitlines()[-1].startswith("regtrack check as of 2026-07-20: 2 failed")


WAIVERS = """\
waivers:
  - id: test-deadline-amended
    milestone: due
    by: Jane Doe (DPO)
    reason: DPIA done, signed off in ticket PRIV-42
    until: 2026-05-01
"""


def test_a_waiver_holds_until_its_last_day_then_fails(tmp_path: Path) -> None:
    waivers = write(tmp_path, WAIVERS, "waivers.yaml")
    args = (
        "check",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--waivers",
        str(waivers),
        "-r",
        "gdpr",
    )
    before = run(*args, "--today", "2026-05-01")
    assert before.code == 0, before.out
    assert "WAIVED" in before.out and "waived by Jane Doe (DPO) until 2026-05-01" in before.out
    after = run(*args, "--today", "2026-05-02")
    assert after.code == 1
    assert "waiver by Jane Doe (DPO) expired on 2026-05-01" in after.out


def test_waivers_from_the_environment(tmp_path: Path) -> None:
    waivers = write(tmp_path, WAIVERS, "waivers.yaml")
    result = run(
        "check",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "-r",
        "gdpr",
        "--today",
        "2026-04-01",
        env={"REGTRACK_WAIVERS": str(waivers)},
    )
    assert result.code == 0 and "WAIVED" in result.out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            WAIVERS.replace("id: test-deadline-amended", "id: test-deadline-amendd"),
            "waivers.yaml:2:1: waivers[0].id: no obligation 'test-deadline-amendd' (did you mean: test-deadline-amended",
        ),
        (
            WAIVERS.replace("milestone: due", "milestone: later"),
            "waivers.yaml:2:1: waivers[0].milestone: test-deadline-amended has no milestone 'later' (it has: due, old-due)",
        ),
        (
            WAIVERS.replace("until: 2026-05-01", "until: someday"),
            "waivers.yaml:6:12: waivers[0].until: 'someday' is not a date",
        ),
        (
            WAIVERS.replace("    by: Jane Doe (DPO)\n", ""),
            "waivers.yaml:2:5: waivers[0].by: is required",
        ),
        (WAIVERS + "    owner: x\n", "waivers.yaml:7:5: waivers[0].owner: unknown field"),
        ("waivers: [\n", "waivers.yaml:2:1: invalid YAML"),
    ],
)
def test_bad_waivers_are_input_errors_with_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    waivers = write(tmp_path, text, "waivers.yaml")
    result = run(
        "check",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--waivers",
        str(waivers),
        "--today",
        "2026-01-10",
    )
    assert result.code == 2
    assert message in result.err, result.err
    assert result.out == ""


def test_reports_are_written_atomically_and_several_at_once(tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"  # in the repository: SARIF results point at it
    registry.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    out = {
        name: tmp_path / name for name in ("report.txt", "junit.xml", "out.sarif", "r.json", "r.md")
    }
    result = run(
        "check",
        "--no-builtin",
        "--registry",
        str(registry),
        "--today",
        "2026-07-20",
        "-o",
        str(out["report.txt"]),
        "--junit",
        str(out["junit.xml"]),
        "--sarif",
        str(out["out.sarif"]),
        "--json",
        str(out["r.json"]),
        "--markdown",
        str(out["r.md"]),
    )
    assert result.code == 1 and result.out == ""
    assert all(path.stat().st_size > 0 for path in out.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*out, "registry.yaml"])


def test_builtin_registry_done_when() -> None:
    result = run("check", "--today", "2026-07-20")
    assert result.code == 1
    line = next(
        x
        for x in result.out.splitlines()
        if "ai-act-art-113-general-application/general-application" in x
    )
    assert line.startswith("FAIL") and "2026-08-02" in line
    relaxed = run("check", "--today", "2026-07-20", "--fail-within", "7d")
    line = next(
        x
        for x in relaxed.out.splitlines()
        if "ai-act-art-113-general-application/general-application" in x
    )
    assert line.startswith("WARN")


def test_dates_owed_only_by_public_bodies_do_not_fail_an_organisation() -> None:
    # The built-in registry as of 27 Nov 2026: the Commission missed the Art. 6(5) guidelines
    # (2 Feb 2026) and the Art. 56(9) codes of practice (owed_by: [commission] in an obligation
    # of providers); a hospital's or a provider's CI must not fail on them for ever.
    args = ("check", "--today", "2026-11-27", "-f", "json")
    findings = {
        f"{f['id']}/{f['milestone']}": f
        for f in json.loads(run(*args, "--exit-zero").out)["findings"]
    }
    for name in (
        "ai-act-art-6-guidelines/guidelines-due",
        "ai-act-art-56-codes-of-practice/codes-ready",
        "ai-act-art-70-national-authorities/contact-details-published",
        "pld-art-22-transposition/transposition",
    ):
        assert findings[name]["level"] == "pass", findings[name]
        assert "not by you" in findings[name]["reason"]
    # a provider's duty in the same obligation family still fails near its date
    assert findings["ai-act-art-50-transparency/legacy-generative-marking"]["level"] == "failure"
    # who holds the role is gated: a Member State's CI (or --role) fails on its transposition
    as_state = json.loads(run(*args, "--exit-zero", "--role", "member-state").out)["findings"]
    transposition = next(
        f
        for f in as_state
        if (f["id"], f["milestone"]) == ("pld-art-22-transposition", "transposition")
    )
    assert transposition["level"] == "failure"
    as_provider = json.loads(run(*args, "--exit-zero", "--role", "provider").out)["findings"]
    codes = next(
        f
        for f in as_provider
        if (f["id"], f["milestone"]) == ("ai-act-art-56-codes-of-practice", "codes-ready")
    )
    assert codes["level"] == "pass"  # a provider is named by the obligation, not by the date


def test_owed_by_must_name_roles_of_the_obligation(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "        status: fixed\n", "        status: fixed\n        owed_by: [commission]\n", 1
    )
    result = run("validate", str(write(tmp_path, text)))
    assert result.code == 2
    assert ".owed_by: commission not among the obligation's roles" in result.err
