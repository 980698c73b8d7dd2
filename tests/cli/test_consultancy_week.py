"""A consultancy's whole story, from a clean folder (issue 25): fifteen client organisations
added with `init --client`, the firm's baseline and a client's own override, a Monday (the gate
across every client, each client's digest mailed to a real SMTP server on 127.0.0.1 and the
firm's to the firm, one report read in headless Chromium at 1280 and 390 px, a calendar per
client and a merged one), then a registry update and whom of the clients it touches. Each step
asserts what the consultant, a client's DPO or a program would read, and the views are checked
against each other: the clients a change touches are the clients `show` says it applies to."""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
from lxml import etree

from tests.formats.test_check_formats import VENDOR
from tests.helpers import run
from tests.smtp import Inbox, smtp_server

MONDAY = ("--today", "2026-12-07")
# (name, display name, jurisdiction, roles, sectors, tags, contact): six French clinics, an NHS
# trust, a medtech start-up making an AI medical device, a German hospital, a Dutch insurer, a
# Belgian research institute, a Spanish telehealth company, an Irish cloud provider, an Italian
# pharma company and a French laboratory
FIFTEEN = [
    ("clinique-paris", "Clinique de Paris", "FR", ("controller", "deployer"), ("health",), ("clinic", "fr"), "dpo@paris.example"),
    ("clinique-lyon", "Clinique de Lyon", "FR", ("controller",), ("health",), ("clinic", "fr"), "dpo@lyon.example"),
    ("clinique-lille", "Clinique de Lille", "FR", ("controller",), ("health",), ("clinic", "fr"), "dpo@lille.example"),
    ("clinique-nantes", "Clinique de Nantes", "FR", ("controller", "deployer"), ("health",), ("clinic", "fr"), "dpo@nantes.example"),
    ("clinique-bordeaux", "Clinique de Bordeaux", "FR", ("controller",), ("health",), ("clinic", "fr"), "dpo@bordeaux.example"),
    ("clinique-marseille", "Clinique de Marseille", "FR", ("controller", "essential-entity"), ("health",), ("clinic", "fr"), "dpo@marseille.example"),
    ("nhs-trust", "Riverside NHS Trust", "UK", ("controller", "healthcare-provider"), ("health",), ("nhs", "uk"), "ig@riverside.example"),
    ("medtech", "Medtech SAS", "FR", ("provider", "manufacturer"), ("health",), ("ai", "fr"), "qa@medtech.example"),
    ("klinikum", "Klinikum Nord", "DE", ("controller", "essential-entity", "healthcare-provider"), ("health",), ("de",), "dsb@klinikum.example"),
    ("verzekeraar", "Zorgverzekeraar NV", "NL", ("controller", "financial-entity"), ("finance",), ("finance",), "fg@verzekeraar.example"),
    ("onderzoek", "Onderzoeksinstituut", "BE", ("controller", "health-data-user"), ("research", "health"), ("research",), "dpo@onderzoek.example"),
    ("telesalud", "Telesalud SL", "ES", ("controller", "processor", "deployer"), ("health", "digital"), ("ai",), "dpd@telesalud.example"),
    ("cloud-ie", "Cloud Health Ltd", "IE", ("processor", "data-processing-service-provider"), ("digital",), ("cloud",), ""),
    ("farmaco", "Farmaco SpA", "IT", ("controller", "manufacturer"), ("life-sciences", "health"), ("pharma",), "rpd@farmaco.example"),
    ("laboratoire", "Laboratoire Central", "FR", ("controller", "healthcare-provider"), ("health",), ("fr",), "dpo@labo.example"),
]  # fmt: skip
NAMES = [c[0] for c in FIFTEEN]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FIRM = "firm: {name: Acme DPO Services, contacts: [team@acme.example]}"


def _add_the_clients() -> None:
    for name, display, place, roles, sectors, tags, contact in FIFTEEN:
        args = ["init", "--client", name, "--name", display, "-j", place]
        args += [w for role in roles for w in ("--role", role)]
        args += [w for sector in sectors for w in ("--sector", sector)]
        args += [w for tag in tags for w in ("--tag", tag)]
        args += ["--contact", contact] if contact else []
        made = run(*args)
        assert made.code == 0, made.err
        assert made.err.startswith(f"portfolio.yaml: added client {name}, with its organisation")


def _set_up_the_firm(folder: Path) -> None:
    """What the consultant edits by hand: the firm (the line init left commented), a baseline
    every client inherits, and the pharma company's own word on the device vigilance duty."""
    portfolio = folder / "portfolio.yaml"
    text = portfolio.read_text(encoding="utf-8")
    commented = re.search(r"^# firm: .*$", text, re.MULTILINE)
    assert commented is not None  # init says how
    text = text.replace(commented[0], FIRM)
    text += "baseline:\n  overrides:\n    - {id: gdpr-art-35-dpia, owner: Acme DPO Services}\n"
    portfolio.write_text(text, encoding="utf-8")
    pharma = folder / "clients" / "farmaco" / "regtrack.yaml"
    own = pharma.read_text(encoding="utf-8")
    assert "\noverrides: []\n" in own
    pharma.write_text(
        own.replace(
            "\noverrides: []\n",
            "\noverrides:\n  - {id: mdr-art-87-vigilance, applicable: false, reason: "
            '"we make medicinal products, not devices"}\n',
        ),
        encoding="utf-8",
    )


def _parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _applies_to(obligation: str) -> list[str]:
    data = json.loads(run("show", obligation, *MONDAY, "-f", "json").out)
    return [c["client"] for c in data["clients"] if c["found"] and c["applies"]]


def test_a_consultancy_s_week_from_a_clean_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the consultancy's repository
    _add_the_clients()
    _set_up_the_firm(tmp_path)
    valid = run("validate")
    assert valid.code == 0, valid.err
    assert "portfolio.yaml: valid portfolio file (15 clients" in valid.out

    # the baseline reaches every client; a client's own word wins
    dpia = json.loads(run("show", "gdpr-art-35-dpia", *MONDAY, "-f", "json").out)
    assert {c["client"]: c["owner"] for c in dpia["clients"] if c["applies"]} == {
        n: "Acme DPO Services" for n in NAMES if n not in ("nhs-trust", "cloud-ie", "medtech")
    }  # UK GDPR has its own Art. 35 entry; the DPIA is a controller's duty
    vigilance = json.loads(run("show", "mdr-art-87-vigilance", *MONDAY, "-f", "json").out)
    said = {c["client"]: (c["applies"], c["why"]) for c in vigilance["clients"]}
    assert said["medtech"][0] is True
    assert said["farmaco"][0] is False
    assert "we make medicinal products, not devices" in " ".join(said["farmaco"][1])

    # Monday: the gate across every client exits with the worst, and says who fails
    gate = run("check", *MONDAY)
    assert gate.code == 1
    last = gate.out.splitlines()[-1]
    assert last.startswith("regtrack check of 15 clients as of 2026-12-07: ")
    failing = last.split("failing: ", 1)[1].split(", ")
    assert "medtech" in failing and set(failing) <= set(NAMES)
    heads = [line for line in gate.out.splitlines() if line.startswith("== ")]
    assert [h.split(":")[0][3:] for h in heads] == NAMES  # every client, named, with its profile
    report = json.loads(run("check", *MONDAY, "-f", "json").out)
    assert [c["organisation"] for c in report["clients"]] == NAMES
    assert sorted(c["organisation"] for c in report["clients"] if c["failed"]) == sorted(failing)
    junit = etree.fromstring(run("check", *MONDAY, "-f", "junit").out.encode("utf-8"))
    etree.XMLSchema(etree.parse(str(VENDOR / "junit-10.xsd"))).assertValid(junit)
    assert len(junit.findall("testsuite")) == 15
    sarif = json.loads(run("check", *MONDAY, "-f", "sarif").out)
    assert [r["automationDetails"]["id"] for r in sarif["runs"]] == [
        f"regtrack/{n}/" for n in NAMES
    ]

    # each client's digest to its DPO, the firm's to the firm; the cloud provider has no contact
    inbox = Inbox()
    with smtp_server(inbox) as port:
        sent = run(
            "digest", *MONDAY, "--mail-contacts", "--mail-from", "regtrack@acme.example",
            "--smtp", f"127.0.0.1:{port}", "--smtp-security", "none",
        )  # fmt: skip
    assert sent.code == 0, sent.err
    assert "regtrack: warning: cloud-ie: not mailed: it has no contacts in portfolio.yaml" in (
        sent.err
    )
    to = [recipients for _, recipients, _ in inbox.messages]
    assert to == [[c[6]] for c in FIFTEEN if c[6]] + [["team@acme.example"]]
    medtech = next(m for _, r, m in inbox.messages if r == ["qa@medtech.example"])
    own = run("digest", *MONDAY, "--client", "medtech", "--mail-to", "qa@medtech.example",
              "--mail-from", "regtrack@acme.example", "--dry-run")  # fmt: skip
    assert medtech.replace(b"\r\n", b"\n").decode() == own.out  # what its own run sends
    firm = _parsed(inbox.messages[-1][2])
    assert firm["Subject"].startswith("regtrack digest for Acme DPO Services, 2026-12-07: 15 ")
    plain = firm.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "cloud-ie: " in text and "not mailed: no contacts in portfolio.yaml" in text
    assert text.count("    mailed to ") == 14
    rich = firm.get_body(("html",))
    assert rich is not None
    (tmp_path / "firm-digest.html").write_text(rich.get_content(), encoding="utf-8")

    # one report for the firm
    made = run("report", *MONDAY, "-o", "portfolio.html")
    assert made.code == 0 and "wrote portfolio.html: 15 clients" in made.err

    # calendars: one per client, each its own name and UIDs, and a merged one
    first = run("export", "ics", *MONDAY, "-o", "calendars/{client}.ics")
    assert first.code == 2 and first.err == (
        "regtrack: error: cannot write calendars/clinique-paris.ics: there is no folder "
        "calendars (make it first)\n"
    )
    (tmp_path / "calendars").mkdir()
    cal = run("export", "ics", *MONDAY, "-o", "calendars/{client}.ics")
    assert cal.code == 0, cal.err
    uids: dict[str, set[str]] = {}
    names = set()
    for name in NAMES:
        calendar = icalendar.Calendar.from_ical(
            (tmp_path / "calendars" / f"{name}.ics").read_bytes()
        )
        names.add(str(calendar["X-WR-CALNAME"]))
        uids[name] = {str(e["UID"]) for e in calendar.walk("VEVENT")}
        assert uids[name], name  # GDPR dates at least: nobody's calendar is silently empty
    assert len(names) == 15
    every = [u for found in uids.values() for u in found]
    assert len(every) == len(set(every))  # no UID shared by two clients
    merged = icalendar.Calendar.from_ical(run("export", "ics", *MONDAY).out.encode("utf-8"))
    assert sorted(str(e["UID"]) for e in merged.walk("VEVENT")) == sorted(every)

    # a registry update: the AI Act's new Art. 5 bans moved, the NHS DSPT entry new
    from regtrack.registry import builtin_path

    current = builtin_path().read_text(encoding="utf-8")
    old = current.replace("date: 2026-12-02", "date: 2026-11-02", 1)
    start = old.index("  - id: uk-nhs-dspt-2025-26")
    old = old[:start] + old[old.index("\n  - id: ", start + 10) + 1 :]
    (tmp_path / "previous.yaml").write_text(old, encoding="utf-8")
    impact = json.loads(run("diff", "previous.yaml", str(builtin_path()), "-f", "json").out)
    bans = next(c for c in impact["milestones"] if c["id"] == "ai-act-art-5-new-prohibitions")
    touched = [c["organisation"] for c in bans["clients"]]
    # the clients a change touches are those `show` says the obligation applies to
    assert touched == _applies_to("ai-act-art-5-new-prohibitions")
    assert set(touched) == {"clinique-paris", "clinique-nantes", "medtech", "telesalud"}
    dspt = next(o for o in impact["added"] if o["id"] == "uk-nhs-dspt-2025-26")
    assert [c["organisation"] for c in dspt["clients"]] == ["nhs-trust"]
    week = json.loads(run("digest", *MONDAY, "-f", "json", "--previous", "previous.yaml").out)
    told = {c["client"] for c in week["clients"] if c["changes"] is not None}
    assert told == {*touched, "nhs-trust"}  # each client hears of what touches it, and only that

    # last, as a person reads them: the firm's report and its digest, on a desk and a phone
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does)")
    _read_in_chromium(tmp_path / "portfolio.html", tmp_path / "firm-digest.html")


def _read_in_chromium(report: Path, digest: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        try:
            for width in (1280, 390):
                page: Any = browser.new_page(viewport={"width": width, "height": 900})
                page.on("request", lambda request: requests.append(request.url))
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(report.as_uri())
                assert page.locator("#matrix tbody tr").count() == 15
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.fill("#filter", "dspt")  # the NHS trust's two (interim, full), nobody else's
                shown = page.locator("table.deadlines tbody tr:visible")
                assert shown.count() == 2 and "uk-nhs-dspt" in shown.first.inner_text()
                page.click('#matrix a[href="#client-farmaco"]')
                assert page.locator("#client-farmaco").is_visible()
                mail = browser.new_page(viewport={"width": width, "height": 900})
                mail.on("request", lambda request: requests.append(request.url))
                mail.goto(digest.as_uri())
                assert mail.evaluate("document.documentElement.scrollWidth") <= width
                assert mail.locator('a[href="#client-cloud-ie"]').count() == 1
                page.close()
                mail.close()
        finally:
            browser.close()
    assert not errors
    assert set(requests) == {report.as_uri(), digest.as_uri()}  # nothing left either page
