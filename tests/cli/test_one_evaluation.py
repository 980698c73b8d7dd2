"""The eleven ways the views told different stories about one deadline (issue 24), each played as
the French hospital DPO who found it: a controller, deployer, essential entity and healthcare
provider, with a breach found at 23:10 in Paris on Friday 4 December 2026."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import BREACH, run, write
from tests.helpers import BREACH_EVENTS as EVENTS

ROLES = ("controller", "deployer", "essential-entity", "healthcare-provider")
NOTIFY = (BREACH, "notify-authority")


def hospital(folder: Path) -> Path:
    """`regtrack init` as the DPO ran it, and the events file of the breach: its path."""
    (folder / ".git").mkdir(exist_ok=True)
    roles = [word for role in ROLES for word in ("--role", role)]
    made = run("init", "--name", "CHU Exemple", "-j", "FR", *roles, "--sector", "health")
    assert made.code == 0, made.err
    return write(folder, EVENTS, "events.yaml")


def own(folder: Path, ident: str, title: str, dates: str) -> Path:
    """The hospital's own obligation `ident`, with `dates` (its `milestones:` or `recurrence:`
    lines), in its organisation file: the file's path."""
    config = folder / "regtrack.yaml"
    entry = (
        f"obligations:\n  - id: {ident}\n    title: {title}\n"
        "    regulation: {short: OWN, name: Ours, identifier: none}\n"
        "    citation: n/a\n    jurisdiction: FR\n    summary: Ours.\n"
        "    sources:\n      - {url: 'https://example.org', title: Own, official: false}\n" + dates
    )
    config.write_text(
        config.read_text("utf-8").replace("obligations: []\n", entry), encoding="utf-8"
    )
    return config


def records(*args: str) -> Any:
    result = run(*args, "-f", "json")
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def item(rows: list[dict[str, Any]], key: tuple[str, str]) -> dict[str, Any]:
    found = [r for r in rows if (r["id"], r["milestone"]) == key]
    assert len(found) == 1, (key, [(r["id"], r["milestone"]) for r in rows])
    return found[0]


def report_data(*args: str, out: Path) -> Any:
    result = run("report", *args, "-o", str(out))
    assert result.code == 0, result.err
    page = out.read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="regtrack-data">(.*?)</script>', page)
    assert data is not None
    return json.loads(data[1])


# 1. A deadline that ends at a time is filed under its last day and judged by its instant -----


def test_the_72_hours_end_with_monday_and_are_overdue_from_their_instant(tmp_path: Path) -> None:
    events = hospital(tmp_path)
    clock = run("clock", "gdpr-art-33-breach-notification", "--at", "2026-12-04T23:10",
                "--tz", "Europe/Paris", "--country", "FR")  # fmt: skip
    assert "Mon 2026-12-07 24:00 CET  Notify the supervisory authority" in clock.out
    monday = ("--events", str(events), "--today", "2026-12-07")
    row = item(records("upcoming", *monday), NOTIFY)
    assert (row["date"], row["days_left"], row["state"]) == ("2026-12-07", 0, "open")
    assert row["due_at"] == "2026-12-08T00:00:00+01:00" and row["time_zone"] == "Europe/Paris"
    late = item(records("upcoming", *monday, "--now", "2026-12-07T23:30+00:00"), NOTIFY)
    assert late["state"] == "overdue"  # 00:30 on Tuesday in Paris: the instant has passed
    tuesday = ("--events", str(events), "--today", "2026-12-08")
    for view in (
        records("upcoming", *tuesday),
        records("check", *tuesday)["findings"],
        records("timeline", *tuesday)["overdue"] + records("timeline", *tuesday)["period"],
        records("digest", *tuesday)["overdue"],
        report_data(*tuesday, out=tmp_path / "r.html")["upcoming"],
    ):
        assert item(view, NOTIFY)["state"] == "overdue"
        assert item(view, NOTIFY)["date"] == "2026-12-07"
    gate = run("check", *tuesday)
    assert f"[{BREACH}/notify-authority] overdue: was due by 2026-12-07 24:00 CET" in gate.out
    assert "due today" not in gate.out.split(BREACH)[1].splitlines()[0]


# 2. Commentary is never called the official text ---------------------------------------------


UNOFFICIAL = """\
schema: 1
obligations:
  - id: dpo-newsletter-deadline
    title: A deadline known from a law firm's newsletter
    regulation: {short: TEST, name: Test, identifier: none}
    citation: n/a
    jurisdiction: FR
    summary: Test data, not a legal fact.
    sources:
      - {url: "https://www.sipoch.com/news", title: Sipoch, official: false}
    milestones:
      - {id: due, kind: deadline, date: 2026-12-09, status: expected, verified: 2026-12-01}
"""


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "slack", "teams", "mattermost"])
def test_the_digest_never_calls_commentary_official(tmp_path: Path, fmt: str) -> None:
    registry = write(tmp_path, UNOFFICIAL)
    out = run("digest", "--no-builtin", "--registry", str(registry), "--today", "2026-12-04",
              "-f", fmt).out  # fmt: skip
    assert "sipoch.com" in out
    assert "official text" not in out and "source (not official)" in out
    assert "authoritative" not in out


# 3. `done` on an event of an events file breaks nothing ---------------------------------------


def test_done_on_an_event_of_an_events_file_breaks_no_later_run(tmp_path: Path) -> None:
    events = hospital(tmp_path)
    done = run("done", f"{BREACH}/notify-authority", "--events", str(events),
               "--evidence", "CNIL 2026-42", "--by", "DPO", "--today", "2026-12-07")  # fmt: skip
    assert done.code == 0, done.err
    day = ("--today", "2026-12-08")
    for command in (("upcoming", *day), ("check", *day), ("digest", *day),
                    ("show", "gdpr-art-33-breach-notification", *day), ("validate",)):  # fmt: skip
        result = run(*command)
        assert result.code == 0, (command, result.err)
    noted = run("validate", "regtrack.yaml")
    assert "note: event 'breach-2026-12-04'" in noted.err and "events file" in noted.err
    assert run("validate", "regtrack.yaml", str(events)).err == ""
    # with its events file, the deadline is done in every view
    with_events = ("--events", str(events), *day)
    assert NOTIFY not in {(r["id"], r["milestone"]) for r in records("upcoming", *with_events)}
    shown = records("show", BREACH, *with_events)
    assert (
        next(m for m in shown["milestones"] if m["id"] == "notify-authority")["standing"] == "done"
    )
    waivers = write(tmp_path, f"waivers:\n  - {{id: {BREACH}, by: DPO, reason: r, until: 2026-12-31}}\n",
                    "waivers.yaml")  # fmt: skip
    assert run("validate", str(waivers)).code == 0  # `check --events ... --waivers` accepts it
    assert run("check", "--events", str(events), "--waivers", str(waivers), *day).code in (0, 1)


# 4. A recurring duty that can never occur is an input error ------------------------------------


@pytest.mark.parametrize("rule", ["FREQ=YEARLY;BYMONTH=13", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"])
def test_a_duty_that_never_occurs_is_refused_with_file_and_line(tmp_path: Path, rule: str) -> None:
    hospital(tmp_path)
    own(
        tmp_path, "bad-rule", "Bad rule", f"    recurrence: {{rule: '{rule}', start: 2026-01-01}}\n"
    )
    for command in (("validate",), ("check", "-s", "Bad rule"), ("show", "bad-rule")):
        result = run(*command)
        assert result.code == 2, (command, result.out)
        assert re.search(
            r"regtrack\.yaml:\d+:\d+: obligations\[bad-rule\]\.recurrence\.rule: ", result.err
        )


# 5. Others' duties are never shown as yours ----------------------------------------------------


def test_duties_owed_by_others_are_never_overdue_for_you(tmp_path: Path) -> None:
    hospital(tmp_path)
    legacy = ("ai-act-art-50-transparency", "legacy-generative-marking")  # owed by providers
    day = ("--today", "2026-12-07")
    timeline = records("timeline", *day)
    row = item(timeline["overdue"] + timeline["period"], legacy)
    assert row["standing"] == "not-yours" and row["owed_by_you"] is False
    assert legacy not in {(r["id"], r["milestone"]) for r in timeline["overdue"]}
    assert "owed by provider, not by you" in run("timeline", *day).out
    for digest in (records("digest", *day), records("digest", "--today", "2026-11-30")):
        assert legacy not in {
            (r["id"], r["milestone"]) for k in ("overdue", "due") for r in digest[k]
        }
    assert digest["left_out_owed_by_others"] >= 1  # left out in the week it falls in, and said
    later = ("--today", "2027-04-30")
    assert "nis2-art-3-entity-lists" not in {
        r["id"] for r in records("timeline", *later)["overdue"]
    }
    dpf = ("eu-us-dpf-adequacy-2023-1795", "next-review")  # the Commission's, all of 2027
    digest = records("digest", *later)
    assert dpf not in {(r["id"], r["milestone"]) for k in ("due", "coming") for r in digest[k]}
    # the records for people and spreadsheets say whose it is
    csv = run("upcoming", *later, "-w", "1d", "-f", "csv").out
    assert "owed_by,owed_by_you" in csv.splitlines()[0] and "commission,false" in csv
    assert (
        "owed by commission, not by you"
        in run("upcoming", *later, "-w", "1d", "-f", "markdown").out
    )
    page = tmp_path / "r.html"
    report_data(*later, out=page)
    assert "owed by commission, not by you" in page.read_text(encoding="utf-8")


# 6. A waiver shows wherever its deadline does ------------------------------------------------


def test_a_waiver_is_marked_in_every_view(tmp_path: Path) -> None:
    events = hospital(tmp_path)
    waivers = write(tmp_path, f"waivers:\n  - {{id: {BREACH}, by: Jane Doe, reason: authority agreed, "
                    "until: 2026-12-31}\n", "waivers.yaml")  # fmt: skip
    for day in ("2026-12-07", "2026-12-08"):
        given = ("--events", str(events), "--waivers", str(waivers), "--today", day)
        views = [
            records("upcoming", *given),
            records("check", *given)["findings"],
            records("timeline", *given)["overdue"] + records("timeline", *given)["period"],
            [r for k in ("overdue", "clocks") for r in records("digest", *given)[k]],
            report_data(*given, out=tmp_path / "r.html")["upcoming"],
        ]
        for rows in views:
            row = item(rows, NOTIFY)
            assert row["waived"] is True and row["standing"] == "waived", day
            assert row["waiver"] == {"by": "Jane Doe", "reason": "authority agreed",
                                     "until": "2026-12-31", "expired": False}  # fmt: skip
        text = " ".join(run("upcoming", *given).out.split())
        assert "waived by Jane Doe until 2026-12-31: authority agreed" in text
        page = (tmp_path / "r.html").read_text(encoding="utf-8")
        assert f'data-id="{BREACH}/notify-authority" data-standing="waived"' in page
    # overdue and waived, it still leads upcoming, marked: it never vanishes
    lead = records("upcoming", "--events", str(events), "--waivers", str(waivers),
                   "--today", "2026-12-08", "-w", "1d")  # fmt: skip
    assert (lead[0]["id"], lead[0]["state"], lead[0]["standing"]) == (BREACH, "overdue", "waived")


# 7. `show` after `done` says done -------------------------------------------------------------


def test_show_after_done_says_done_not_overdue(tmp_path: Path) -> None:
    hospital(tmp_path)
    config = tmp_path / "regtrack.yaml"
    config.write_text(config.read_text("utf-8").replace("events: []\n", EVENTS), encoding="utf-8")
    assert (
        run("done", BREACH, "--evidence", "CNIL", "--by", "DPO", "--today", "2026-12-07").code == 0
    )
    shown = run("show", BREACH, "--today", "2026-12-08").out
    assert "Done on 2026-12-07 by DPO: CNIL" in shown
    line = next(x for x in shown.splitlines() if x.strip().startswith("2026-12-07"))
    assert "overdue" not in line and "done" in line


# 8. The digest looks as far ahead as the gate warns --------------------------------------------


def test_the_weekly_digest_shows_what_check_warns_about(tmp_path: Path) -> None:
    hospital(tmp_path)
    day = ("--today", "2026-07-20")
    digest = records("digest", *day)
    coming = {(r["id"], r["milestone"]) for r in digest["coming"]}
    assert ("ai-act-art-113-general-application", "general-application") in coming
    gate = records("check", *day)["findings"]
    warned = {(f["id"], f["milestone"]) for f in gate if f["level"] in ("warning", "failure")}
    shown = {(r["id"], r["milestone"]) for k in ("overdue", "clocks", "due", "applies", "expected", "coming") for r in digest[k]}  # fmt: skip
    assert warned <= shown
    # rules that start to apply are not "due"
    assert not [r for r in digest["due"] if r["kind"] == "applies"]
    text = run("digest", *day).out
    assert "Rules that start to apply by 2026-07-27" in text and "Coming up:" in text
    # every view says which window it shows
    assert (
        "Upcoming as of 2026-07-20: overdue, then from 2026-07-20 to 2026-10-18"
        in run("upcoming", *day).out
    )
    page = tmp_path / "r.html"
    report_data(*day, out=page)
    assert "Upcoming from 2026-07-20 to 2027-06-30" in page.read_text(encoding="utf-8")


# 9. The NIS2 clock invents no date --------------------------------------------------------------


def test_the_report_on_an_ongoing_incident_waits_for_the_end_of_its_handling(
    tmp_path: Path,
) -> None:
    hospital(tmp_path)
    incident = "  - {id: inc-7, obligation: nis2-art-23-incident-reporting, at: 2026-12-04T10:00, tz: Europe/Paris, country: FR}\n"  # fmt: skip
    events = write(tmp_path, "events:\n" + incident, "incidents.yaml")
    ids = {
        r["milestone"]
        for r in records("upcoming", "--events", str(events), "--today", "2026-12-04", "-w", "1y")
        if r["id"] == "nis2-art-23-incident-reporting@inc-7"
    }
    assert "final-report-ongoing-incident" not in ids and "final-report" in ids
    handled = incident.replace(
        "}\n", ", triggers: [{name: incident-handled, at: 2027-01-20T17:00}]}\n"
    )
    events.write_text("events:\n" + handled, encoding="utf-8")
    rows = records("upcoming", "--events", str(events), "--today", "2026-12-04", "-w", "1y")
    ongoing = item(rows, ("nis2-art-23-incident-reporting@inc-7", "final-report-ongoing-incident"))
    assert ongoing["date"] == "2027-02-22"  # a month after 20 January: Saturday, so Monday
    typo = incident.replace(
        "}\n", ", triggers: [{name: incident-handeld, at: 2027-01-20T17:00}]}\n"
    )
    events.write_text("events:\n" + typo, encoding="utf-8")
    refused = run("validate", str(events))
    assert refused.code == 2 and "did you mean 'incident-handled'?" in refused.err


# 10. upcoming --all and check --all say the same of the DSPT -----------------------------------


def test_upcoming_and_check_agree_on_every_date_with_all(tmp_path: Path) -> None:
    hospital(tmp_path)
    day = ("--all", "--today", "2026-12-07")
    shown = {(r["id"], r["milestone"]): r["standing"] for r in records("upcoming", *day)}
    checked = {(f["id"], f["milestone"]): f for f in records("check", *day)["findings"]}
    dspt = ("uk-nhs-dspt-2025-26", "full-assessment-published")
    assert shown[dspt] == checked[dspt]["standing"] == "overdue"
    # NHS England set the day (issue 26: fixed, no longer expected): the gate fails
    assert checked[dspt]["level"] == "failure"
    for key, standing in shown.items():
        assert checked[key]["standing"] == standing, key


# 11. Smaller ones ----------------------------------------------------------------------------


def test_done_with_nothing_due_asks_for_the_occurrence_by_name(tmp_path: Path) -> None:
    hospital(tmp_path)
    rule = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"
    config = own(tmp_path, "yearly-review", "Yearly review",
                 f"    recurrence: {{rule: '{rule}', start: 2027-03-01}}\n")  # fmt: skip
    before = config.read_bytes()
    result = run("done", "yearly-review", "--evidence", "x", "--by", "DPO", "--today", "2026-12-07")
    assert result.code == 2 and config.read_bytes() == before
    assert "no occurrence due by 2026-12-07; its next one is 2027-03-01" in result.err
    assert "--occurrence 2027-03-01" in result.err


def test_an_ambiguous_or_missing_local_time_names_both_readings(tmp_path: Path) -> None:
    result = run("clock", "gdpr-art-33-breach-notification", "--at", "2026-10-25T02:30",
                 "--tz", "Europe/Paris")  # fmt: skip
    assert result.code == 2
    assert "02:30 CEST (+02:00, 00:30 UTC) or 02:30 CET (+01:00, 01:30 UTC)" in result.err
    gap = run("clock", "gdpr-art-33-breach-notification", "--at", "2026-03-29T02:30",
              "--tz", "Europe/Paris")  # fmt: skip
    assert gap.code == 2 and "does not exist in Europe/Paris" in gap.err
    events = write(tmp_path, EVENTS.replace("2026-12-04T23:10", "2026-10-25T02:30"), "events.yaml")
    located = run("validate", str(events))
    assert (
        located.code == 2
        and "events.yaml:4:9: events[0].at: 2026-10-25T02:30 happens twice" in located.err
    )


def test_an_event_in_the_future_has_not_started(tmp_path: Path) -> None:
    events = hospital(tmp_path)
    text = run("digest", "--events", str(events), "--today", "2026-12-04",
               "--now", "2026-12-04T12:00+01:00").out  # fmt: skip
    assert "not started: the event is dated 2026-12-04 23:10 CET, after now" in text
    assert "h left" not in text.split("not started")[0].splitlines()[-1]


def test_the_gate_words_its_days(tmp_path: Path) -> None:
    hospital(tmp_path)
    own(tmp_path, "own-deadline", "Own deadline", (
        "    milestones:\n"
        "      - {id: d, kind: deadline, date: 2026-03-02, status: fixed, verified: 2026-01-01}\n"
        "      - {id: e, kind: deadline, date: 2026-12-08, status: fixed, verified: 2026-01-01}\n"
        "      - {id: p, kind: expected, date: 2026-12-09, status: expected, verified: 2026-01-01}\n"
    ))  # fmt: skip
    gate = run("check", "-s", "Own deadline", "--today", "2026-12-07", "--warn-within", "1d",
               "--fail-within", "1d").out  # fmt: skip
    assert re.search(r"\[own-deadline/d\] overdue: was due by 2026-03-02$", gate, re.M)
    assert "due in 1 day (2026-12-08); fails within 1 day" in gate
    assert "in 1 days" not in gate and "within 1 days" not in gate
    digest = run("digest", "-s", "Own deadline", "--today", "2026-12-07").out
    assert (
        "expected · expected" not in digest and "publication or decision · date expected" in digest
    )


def test_a_waived_annotation_points_at_its_waiver(tmp_path: Path) -> None:
    events = hospital(tmp_path)
    waivers = write(tmp_path, f"waivers:\n  - {{id: {BREACH}, by: DPO, reason: agreed, until: 2026-12-31}}\n",
                    "waivers.yaml")  # fmt: skip
    out = run("check", "--events", str(events), "--waivers", str(waivers), "--today", "2026-12-07",
              "-f", "github").out  # fmt: skip
    line = next(x for x in out.splitlines() if BREACH in x)
    assert line.startswith("::notice ") and "file=waivers.yaml,line=2" in line


def test_today_is_its_first_instant_in_the_machine_s_time_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 00:00 on 8 December in Tokyo is 16:00 on the 7th in Paris: the 72 hours have 8 left
    import time

    events = hospital(tmp_path)
    day = ("--events", str(events), "--today", "2026-12-08")
    assert item(records("upcoming", *day), NOTIFY)["state"] == "overdue"  # UTC: 01:00 in Paris
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    assert item(records("upcoming", *day), NOTIFY)["state"] == "open"
    digest = run("digest", *day).out
    assert "2026-12-07 24:00 CET · 8 h left" in digest
