"""What regtrack shows, checks and records agree (issue 13): one test per behaviour that a DPO
found saying one thing and doing another."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from regtrack.registry import builtin_path
from tests.helpers import FIXTURE, HERE, run, write

ORGANISATION = (HERE / "fixtures" / "regtrack.yaml").read_text(encoding="utf-8")
HOSPITAL = ["--role", "controller", "--role", "deployer"]


def organisation(folder: Path, text: str = ORGANISATION) -> Path:
    """The fixture organisation file as ./regtrack.yaml of a repository."""
    (folder / ".git").mkdir(exist_ok=True)
    return write(folder, text, "regtrack.yaml")


# 1. File kinds are known from the content, not guessed by the command ------------------------


def test_validate_reads_the_organisation_file_it_is_given(tmp_path: Path) -> None:
    config = organisation(tmp_path)
    result = run("validate", str(config))
    assert result.code == 0, result.err
    assert f"{config}: valid organisation file (1 own obligation" in result.out
    assert "unknown field" not in result.err


def test_waivers_and_events_are_read_from_an_organisation_file(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    config = organisation(other)
    # not the discovered organisation file: only the waivers and events given are used
    waived = run(
        "check", "--waivers", str(config), "--today", "2025-01-20", "-r", "AI Act", "-f", "json"
    )
    assert waived.code in (0, 1), waived.err
    levels = {(f["id"], f["milestone"]): f["level"] for f in json.loads(waived.out)["findings"]}
    assert levels[("ai-act-art-4-ai-literacy", "applies")] == "waived"
    events = run("upcoming", "--events", str(config), "--today", "2026-11-27", "-f", "json")
    assert events.code == 0, events.err
    ids = {row["id"] for row in json.loads(events.out)}
    assert "gdpr-art-33-breach-notification@breach-2026-11" in ids


def test_the_organisation_file_given_again_is_read_once(tmp_path: Path) -> None:
    config = organisation(tmp_path)
    result = run("upcoming", "--events", str(config), "--waivers", str(config), "-f", "json")
    assert result.code == 0, result.err  # no "duplicate event id"
    rows = [r for r in json.loads(result.out) if r["id"].endswith("@breach-2026-11")]
    assert len(rows) == len({r["milestone"] for r in rows})


@pytest.mark.parametrize(
    ("option", "text", "kind", "use"),
    [
        ("--config", None, "a registry", "--registry FILE"),
        ("--registry", ORGANISATION, "an organisation file", "--config FILE"),
        ("--events", "waivers: []\n", "a waivers file", "--waivers FILE"),
        ("--waivers", "events: []\n", "an events file", "--events FILE"),
        ("--waivers", (HERE / "fixtures" / "registry.yaml").read_text("utf-8"), "a registry", ""),
    ],
)
def test_a_file_of_another_kind_is_one_line_naming_it(
    tmp_path: Path, option: str, text: str | None, kind: str, use: str
) -> None:
    path = builtin_path() if text is None else write(tmp_path, text, "given.yaml")
    result = run("upcoming", option, str(path))
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert f"{path}:" in lines[0] and f"this is {kind}" in lines[0]
    assert f"pass it with {use}" in lines[0]


@pytest.mark.parametrize("first", ["upcoming", "validate"])
def test_one_file_read_as_two_kinds_never_shares_a_cache_entry(tmp_path: Path, first: str) -> None:
    mine = write(tmp_path, ORGANISATION, "mine.yaml")
    upcoming = ("upcoming", "--config", str(mine), "--today", "2026-11-27")
    validate = ("validate", str(mine))
    order = [upcoming, validate] if first == "upcoming" else [validate, upcoming]
    for command in order * 2:  # twice: the second round reads what the first one cached
        result = run(*command)
        assert result.code == 0, (command, result.err)


# 2. A filter that names nothing is an error, not a green gate ---------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-j", "France"], "did you mean 'FR'?"),
        (["--role", "controler"], "did you mean 'controller'?"),
        (["-r", "AI-Act"], "did you mean 'AI Act'?"),
        (["-t", "helth"], "did you mean 'health'?"),
        (["--law", "XX"], "not a known jurisdiction"),
    ],
)
@pytest.mark.parametrize("command", ["check", "upcoming", "list", "report"])
def test_a_filter_that_names_nothing_is_an_input_error(
    command: str, args: list[str], says: str
) -> None:
    result = run(command, *args)
    assert result.code == 2
    assert says in result.err and len(result.err.splitlines()) == 1


def test_a_selection_that_matches_nothing_fails_the_gate_as_an_input_error(tmp_path: Path) -> None:
    nothing = run("check", "-r", "DORA", "-s", "no such words anywhere")
    assert nothing.code == 2 and "matches no obligation" in nothing.err
    organisation(tmp_path)
    foreign = run("check", "-r", "DORA", "--today", "2026-11-27")  # a hospital: DORA is finance
    assert foreign.code == 2
    assert "matches no obligation that applies to you" in foreign.err and "--all" in foreign.err


# 3. -j FR means what applies in France, EU law included ---------------------------------------


def test_jurisdiction_filter_means_what_the_profile_means() -> None:
    day = ("--today", "2026-07-25")
    france = run("check", *HOSPITAL, "-j", "FR", *day)
    both = run("check", *HOSPITAL, "-j", "EU", "-j", "FR", *day)
    assert france.code == both.code == 1
    assert "ai-act-art-50-transparency/applies" in france.out
    assert france.out == both.out
    national = run("list", "--law", "FR", "-f", "json")
    assert national.code == 0, national.err
    assert {o["jurisdiction"] for o in json.loads(national.out)} == {"FR"}


# 4. The profile's words come from one closed vocabulary ---------------------------------------


def test_init_refuses_a_misspelt_role_or_sector_and_writes_nothing() -> None:
    for option, value, hint in (
        ("--role", "controler", "controller"),
        ("--sector", "helth", "health"),
    ):
        result = run("init", option, value)
        assert result.code == 2 and f"did you mean {hint!r}?" in result.err
        assert not Path("regtrack.yaml").exists()


def test_a_misspelt_profile_or_registry_role_is_located(tmp_path: Path) -> None:
    config = organisation(tmp_path, ORGANISATION.replace("sectors: [health]", "sectors: [helth]"))
    result = run("validate", str(config))
    assert result.code == 2
    line = ORGANISATION.splitlines().index("  sectors: [health]") + 1
    assert re.match(rf"{re.escape(str(config))}:{line}:\d+: profile.sectors\[0\]: ", result.err)
    assert "did you mean 'health'?" in result.err
    registry = write(tmp_path, FIXTURE.read_text("utf-8").replace("[controller]", "[controler]"))
    located = run("validate", str(registry))
    assert located.code == 2 and ".roles[0]: 'controler' is not a known role" in located.err


def test_every_role_and_sector_is_listed_in_help() -> None:
    from regtrack.vocabulary import ROLES, SECTORS

    init = run("init", "--help", env={"COLUMNS": "400"})
    text = " ".join(init.out.split())
    assert all(role in text for role in ROLES) and all(sector in text for sector in SECTORS)


# 5. What is overdue is always visible ---------------------------------------------------------


def test_upcoming_leads_with_the_overdue_breach_notification(tmp_path: Path) -> None:
    organisation(tmp_path)
    args = ("--today", "2026-12-04")
    gate = run("check", *args)
    assert gate.code == 1
    assert "gdpr-art-33-breach-notification@breach-2026-11/notify-authority" in gate.out
    shown = run("upcoming", *args, "--within", "7d")
    assert shown.code == 0, shown.err
    assert "Nothing due" not in shown.out
    first_row = shown.out.splitlines()[3]
    assert first_row.startswith("2026-11-29") and "overdue" in first_row
    rows = json.loads(run("upcoming", *args, "--within", "7d", "-f", "json").out)
    late = [(r["id"], r["milestone"]) for r in rows if r["state"] == "overdue"]
    assert ("gdpr-art-33-breach-notification@breach-2026-11", "notify-authority") in late
    hidden = json.loads(run("upcoming", *args, "-w", "7d", "-f", "json", "--no-overdue").out)
    assert not [r for r in hidden if r["state"] == "overdue"]


def _deadline(ident: str, date: str, status: str, kind: str = "deadline") -> str:
    return f"""  - id: {ident}
    title: Obligation {ident}
    regulation: {{short: NHS, name: Test requirement, identifier: none}}
    citation: n/a
    jurisdiction: UK
    summary: Test data, not a legal fact.
    sources:
      - {{url: https://example.org/{ident}, title: Source, official: false}}
    milestones:
      - {{id: m, kind: {kind}, date: {date}, status: {status}, verified: 2026-11-27}}
"""


def test_a_passed_date_that_was_only_expected_leads_upcoming_as_check_warns_on_it(
    tmp_path: Path,
) -> None:
    # The DSPT's 30 June is `expected` (an NHS requirement, not law): once it has passed,
    # `check` warns that it has; a DPO reading `upcoming` must see it too, not an empty lead.
    text = "schema: 1\nobligations:\n" + "".join(
        (
            _deadline("fixed-passed", "2026-05-01", "fixed"),
            _deadline("expected-passed", "2026-06-30", "expected"),
            _deadline("proposed-passed", "2026-Q3", "proposed"),
            _deadline("publication-passed", "2026-07-01", "expected", kind="expected"),
            _deadline("expected-waived", "2026-06-01", "expected"),
            _deadline("expected-later", "2027-06-30", "expected"),
        )
    )
    registry = write(tmp_path, text)
    waivers = write(
        tmp_path,
        "waivers:\n  - {id: expected-waived, by: DPO, reason: submitted, until: 2027-01-31}\n",
        "waivers.yaml",
    )
    args = (
        "--no-builtin",
        "--registry",
        str(registry),
        "--waivers",
        str(waivers),
        "--today",
        "2026-12-02",
    )
    gate = json.loads(run("check", *args, "-f", "json").out)
    flagged = [
        (f["id"], f["level"])
        for f in gate["findings"]
        if f["rule"] == "overdue" and f["level"] != "waived"
    ]
    assert flagged == [
        ("fixed-passed", "failure"),
        ("expected-passed", "warning"),
        ("proposed-passed", "warning"),
    ]
    rows = json.loads(run("upcoming", *args, "-w", "7d", "-f", "json").out)
    # a waived one leads too, marked waived: it vanished without a trace (issue 24)
    assert [(r["id"], r["state"], r["standing"], r["status"]) for r in rows] == [
        ("fixed-passed", "overdue", "overdue", "fixed"),
        ("expected-waived", "overdue", "waived", "expected"),
        ("expected-passed", "overdue", "overdue", "expected"),
        ("proposed-passed", "overdue", "overdue", "proposed"),
    ]
    table = run("upcoming", *args, "-w", "7d").out
    assert "expected-passed · deadline · expected" in table
    assert "expected-waived · deadline · expected · waived by DPO until 2027-01-31" in " ".join(
        table.split()
    )
    assert "publication-passed" not in table
    assert run("upcoming", *args, "-w", "7d", "--no-overdue").out.count("overdue") == 0


def test_an_overdue_yearly_review_is_shown(tmp_path: Path) -> None:
    organisation(
        tmp_path, ORGANISATION.replace("BYMONTH=12;BYMONTHDAY=15", "BYMONTH=3;BYMONTHDAY=1")
    )
    rows = json.loads(run("upcoming", "--today", "2026-12-04", "-w", "7d", "-f", "json").out)
    assert ("dpia-review-triage-ai", "2026-03-01", "overdue") in {
        (r["id"], r["milestone"], r["state"]) for r in rows
    }


# 6. done closes any open deadline, and only that -----------------------------------------------


def test_done_names_the_event_deadline_instead_of_the_2018_milestone(tmp_path: Path) -> None:
    config = organisation(tmp_path)
    before = config.read_bytes()
    plain = run("done", "gdpr-art-33-breach-notification", "--evidence", "x", "--by", "J")
    assert plain.code == 2
    assert "gdpr-art-33-breach-notification@breach-2026-11/notify-authority" in plain.err
    assert config.read_bytes() == before
    applies = run("done", "gdpr-art-33-breach-notification/applies", "--evidence", "x", "--by", "J")
    assert applies.code == 2 and "in force, not done" in applies.err
    assert config.read_bytes() == before
    done = run(
        "done",
        "gdpr-art-33-breach-notification@breach-2026-11",
        "--evidence",
        "CNIL notification 2026-117",
        "--by",
        "Jane Doe",
        "--today",
        "2026-11-28",
    )
    assert done.code == 0, done.err
    assert "recorded gdpr-art-33-breach-notification@breach-2026-11/notify-authority" in done.err
    gate = run("check", "--today", "2026-12-04", "-f", "json")
    findings = {(f["id"], f["milestone"]): f for f in json.loads(gate.out)["findings"]}
    assert ("gdpr-art-33-breach-notification@breach-2026-11", "notify-authority") not in findings
    assert run("validate", str(config)).code == 0


def test_done_takes_an_occurrence_by_the_day_it_moved_to(tmp_path: Path) -> None:
    # 1 March 2026 is a Sunday: the occurrence moves to Monday 2 March, as upcoming shows
    config = organisation(
        tmp_path, ORGANISATION.replace("BYMONTH=12;BYMONTHDAY=15", "BYMONTH=3;BYMONTHDAY=1")
    )
    shown = json.loads(run("upcoming", "--today", "2026-02-20", "-w", "30d", "-f", "json").out)
    assert ("2026-03-01", "2026-03-02") in {
        (r["milestone"], r["date"]) for r in shown if r["id"] == "dpia-review-triage-ai"
    }
    result = run(
        "done", "dpia-review-triage-ai", "--occurrence", "2026-03-02", "--evidence", "v3",
        "--by", "J", "--today", "2026-03-02",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert 'milestone: "2026-03-01"' in config.read_text("utf-8")


def test_done_refuses_a_day_after_today_and_show_prints_the_names(tmp_path: Path) -> None:
    config = organisation(tmp_path)
    before = config.read_bytes()
    future = run("done", "gdpr-art-33-breach-notification@breach-2026-11", "--evidence", "x",
                 "--by", "J", "--today", "2026-11-28", "--on", "2030-01-01")  # fmt: skip
    assert future.code == 2 and "--on: 2030-01-01 is after today" in future.err
    assert config.read_bytes() == before
    shown = run("show", "gdpr-art-33-breach-notification@breach-2026-11", "--today", "2026-11-27")
    assert "id: gdpr-art-33-breach-notification@breach-2026-11/notify-authority" in shown.out


# 7. --registry adds to the organisation's registries ------------------------------------------


def test_registry_option_adds_to_the_builtin_registry(tmp_path: Path) -> None:
    organisation(tmp_path)  # builtin: true, and overrides of built-in ids
    result = run("list", "--registry", str(FIXTURE), "-f", "json", "--all")
    assert result.code == 0, result.err
    ids = {o["id"] for o in json.loads(result.out)}
    assert {"test-applies-day", "gdpr-art-35-dpia"} <= ids
    alone = run("list", "--no-builtin", "--registry", str(FIXTURE), "-f", "json", "--config",
                str(write(tmp_path, "schema: 1\n", "empty.yaml")))  # fmt: skip
    assert alone.code == 0, alone.err
    assert {o["id"] for o in json.loads(alone.out)} == {
        "test-applies-day", "test-quarter-expected", "test-deadline-amended",
        "test-standing-duty", "test-year-review",
    }  # fmt: skip


# 8. The board report says what the gate says --------------------------------------------------


@pytest.mark.parametrize("through", ["option", "environment"])
def test_report_counts_what_check_counts(tmp_path: Path, through: str) -> None:
    organisation(tmp_path)
    waivers = write(
        tmp_path,
        "waivers:\n  - {id: gdpr-art-33-breach-notification@breach-2026-11, by: Jane Doe,\n"
        "     reason: authority granted more time, until: 2026-12-31}\n",
        "waivers.yaml",
    )
    given = (
        (["--waivers", str(waivers)], None)
        if through == "option"
        else ([], {"REGTRACK_WAIVERS": str(waivers)})
    )
    day = ("--today", "2026-12-04")
    gate = run("check", *day, *given[0], env=given[1])
    totals = re.search(r"(\d+) failed, (\d+) warned, (\d+) waived, (\d+) passed", gate.out)
    assert totals and int(totals[3]) >= 1, gate.out
    report = run("report", *day, *given[0], "-o", str(tmp_path / "r.html"), env=given[1])
    assert report.code == 0, report.err
    page = (tmp_path / "r.html").read_text("utf-8")
    assert totals[0] in page
    assert (
        "Hôpital Exemple" in page and "Jane Doe" in page and "authority granted more time" in page
    )


# 9. A provider-only duty does not fail a deployer ---------------------------------------------


def test_a_provider_only_duty_does_not_fail_a_deployer() -> None:
    day = ("--today", "2026-12-01", "-r", "AI Act", "-f", "json")
    deployer = json.loads(run("check", "--role", "deployer", *day).out)["findings"]
    provider = json.loads(run("check", "--role", "provider", *day).out)["findings"]

    def level(findings: list[dict[str, str]]) -> str:
        return next(
            f["level"]
            for f in findings
            if (f["id"], f["milestone"])
            == ("ai-act-art-50-transparency", "legacy-generative-marking")
        )

    assert level(deployer) == "pass" and level(provider) == "failure"
