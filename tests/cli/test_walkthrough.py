"""A hospital DPO's whole story, from a clean folder (issue 13): init with a typo, init right,
validate, upcoming (overdue first), a breach, done on its 72-hour deadline, check with a
waiver, the board report with the same waiver, the calendar. Each step asserts what the DPO
reads."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar

from tests.helpers import run

REVIEW = """\
obligations:
  - id: dpia-review-triage-ai
    title: Yearly review of the DPIA of the AI triage tool
    regulation: {short: GDPR, name: Regulation (EU) 2016/679, identifier: CELEX:32016R0679}
    citation: Art. 35(11)
    jurisdiction: FR
    roles: [controller]
    summary: Review the DPIA of the triage tool; update it when the risk changes.
    sources:
      - {url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj", title: "GDPR, Art. 35(11)"}
    recurrence:
      rule: FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1   # 1 March 2026 is a Sunday: Monday 2 March
      start: 2026-03-01
      adjust: next-working-day
      country: FR
"""
BREACH = """\
events:
  - id: breach-1
    obligation: gdpr-art-33-breach-notification
    at: 2026-11-30T09:00
    tz: Europe/Paris
    country: FR
    reference: INC-42
"""
WAIVERS = """\
waivers:
  - id: dpia-review-triage-ai
    milestone: "2026-03-01"
    by: Jane Doe (DPO)
    reason: review postponed to the new tool version, see PRIV-42
    until: 2026-12-31
"""
DAY = ("--today", "2026-12-04")
PROFILE = ("--name", "Hôpital Exemple", "-j", "FR", "--role", "deployer", "--sector", "health")
BREACH_DEADLINE = "gdpr-art-33-breach-notification@breach-1/notify-authority"


def edit(path: Path, old: str, new: str) -> None:
    """What the DPO does in an editor."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_hospital_dpo_from_a_clean_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / "regtrack.yaml"

    # a typo in the role is refused with the word meant, and nothing is written
    typo = run("init", *PROFILE, "--role", "controler")
    assert typo.code == 2
    assert "--role: 'controler' is not a known role (did you mean 'controller'?" in typo.err
    assert not config.exists()

    made = run("init", *PROFILE, "--role", "controller")
    assert made.code == 0, made.err
    assert "wrote regtrack.yaml" in made.err and "essential-entity" in made.err  # NIS2 hint
    assert run("validate", "regtrack.yaml").out == (
        "regtrack.yaml: valid organisation file (0 own obligations, 0 overrides, 0 waivers, "
        "0 events, 0 done)\n"
    )

    # the yearly review of the triage tool's DPIA, never recorded: overdue, and shown first
    edit(config, "obligations: []\n", REVIEW)
    monday = run("upcoming", *DAY, "--within", "14d")
    assert monday.code == 0, monday.err
    rows = monday.out.splitlines()
    assert rows[0] == "Upcoming as of 2026-12-04: overdue, then from 2026-12-04 to 2026-12-18"
    assert rows[3].startswith("2026-03-02") and "overdue" in rows[3]
    assert "Nothing due" not in monday.out

    # a breach, found on Monday 30 November at 9:00 in Paris: 72 hours to notify the CNIL
    edit(config, "events: []\n", BREACH)
    gate = run("check", *DAY)
    assert gate.code == 1
    assert f"[{BREACH_DEADLINE}] overdue: was due by 2026-12-03" in gate.out
    assert "[dpia-review-triage-ai/2026-03-01] overdue" in gate.out
    # the warning: the CNIL's multi-factor authentication date for health research (issue 26)
    assert re.search(r": 2 failed, 1 warned, 0 waived, \d+ passed", gate.out)

    # naming the obligation alone says which deadline to name, and writes nothing
    before = config.read_bytes()
    vague = run("done", "gdpr-art-33-breach-notification", "--evidence", "x", "--by", "J", *DAY)
    assert vague.code == 2 and BREACH_DEADLINE in vague.err
    assert config.read_bytes() == before
    notified = run(
        "done",
        "gdpr-art-33-breach-notification@breach-1",
        "--evidence",
        "CNIL notification 2026-42",
        "--by",
        "Jane Doe (DPO)",
        "--on",
        "2026-12-02",
        *DAY,
    )
    assert notified.code == 0, notified.err
    assert f"recorded {BREACH_DEADLINE} (due 2026-12-03) as done on 2026-12-02" in notified.err
    assert config.read_text(encoding="utf-8").endswith(
        "done:\n  - id: gdpr-art-33-breach-notification@breach-1\n"
        '    milestone: "notify-authority"\n    on: 2026-12-02\n    by: "Jane Doe (DPO)"\n'
        '    evidence: "CNIL notification 2026-42"\n'
    )
    assert BREACH_DEADLINE not in run("check", *DAY).out

    # the review is postponed, on the record: the gate is green and says why
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    waived = run("check", *DAY, "--waivers", str(waivers))
    assert waived.code == 0, waived.out
    assert "waived by Jane Doe (DPO) until 2026-12-31: review postponed" in waived.out
    totals = re.search(r"0 failed, 1 warned, 1 waived, \d+ passed", waived.out)
    assert totals

    # the board report says what the gate says, with the same waiver
    page = tmp_path / "report.html"
    report = run("report", *DAY, "--waivers", str(waivers), "-o", str(page))
    assert report.code == 0, report.err
    html = page.read_text(encoding="utf-8")
    assert f"Check as of 2026-12-04: {totals[0]}" in html
    assert "Hôpital Exemple — FR · deployer, controller · health" in html
    assert "review postponed to the new tool version, see PRIV-42" in html

    # the calendar keeps the notification with its evidence, at the hour it was due
    feed = tmp_path / "deadlines.ics"
    assert run("export", "ics", *DAY, "-o", str(feed)).code == 0
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    breach = [e for e in calendar.walk("VEVENT") if "INC-42" in str(e.get("SUMMARY"))]
    assert len(breach) == 1
    assert "Done on 2026-12-02 by Jane Doe (DPO): CNIL notification 2026-42" in str(
        breach[0].get("DESCRIPTION")
    )
    assert breach[0].decoded("DTEND").isoformat() == "2026-12-03T10:00:00+01:00"
