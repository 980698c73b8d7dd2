"""A consultancy with many client organisations (issue 25): one portfolio file, every client's
own organisation file, and `check` and `upcoming` across all of them, each item naming its
organisation; the other commands name one client. Played from a clean folder, with the
outputs fed to their consumers (the JUnit XSD, the SARIF schema) and compared item by item
with each client's own run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.formats.test_check_formats import VENDOR, github_problems
from tests.helpers import run, write

DAY = ("--today", "2026-12-07")
# (name, display name, jurisdiction, roles, tags): clinics, an NHS trust, an AI medical-device
# maker, a German hospital, a Dutch insurer
CLIENTS = [
    ("clinique-a", "Clinique A", "FR", ("controller", "deployer"), ("clinic", "fr")),
    ("clinique-b", "Clinique B", "FR", ("controller",), ("clinic", "fr")),
    ("nhs-trust", "NHS Trust", "UK", ("controller", "healthcare-provider"), ("nhs", "uk")),
    ("medtech", "Medtech SAS", "FR", ("provider", "manufacturer"), ("ai", "fr")),
    ("klinikum", "Klinikum", "DE", ("controller", "essential-entity"), ("de",)),
    ("verzekeraar", "Verzekeraar", "NL", ("controller", "financial-entity"), ("finance",)),
]


def consultancy(folder: Path, clients: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]
                = CLIENTS, baseline: str = "") -> Path:  # fmt: skip
    """A consultancy's repository: a folder per client made with `regtrack init`, and the
    portfolio file; its path."""
    (folder / ".git").mkdir(exist_ok=True)
    entries = []
    for name, display, place, roles, tags in clients:
        own = folder / "clients" / name
        own.mkdir(parents=True)
        made = run("init", "-o", str(own / "regtrack.yaml"), "--name", display, "-j", place,
                   *[w for role in roles for w in ("--role", role)], "--sector", "health")  # fmt: skip
        assert made.code == 0, made.err
        entries.append(
            f"  - {{name: {name}, config: clients/{name}/regtrack.yaml, "
            f"contacts: [dpo@{name}.example], tags: [{', '.join(tags)}]}}\n"
        )
    return write(
        folder,
        "schema: 1\nfirm: {name: Acme DPO Services, contacts: [team@acme.example]}\nclients:\n"
        + "".join(entries)
        + baseline,
        "portfolio.yaml",
    )


def test_check_runs_for_every_client_and_exits_with_the_worst(tmp_path: Path) -> None:
    consultancy(tmp_path)
    gate = run("check", *DAY)
    # the AI device maker's Art. 50(2) marking is overdue, and the trust's DSPT assessment
    # (30 June 2026, set by NHS England: fixed since issue 26, so the gate fails on it)
    assert gate.code == 1
    assert "== medtech: Medtech SAS — FR · provider, manufacturer · health" in gate.out
    assert "FAIL   [medtech] 2026-12-02 AI Act" in gate.out
    last = gate.out.splitlines()[-1]
    assert re.match(r"regtrack check of 6 clients as of 2026-12-07: \d+ failed", last)
    assert last.endswith("failing: nhs-trust, medtech")
    # the clinics alone pass
    clinics = run("check", *DAY, "--clients", "clinic")
    assert clinics.code == 0, clinics.out
    assert "== clinique-a" in clinics.out and "medtech" not in clinics.out
    assert run("check", *DAY, "--client", "clinique-*").out == clinics.out


def test_every_record_names_its_organisation(tmp_path: Path) -> None:
    consultancy(tmp_path)
    data = json.loads(run("check", *DAY, "-f", "json").out)
    assert [c["organisation"] for c in data["clients"]] == [c[0] for c in CLIENTS]
    assert data["failed"] is True and [
        c["organisation"] for c in data["clients"] if c["failed"]
    ] == ["nhs-trust", "medtech"]
    assert {f["organisation"] for f in data["findings"]} == {c[0] for c in CLIENTS}
    rows = json.loads(run("upcoming", *DAY, "-w", "30d", "-f", "json").out)
    assert rows and all(r["organisation"] in {c[0] for c in CLIENTS} for r in rows)
    csv = run("upcoming", *DAY, "-w", "30d", "-f", "csv").out.splitlines()
    assert csv[0].startswith("organisation,date,")
    # one list, overdue first then by date, opening with whose profiles; every row names its
    # client (the first line of its cell on 80 columns, a column of its own when wider)
    table = run("upcoming", *DAY, "-w", "30d").out
    for name, display, *_ in CLIENTS:
        assert f"\n  {name}: {display} — " in table
    cells = re.findall(r"^\d{4}\S*\s+(?:overdue|today|\d+)\s+(\S+)", table, re.MULTILINE)
    assert cells and all(re.fullmatch(r"\[[a-z-]+\]", c) for c in cells), cells
    wide = run("upcoming", *DAY, "-w", "30d", env={"COLUMNS": "140"}).out
    assert re.search(r"^Date +Days +Client +Regulation", wide, re.MULTILINE)
    assert len(re.findall(r"^\d{4}", wide, re.MULTILINE)) == len(cells) == len(rows)
    days = re.findall(r"^(\d{4}-\d\d-\d\d) +(overdue|today|\d+) ", wide, re.MULTILINE)
    late = [d for d, left in days if left == "overdue"]
    assert days[: len(late)] == [(d, "overdue") for d in sorted(late)]  # overdue first, by date
    markdown = run("upcoming", *DAY, "-w", "30d", "-f", "markdown").out
    assert "- `nhs-trust`: NHS Trust — UK · controller, healthcare-provider · health" in markdown
    assert "| Date | Days | Client | Regulation |" in markdown
    assert markdown.count("| `nhs-trust` |") == sum(r["organisation"] == "nhs-trust" for r in rows)
    github = run("check", *DAY, "-f", "github").out
    assert "::error title=medtech%3A AI Act Art. 50; Art. 111(4)%3A 2026-12-02 (failure)" in github


def test_junit_and_sarif_have_a_suite_and_a_run_per_client(tmp_path: Path) -> None:
    from lxml import etree

    consultancy(tmp_path)
    xml = run("check", *DAY, "-f", "junit").out
    schema = etree.XMLSchema(etree.parse(str(VENDOR / "junit-10.xsd")))
    document = etree.fromstring(xml.encode("utf-8"))
    assert schema.validate(document), schema.error_log
    suites = document.findall("testsuite")
    assert [s.get("name").split(":")[0] for s in suites] == [c[0] for c in CLIENTS]
    names = [case.get("name") for case in document.iter("testcase")]
    assert len(names) == len(set(names))  # GitLab keeps only the first case of a name
    log = json.loads(run("check", *DAY, "-f", "sarif").out)
    jsonschema.Draft4Validator(
        json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    ).validate(log)
    assert github_problems(log) == []
    assert [r["automationDetails"]["id"] for r in log["runs"]] == [
        f"regtrack/{c[0]}/" for c in CLIENTS
    ]
    for run_ in log["runs"]:
        client = run_["properties"]["organisation"]
        for result in run_["results"]:
            assert result["properties"]["organisation"] == client
            location = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            assert location == f"clients/{client}/regtrack.yaml"  # its own file in the repository


def _without_organisation(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "organisation"} for r in records]


def _unnamed(value: Any) -> Any:
    """`value` without the `organisation` a portfolio's run names each item by (a digest's
    own `organisation`, its profile's name, stays)."""
    if isinstance(value, dict):
        return {
            k: _unnamed(v) for k, v in value.items() if not (k == "organisation" and "id" in value)
        }
    if isinstance(value, list):
        return [_unnamed(v) for v in value]
    return value


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(st.sampled_from(CLIENTS), min_size=1, max_size=4, unique_by=lambda c: c[0]),
       st.sampled_from(["2026-07-20", "2026-12-07", "2027-04-30"]))  # fmt: skip
def test_each_client_s_items_are_its_own_run_s(
    tmp_path_factory: pytest.TempPathFactory, clients: list[Any], day: str
) -> None:
    import contextlib

    folder = tmp_path_factory.mktemp("portfolio")
    consultancy(folder, clients)
    with contextlib.chdir(folder):
        data = json.loads(run("check", "--today", day, "-f", "json").out)
        rows = json.loads(run("upcoming", "--today", day, "-w", "60d", "-f", "json").out)
        digests = json.loads(run("digest", "--today", day, "-f", "json").out)
        charts = json.loads(run("timeline", "--today", day, "-f", "json").out)
        shown = json.loads(
            run("show", "gdpr-art-33-breach-notification", "--today", day, "-f", "json").out
        )
        for name, *_ in clients:
            alone = ("--config", f"clients/{name}/regtrack.yaml", "--today", day, "-f", "json")
            own = json.loads(run("check", *alone).out)
            mine = [f for f in data["findings"] if f["organisation"] == name]
            assert _without_organisation(mine) == own["findings"], name
            summary = next(c for c in data["clients"] if c["organisation"] == name)
            assert summary["counts"] == own["counts"] and summary["failed"] == own["failed"]
            listed = json.loads(run("upcoming", *alone, "-w", "60d").out)
            assert _without_organisation([r for r in rows if r["organisation"] == name]) == listed
            # the digest, the timeline and show: each client's part is its own run's
            week = next(c for c in digests["clients"] if c["client"] == name)
            mine_week = {k: v for k, v in week.items() if k not in ("client", "contacts")}
            assert _unnamed(mine_week) == json.loads(run("digest", *alone).out)
            chart = json.loads(run("timeline", *alone).out)
            for part in ("overdue", "period"):
                found = [r for r in charts[part] if r["organisation"] == name]
                assert _unnamed(found) == chart[part], (name, part)
            one = next(c for c in shown["clients"] if c["client"] == name)
            own_show = json.loads(run("show", "gdpr-art-33-breach-notification", *alone).out)
            assert (
                _unnamed({k: v for k, v in one.items() if k not in ("client", "profile", "found")})
                == own_show
            )


def test_the_baseline_is_every_client_s(tmp_path: Path) -> None:
    baseline = (
        "baseline:\n  overrides:\n"
        "    - {id: ai-act-art-50-transparency, owner: Acme AI practice}\n"
        "  waivers:\n"
        "    - {id: ai-act-art-50-transparency, milestone: legacy-generative-marking, by: Acme,"
        " reason: marking done for every client, until: 2026-12-31}\n"
    )
    consultancy(tmp_path, CLIENTS[:4], baseline)
    gate = run("check", *DAY)
    # the firm's waiver holds for the device maker
    marking = next(x for x in gate.out.splitlines() if "legacy-generative-marking" in x)
    assert marking.startswith("WAIVED [medtech]") and "marking done for every client" in marking
    own = tmp_path / "clients" / "medtech" / "regtrack.yaml"
    # a client's own override replaces the firm's
    own.write_text(own.read_text("utf-8").replace(
        "overrides: []\n", "overrides:\n  - {id: ai-act-art-50-transparency, owner: In-house}\n"
    ), encoding="utf-8")  # fmt: skip

    def owner(client: str) -> str:
        listed = run("list", *DAY, "--client", client, "-f", "json", "-r", "AI Act", "--all")
        assert listed.code == 0, listed.err
        return str(
            next(o for o in json.loads(listed.out) if o["id"] == "ai-act-art-50-transparency")[
                "owner"
            ]
        )

    assert owner("medtech") == "In-house"
    assert owner("clinique-a") == "Acme AI practice"


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda t: t.replace("clients/medtech/regtrack.yaml", "clients/gone/regtrack.yaml"),
         r"portfolio\.yaml:\d+:1: clients\[3\]\.config: medtech: no organisation file"),
        (lambda t: t.replace("name: klinikum", "name: clinique-a"),
         r"portfolio\.yaml:\d+:\d+: clients\[4\]\.name: duplicate client 'clinique-a'"),
        (lambda t: t.replace("clients/medtech/regtrack.yaml", "portfolio.yaml"),
         r"this is a portfolio file .* \(client medtech\)"),
        (lambda t: t + "baseline:\n  overrides:\n    - {id: ai-act-art-50-transparnecy, owner: X}\n",
         r"portfolio\.yaml:\d+:1: baseline\.overrides\[0\]\.id: no obligation 'ai-act-art-50-transparnecy' "
         r"\(did you mean: ai-act-art-50-transparency"),
        (lambda t: t.replace("dpo@medtech.example", "dpo at medtech"),
         r"clients\[3\]\.contacts\[0\]: 'dpo at medtech' is not an e-mail address"),
    ],
)  # fmt: skip
def test_bad_portfolios_are_one_located_line_each_and_write_nothing(
    tmp_path: Path, edit: Any, says: str
) -> None:
    path = consultancy(tmp_path)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for command in (
        ("check", *DAY),
        ("upcoming", *DAY),
        ("validate",),
        ("check", *DAY, "-o", "r.txt"),
    ):
        result = run(*command)
        assert result.code == 2, (command, result.out)
        assert re.search(says, result.err), (command, result.err)
        assert "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_one_broken_client_holds_back_no_other_and_is_named(tmp_path: Path) -> None:
    consultancy(tmp_path)
    own = tmp_path / "clients" / "clinique-b" / "regtrack.yaml"
    own.write_text(own.read_text("utf-8").replace("[controller]", "[controler]"), "utf-8")
    gate = run("check", *DAY)
    assert gate.code == 2  # worse than the medtech failure: an input is wrong
    heads = [x.split(":")[0] for x in gate.out.splitlines() if x.startswith("== ")]
    assert heads == ["== " + c[0] for c in CLIENTS if c[0] != "clinique-b"]
    said = gate.err.splitlines()
    assert said[0] == (
        "regtrack: 1 of 6 clients not evaluated (their files have the problems below; the "
        "others' results are above): clinique-b"
    )
    assert re.match(r"clients/clinique-b/regtrack\.yaml:\d+:\d+: profile\.roles\[0\]: "
                    r"'controler' is not a known role .*\(client clinique-b\)$", said[1])  # fmt: skip
    # a report file is never written without a client that should be in it
    assert run("check", *DAY, "-o", "r.txt").code == 2 and not (tmp_path / "r.txt").exists()
    week = run("digest", *DAY, "-f", "json")
    assert week.code == 2
    data = json.loads(week.out)
    assert [c["client"] for c in data["clients"]] == [c[0] for c in CLIENTS if c[0] != "clinique-b"]
    assert [b["client"] for b in data["not_evaluated"]] == ["clinique-b"]
    assert data["headline"].startswith("6 clients: 1 not evaluated, ")
    # the client named alone is an error; a problem every client shares stops the run
    alone = run("check", *DAY, "--client", "clinique-b")
    assert alone.code == 2 and alone.out == ""
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(portfolio.read_text("utf-8") + "baseline:\n  overrides:\n"
                         "    - {id: no-such-obligation, owner: X}\n", "utf-8")  # fmt: skip
    shared = run("check", *DAY)
    assert shared.code == 2 and shared.out == "" and "baseline.overrides[0].id" in shared.err


def test_choosing_clients_that_do_not_exist_is_an_error(tmp_path: Path) -> None:
    consultancy(tmp_path)
    typo = run("check", *DAY, "--client", "clinique-c")
    assert typo.code == 2 and "did you mean 'clinique-b'?" in typo.err
    tag = run("check", *DAY, "--clients", "clinics")
    assert tag.code == 2 and "did you mean 'clinic'?" in tag.err
    elsewhere = run("check", *DAY, "--client", "x", "--config", "clients/medtech/regtrack.yaml")
    assert elsewhere.code == 2 and "chooses clients of a portfolio" in elsewhere.err


def test_from_the_portfolio_s_root_no_command_runs_for_no_one(tmp_path: Path) -> None:
    consultancy(tmp_path)
    one = run("list", *DAY)
    assert one.code == 2 and "runs for one client of a portfolio at a time so far" in one.err
    assert run("list", *DAY, "--client", "medtech").code == 0
    charts = run("timeline", *DAY).out  # a chart per client
    assert [x for x in charts.splitlines() if x.startswith("== ")] == [
        f"== {name}: {display} — {place} · {', '.join(roles)} · health"
        for name, display, place, roles, _ in CLIENTS
    ]
    period = json.loads(run("timeline", *DAY, "-f", "json").out)["period"]
    assert {r["organisation"] for r in period} <= {c[0] for c in CLIENTS} and period
    show = run("show", "ai-act-art-50-transparency").out  # whom of the clients it binds
    assert "Across the portfolio: applies to 2 of 6 clients" in show
    clock = run("clock", "gdpr-art-33-breach-notification", "--at", "2026-12-04T10:00")
    assert clock.code == 2 and "is a portfolio" in clock.err and "--config" in clock.err
    valid = run("validate")
    assert valid.code == 0, valid.err
    assert (
        "portfolio.yaml: valid portfolio file (6 clients, each organisation file valid" in valid.out
    )
    # inside a client's folder, its own organisation file is the scope
    import contextlib

    with contextlib.chdir(tmp_path / "clients" / "medtech"):
        alone = run("check", *DAY)
        assert alone.code == 1 and "[medtech]" not in alone.out and "== " not in alone.out


def test_the_portfolio_schema_accepts_what_validate_accepts(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = consultancy(tmp_path, CLIENTS[:2])
    schema = write(tmp_path, run("schema", "portfolio").out, "portfolio.schema.json")
    tool = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run([str(tool), "--schemafile", str(schema), str(path)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    path.write_text(
        path.read_text("utf-8").replace("name: clinique-b", "name: Clinique B"), "utf-8"
    )
    assert run("validate").code == 2
    refused = subprocess.run([str(tool), "--schemafile", str(schema), str(path)],
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert refused.returncode == 1


def test_calendars_per_client_and_merged_keep_clients_apart(tmp_path: Path) -> None:
    import icalendar

    consultancy(tmp_path, CLIENTS[:3])
    (tmp_path / "calendars").mkdir()
    made = run("export", "ics", *DAY, "-o", "calendars/{client}.ics")
    assert made.code == 0, made.err
    names, uids = {}, {}
    for name, display, *_ in CLIENTS[:3]:
        data = (tmp_path / "calendars" / f"{name}.ics").read_bytes()
        calendar = icalendar.Calendar.from_ical(data)
        names[name] = str(calendar["X-WR-CALNAME"])
        assert names[name] == f"regtrack: {display} compliance deadlines"
        uids[name] = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    # GDPR's dates are every client's: the same milestone is a different event for each
    assert (
        not (uids["clinique-a"] & uids["clinique-b"]) and uids["clinique-a"] and uids["clinique-b"]
    )
    merged = icalendar.Calendar.from_ical(run("export", "ics", *DAY).out.encode("utf-8"))
    events = merged.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == set().union(*uids.values())
    assert len(events) == sum(len(u) for u in uids.values())  # no UID twice
    assert all(
        re.match(r"\[(clinique-a|clinique-b|nhs-trust)\] ", str(e["SUMMARY"])) for e in events
    )
    # the same inputs, the same bytes: subscriptions converge
    before = {p.name: p.read_bytes() for p in (tmp_path / "calendars").iterdir()}
    again = run(
        "export",
        "ics",
        *DAY,
        "-o",
        "calendars/{client}.ics",
        "--previous",
        "calendars/{client}.ics",
    )
    assert again.code == 0, again.err
    assert {p.name: p.read_bytes() for p in (tmp_path / "calendars").iterdir()} == before


def test_the_digest_across_clients_names_each(tmp_path: Path) -> None:
    consultancy(tmp_path, CLIENTS[:4])
    text = run("digest", *DAY).out
    heads = [line for line in text.splitlines() if line.startswith("== ")]
    assert heads == [f"== {c[0]}" for c in CLIENTS[:4]]
    assert "regtrack digest for Medtech SAS, 2026-12-07:" in text
    data = json.loads(run("digest", *DAY, "-f", "json").out)
    assert [c["client"] for c in data["clients"]] == [c[0] for c in CLIENTS[:4]]
    alone = json.loads(
        run("digest", *DAY, "-f", "json", "--config", "clients/medtech/regtrack.yaml").out
    )

    def plain(value: Any) -> Any:  # the same, without the names a portfolio adds
        if isinstance(value, dict):
            return {
                k: plain(v)
                for k, v in value.items()
                if k not in ("client", "contacts") and not (k == "organisation" and "id" in value)
            }
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    assert plain(data["clients"][3]) == alone
    page = run("digest", *DAY, "-f", "html").out  # the firm's: every client's, one table
    assert [f'href="#client-{c[0]}"' in page for c in CLIENTS[:4]] == [True] * 4


def _plain(value: Any) -> Any:
    """A report's entries without the `organisation` a portfolio's run names them by."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "organisation"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _data(page: Path) -> Any:
    found = re.search(
        r'<script type="application/json" id="regtrack-data">(.*?)</script>',
        page.read_text(encoding="utf-8"),
    )
    assert found is not None
    return json.loads(found[1])


def test_one_report_for_the_firm_with_a_client_matrix(tmp_path: Path) -> None:
    consultancy(tmp_path, CLIENTS[:4])
    made = run("report", *DAY, "-o", "portfolio.html")
    assert made.code == 0 and "wrote portfolio.html: 4 clients" in made.err
    page = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    matrix = page.split('<table id="matrix">', 1)[1].split("</table>", 1)[0]
    for name, *_ in CLIENTS[:4]:
        assert f'<a href="#client-{name}">{name}</a>' in matrix
        assert f'<section id="client-{name}" class="client">' in page
    assert '<tr class="week"><td><a href="#client-medtech">' in matrix  # it fails: marked
    data = _data(tmp_path / "portfolio.html")
    for client in data["clients"]:
        assert run("report", *DAY, "--client", client["organisation"], "-o", "one.html").code == 0
        alone = _data(tmp_path / "one.html")
        assert _plain(client) == _plain(alone)


@pytest.mark.skipif(
    __import__("shutil").which("chromium") is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run does)",
)
def test_the_firm_s_report_in_headless_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    import shutil

    consultancy(tmp_path, CLIENTS[:4])
    assert run("report", *DAY, "-o", "portfolio.html").code == 0
    out = tmp_path / "portfolio.html"
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.on("request", lambda request: requests.append(request.url))
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(out.as_uri())
                assert page.locator("#matrix tbody tr").count() == 4
                every = page.locator("table.deadlines tbody tr").count()
                assert every > 0 and page.inner_text("#shown") == str(every)
                page.fill("#filter", "dspt")  # the NHS trust's two (interim, full), nobody else's
                visible = page.locator("table.deadlines tbody tr:visible")
                assert visible.count() == 2 and page.inner_text("#shown") == "2"
                assert "uk-nhs-dspt" in visible.first.inner_text()
                page.screenshot(path=str(tmp_path / f"portfolio-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
    assert not errors
    assert set(requests) == {out.as_uri()}  # nothing left the page


def test_a_change_in_the_law_says_which_clients_it_touches(tmp_path: Path) -> None:
    from regtrack.registry import builtin_path

    consultancy(tmp_path)
    text = builtin_path().read_text(encoding="utf-8")
    # the registry as it was: the AI Act's new Art. 5 bans a month earlier, the DSPT entry not
    # there yet
    old = text.replace("date: 2026-12-02", "date: 2026-11-02", 1)
    start = old.index("  - id: uk-nhs-dspt-2025-26")
    end = old.index("\n  - id: ", start + 10)
    write(tmp_path, old[:start] + old[end + 1 :], "old.yaml")
    data = json.loads(run("diff", "old.yaml", str(builtin_path()), "-f", "json").out)
    bans = next(c for c in data["milestones"] if c["id"] == "ai-act-art-5-new-prohibitions")
    assert [c["organisation"] for c in bans["clients"]] == ["clinique-a", "medtech"]
    assert "it binds deployer" in bans["clients"][0]["why"]
    dspt = next(o for o in data["added"] if o["id"] == "uk-nhs-dspt-2025-26")
    assert [c["organisation"] for c in dspt["clients"]] == ["nhs-trust"]
    table = run("diff", "old.yaml", str(builtin_path())).out
    assert "Clients each change applies to" in table and "nhs-trust: UK law applies in UK" in table
    csv = run("diff", "old.yaml", str(builtin_path()), "-f", "csv").out.splitlines()
    assert csv[0].endswith(",clients") and any(line.endswith(",nhs-trust") for line in csv)
    markdown = run("diff", "old.yaml", str(builtin_path()), "-f", "markdown").out
    assert "(`uk-nhs-dspt-2025-26`) — clients: `nhs-trust`" in markdown
    only = run("diff", "old.yaml", str(builtin_path()), "-f", "json", "--client", "medtech").out
    bans = next(c for c in json.loads(only)["milestones"] if c["id"].startswith("ai-act-art-5-"))
    assert [c["organisation"] for c in bans["clients"]] == ["medtech"]
