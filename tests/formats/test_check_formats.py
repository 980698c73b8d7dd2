"""Check reports read back by what consumes them: junitparser, the SARIF 2.1.0 schema, a parser of
GitHub workflow commands that reverses the toolkit's escaping."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from regtrack.formats import CHECK_FORMATS, CheckFormat, CheckRenderer, check_renderer
from regtrack.formats.github import escape_data, escape_property
from tests.helpers import FIXTURE, NODE, consumer, run, write

VENDOR = Path(__file__).resolve().parent.parent / "vendor"
WAIVERS = """\
waivers:
  - {id: test-deadline-amended, milestone: due, by: Jane, reason: handled, until: 2026-12-31}
"""


def report(tmp_path: Path, fmt: str, *extra: str, registry: Path = FIXTURE) -> str:
    waivers = write(tmp_path, WAIVERS, "waivers.yaml")
    result = run(
        "check",
        "--no-builtin",
        "--registry",
        str(registry),
        "--today",
        "2026-07-20",
        "--waivers",
        str(waivers),
        "-f",
        fmt,
        *extra,
    )
    assert result.code == 1, result.err
    return result.out


def test_every_check_format_has_a_renderer() -> None:
    assert set(CHECK_FORMATS) == set(CheckFormat)
    for fmt in CheckFormat:
        assert callable(check_renderer(fmt).render_check)
    assert "render_check" in dir(CheckRenderer)


def test_junit_read_by_junitparser(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(report(tmp_path, "junit"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    [suite] = list(xml)
    cases = {case.name: case for case in suite}
    assert len(cases) == suite.tests == 5  # one per checked milestone, names unique
    failing = cases["test-applies-day/applies 2026-08-02"]
    [failure] = failing.result
    assert isinstance(failure, Failure) and failure.type == "applies-soon"
    assert "applies in 13 days" in failure.message
    [skipped] = cases["test-deadline-amended/due 2026-03"].result
    assert (
        isinstance(skipped, Skipped)
        and "waived by Jane until 2026-12-31: handled" in skipped.message
    )
    assert cases["test-applies-day/old-date 2025-02-02"].is_passed
    assert suite.failures == 1 and suite.skipped == 1 + sum(
        1 for case in cases.values() for r in case.result if "warning:" in (r.message or "")
    )


@pytest.mark.parametrize("copy", ["junit-10.xsd", "junit-10-pytest.xsd"])
def test_junit_is_valid_against_the_jenkins_xunit_schema(tmp_path: Path, copy: str) -> None:
    """Both copies of junit-10.xsd in use: the xunit plug-in's own, and the one pytest checks
    its JUnit against (issue 28)."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(VENDOR / copy)))
    inside = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "registry.yaml")  # in the repo
    for registry in (FIXTURE, inside):
        document = etree.fromstring(report(tmp_path, "junit", registry=registry).encode("utf-8"))
        assert schema.validate(document), schema.error_log
    outs = [e.text for e in document.iter("system-out")]
    assert outs and all(text.startswith("registry: registry.yaml:") for text in outs)


def test_junit_warnings_and_waivers_are_text_a_person_sees(tmp_path: Path) -> None:
    from lxml import etree

    document = etree.fromstring(report(tmp_path, "junit").encode("utf-8"))
    skipped = {
        case.get("name"): case.find("skipped").text
        for case in document.iter("testcase")
        if case.find("skipped") is not None
    }
    assert skipped["test-deadline-amended/due 2026-03"].startswith(
        "waived: waived by Jane until 2026-12-31: handled"
    )


def github_problems(log: dict[str, Any]) -> list[str]:
    """What GitHub code scanning's ingestion rules refuse, as the SARIF Multitool's GitHub rules
    state them (microsoft/sarif-sdk, src/Sarif.Multitool.Library/Rules/GH10*.cs)."""
    problems = []
    if not str(log.get("$schema", "")).endswith(("sarif-2.1.0.json", "2.1.0")):  # GH1011
        problems.append("GH1011: $schema is not the final 2.1.0 schema")
    if log.get("version") != "2.1.0" or not log.get("runs"):  # GH1013
        problems.append("GH1013: version or runs missing")
    for run_ in log["runs"]:
        driver = run_.get("tool", {}).get("driver", {})
        if not driver.get("name") or driver.get("rules") is None:  # GH1018
            problems.append("GH1018: tool.driver.name and rules are required")
        if run_.get("results") is None:  # GH1014
            problems.append("GH1014: results missing")
        ids = [rule["id"] for rule in driver.get("rules", [])]
        for result in run_.get("results", []):
            if not result.get("message", {}).get("text", "").strip():  # GH1015
                problems.append("GH1015: a result without message text")
            if result.get("ruleId") not in ids:
                problems.append("a result names a rule the driver does not define")
            if not result.get("partialFingerprints"):
                problems.append("no partialFingerprints: alerts would not be tracked")
            locations = result.get("locations") or []
            if not locations:  # GH1001, GH1015
                problems.append("GH1001: a result without locations")
            for location in locations:
                physical = location.get("physicalLocation") or {}
                uri = physical.get("artifactLocation", {}).get("uri")
                if not uri:  # GH1016, GH1017
                    problems.append("GH1017: no artifactLocation.uri")
                elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) or uri.startswith("/"):  # GH1005
                    problems.append(f"GH1005: {uri!r} is not a relative file path")
                if not physical.get("region", {}).get("startLine"):  # GH1003
                    problems.append("GH1003: no region.startLine")
    return problems


def test_sarif_from_the_builtin_registry_is_accepted_by_code_scanning(tmp_path: Path) -> None:
    """The README's own Action: the built-in registry and an organisation file in the
    repository; every result then points at a file of the checkout with a line."""
    (tmp_path / ".git").mkdir()
    organisation = (FIXTURE.parent / "regtrack.yaml").read_text(encoding="utf-8")
    (tmp_path / "regtrack.yaml").write_text(organisation, encoding="utf-8")
    result = run("check", "--today", "2026-12-04", "-f", "sarif", "--exit-zero")
    assert result.code == 0, result.err
    log = json.loads(result.out)
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert github_problems(log) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"regtrack.yaml"}
    lines = {
        r["properties"]["obligation"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in log["runs"][0]["results"]
    }
    # the breach's deadline points at its event, the waived literacy duty at its waiver
    text = organisation.splitlines()
    assert (
        text[lines["gdpr-art-33-breach-notification@breach-2026-11"] - 1]
        .lstrip()
        .startswith("- id: breach-2026-11")
    )


def test_sarif_with_nothing_of_the_repository_to_point_at_is_refused(tmp_path: Path) -> None:
    result = run("check", "--today", "2026-07-20", "--sarif", str(tmp_path / "out.sarif"))
    assert result.code == 2
    assert "code scanning needs every result in a file of the repository" in result.err
    assert not (tmp_path / "out.sarif").exists()


def test_sarif_is_valid_against_the_official_schema(tmp_path: Path) -> None:
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    inside = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "registry.yaml")
    log = json.loads(report(tmp_path, "sarif", registry=inside))
    assert github_problems(log) == []
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert all(rule["help"]["text"] and rule["fullDescription"]["text"] for rule in rules.values())
    results = {r["properties"]["milestone"]: r for r in run_["results"]}
    assert results["applies"]["level"] == "error" and results["applies"]["ruleId"] == "applies-soon"
    assert results["due"]["suppressions"][0]["kind"] == "external"
    assert run_["results"][0]["ruleIndex"] == list(rules).index(run_["results"][0]["ruleId"])


def test_sarif_fingerprints_are_stable_across_days(tmp_path: Path) -> None:
    inside = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "registry.yaml")

    def prints(today: str) -> dict[str, str]:
        result = run(
            "check",
            "--no-builtin",
            "--registry",
            str(inside),
            "--today",
            today,
            "-f",
            "sarif",
            "--exit-zero",
        )
        return {
            r["properties"]["obligation"] + "/" + r["properties"]["milestone"]: r[
                "partialFingerprints"
            ]["regtrackMilestone/v1"]
            for r in json.loads(result.out)["runs"][0]["results"]
        }

    first, later = prints("2026-07-20"), prints("2026-07-25")
    shared = first.keys() & later.keys()
    assert shared and all(first[k] == later[k] for k in shared)


COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Workflow commands as the runner reads them: one per line, properties split on `,` and `=`."""
    commands = []
    for line in output.splitlines():
        match = COMMAND.match(line)
        if match:
            props = dict(p.split("=", 1) for p in (match["props"] or "").split(",") if p)
            commands.append(
                (
                    match["name"],
                    {k: unescape(v) for k, v in props.items()},
                    unescape(match["message"]),
                )
            )
    return commands


def test_github_commands_parse_back(tmp_path: Path) -> None:
    commands = parse_commands(report(tmp_path, "github"))
    names = [name for name, _, _ in commands]
    assert names.count("error") == 1 and names.count("notice") == 1
    error = next(c for c in commands if c[0] == "error")
    assert error[1]["title"] == "AI Act Art. 113: 2026-08-02 (failure)"
    assert error[2].startswith(
        "Rules start to apply [test-applies-day/applies]: applies in 13 days"
    )


def test_github_escaping_follows_the_toolkit() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_registry_text_cannot_inject_a_workflow_command(tmp_path: Path) -> None:
    evil = (
        FIXTURE.read_text(encoding="utf-8")
        .replace(
            "    title: Rules start to apply\n",
            "    title: 'Rules %0A::error::pwned, title=x: y'\n",
        )
        .replace(
            "summary: A day milestone of kind applies.",
            'summary: "x\\n::set-output name=a::b\\n::add-mask::secret"',
        )
    )
    registry = write(tmp_path, evil, "evil.yaml")
    output = report(tmp_path, "github", registry=registry)
    lines = output.splitlines()
    assert all(line.startswith("::") or line.startswith("regtrack check") for line in lines)
    assert not any(
        line.startswith(("::set-output", "::add-mask", "::error::pwned")) for line in lines
    )
    commands = parse_commands(output)
    error = next(c for c in commands if c[0] == "error")
    assert error[2].startswith("Rules %0A::error::pwned, title=x: y [test-applies-day/applies]")
    assert "title" in error[1] and len(commands) == 2


def test_step_summary_is_appended_for_github(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n", encoding="utf-8")
    waivers = write(tmp_path, WAIVERS, "waivers.yaml")
    args = (
        "check",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        "2026-07-20",
        "-f",
        "github",
        "--waivers",
        str(waivers),
    )
    run(*args, env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("previous step\n### regtrack check as of 2026-07-20")
    assert "| ❌ failure | 2026-08-02 | AI Act Art. 113 |" in text
    run(
        "check",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        "2026-07-20",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert summary.read_text(encoding="utf-8") == text  # only the github format appends


def test_json_report(tmp_path: Path) -> None:
    data = json.loads(report(tmp_path, "json"))
    assert data["failed"] is True and data["counts"] == {
        "pass": 3,
        "warning": 0,
        "failure": 1,
        "waived": 1,
    }
    waived = next(f for f in data["findings"] if f["level"] == "waived")
    assert waived["waiver"] == {
        "by": "Jane",
        "reason": "handled",
        "until": "2026-12-31",
        "expired": False,
    }


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_human_reports_name_the_failure(tmp_path: Path, fmt: str) -> None:
    text = report(tmp_path, fmt)
    assert "test-applies-day/applies" in text and "2026-08-02" in text


# -- more consumers (issue 28): junit2html, @actions/core ---------------------------------------


def test_junit2html_renders_every_case(tmp_path: Path) -> None:
    """junit2html (the JUnit-to-HTML report CI pipelines publish) reads the file and shows
    every test case, the failure's message included."""
    import sys

    source = tmp_path / "junit.xml"
    source.write_text(report(tmp_path, "junit"), encoding="utf-8")
    page = tmp_path / "junit.html"
    tool = Path(sys.executable).parent / "junit2html"
    done = subprocess.run([str(tool), str(source), str(page)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    for case in JUnitXml.fromfile(str(source)):
        for test in case:
            assert test.name in html
    assert "applies in 13 days" in html


_WORKFLOW_CASES = [
    ("error", "plain message", "AI Act Art. 113: 2026-08-02 (failure)", "data/x.yaml", "3"),
    ("warning", "50%, then\r\nmore\nlines", "T: a, b", "a b/c,d:e.yaml", "12"),
    ("notice", "::stop-commands::x", "%0A::add-mask::s", "", ""),
    ("error", "é ü — ☃ \t tab", "", "f.yaml", "1"),
]


def test_github_commands_are_the_toolkit_s_own_bytes(tmp_path: Path) -> None:
    """@actions/core (pinned in tests/node) writes each command regtrack writes, byte for byte:
    messages with %, CR, LF, colons, commas and non-ASCII text, with and without properties."""
    from regtrack.formats.github import command

    consumer("@actions/core")
    cases = tmp_path / "cases.json"
    cases.write_text(
        json.dumps(
            [
                {"level": level, "message": message, "title": title, "file": file, "line": line}
                for level, message, title, file, line in _WORKFLOW_CASES
            ]
        ),
        encoding="utf-8",
    )
    written = subprocess.run(
        ["node", str(NODE / "workflow.mjs"), str(cases)], capture_output=True, check=True
    ).stdout.decode("utf-8")
    ours = [
        command(level, {"title": title, "file": file, "line": line}, message)
        for level, message, title, file, line in _WORKFLOW_CASES
    ]
    assert written == "".join(f"{line}\n" for line in ours)


# -- JUnit written as it is made (issue 29): ElementTree's bytes ------------------------------


def _junit_by_elementtree(findings: Any, context: Any, groups: Any = None) -> str:
    """The JUnit writer before issue 29, whole in an ElementTree: the reference bytes."""
    import xml.etree.ElementTree as ET

    from regtrack import __version__
    from regtrack.checks import Level, counts
    from regtrack.formats import relative_file

    def suite(suites: Any, findings: Any, context: Any, organisation: str = "") -> None:
        total = counts(findings)
        whose = f"{organisation}: " if organisation else ""
        element = ET.SubElement(
            suites, "testsuite", name=f"{whose}regtrack check as of {context.today.isoformat()}",
            tests=str(len(findings)), failures=str(total[Level.FAILURE]), errors="0",
            skipped=str(total[Level.WAIVED] + total[Level.WARNING]), time="0",
            timestamp=f"{context.today.isoformat()}T00:00:00",
        )  # fmt: skip
        properties = ET.SubElement(element, "properties")
        ET.SubElement(properties, "property", name="regtrack.version", value=__version__)
        if organisation:
            ET.SubElement(properties, "property", name="organisation", value=organisation)
        ET.SubElement(
            properties, "property", name="warn_within_days", value=str(context.warn_within)
        )
        ET.SubElement(
            properties, "property", name="fail_within_days", value=str(context.fail_within)
        )
        for f in findings:
            o, m = f.obligation, f.milestone
            case = ET.SubElement(
                element, "testcase", name=f"{whose}{f.name} {m.window.text}",
                classname=f"regtrack.{organisation + '.' if organisation else ''}{o.regulation.short}",
                time="0",
            )  # fmt: skip
            file = relative_file(o.file, context.root)
            where = f"{file}:{m.line or o.line}" if file else ""
            if f.level is Level.FAILURE:
                failure = ET.SubElement(case, "failure", message=f.reason, type=f.rule.value)
                failure.text = f"{o.regulation.short} {o.citation}: {o.title}\n{f.reason}"
            elif f.level in (Level.WAIVED, Level.WARNING):
                said = f"{f.level.value}: {f.reason}"
                ET.SubElement(case, "skipped", message=said, type=f.level.value).text = said
            if where:
                ET.SubElement(case, "system-out").text = f"registry: {where}"

    every = findings if groups is None else [f for g in groups for f in g.findings]
    total = counts(every)
    suites = ET.Element("testsuites", name="regtrack check", tests=str(len(every)),
                        failures=str(total[Level.FAILURE]), errors="0", time="0")  # fmt: skip
    for group in groups if groups is not None else [None]:
        if group is None:
            suite(suites, findings, context)
        else:
            suite(suites, group.findings, group.context, group.organisation)
    ET.indent(suites)
    xml = ET.tostring(suites, encoding="unicode", xml_declaration=True)
    return xml.replace("##[", "#&#35;[") + "\n"


def test_the_streamed_junit_is_elementtree_s_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every report a run makes, single or across a portfolio, hostile text included, is byte
    for byte what the ElementTree writer made."""
    from regtrack.formats import junit, text_of
    from tests.cli.test_ci_logs import REGISTRY as HOSTILE
    from tests.cli.test_portfolio import CLIENTS, consultancy

    pairs: list[tuple[str, str]] = []
    single, portfolio = junit.render_check, junit.render_portfolio

    def check(findings: Any, context: Any) -> Any:
        pairs.append((text_of(single(findings, context)), _junit_by_elementtree(findings, context)))
        return single(findings, context)

    def across(groups: Any) -> Any:
        pairs.append((text_of(portfolio(groups)), _junit_by_elementtree(None, None, groups)))
        return portfolio(groups)

    monkeypatch.setattr(junit, "render_check", check)
    monkeypatch.setattr(junit, "render_portfolio", across)
    report(tmp_path, "junit")
    hostile = write(tmp_path, HOSTILE, "hostile.yaml")
    for extra in ((), ("--no-builtin", "--registry", str(hostile))):
        assert run("check", "--today", "2026-12-04", "-f", "junit", *extra).code in (0, 1)
    firm = tmp_path / "firm"
    firm.mkdir()
    consultancy(firm, CLIENTS[:3])
    monkeypatch.chdir(firm)
    assert run("check", "--today", "2026-12-04", "-f", "junit").code in (0, 1)
    assert len(pairs) == 4  # the fixture, the built-in registry, hostile text, a portfolio
    for streamed, whole in pairs:
        assert streamed == whole


def test_junit_is_written_in_pieces_of_bounded_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large report is written as it is made: no piece holds more than a few hundred cases
    (issue 29: at 100,000 milestones a whole tree peaked at 534 MB). Counted, not timed."""
    from regtrack.formats import junit
    from tests.helpers import generated

    sizes: list[int] = []
    real = junit.render_check

    def measured(findings: Any, context: Any) -> Any:
        for piece in real(findings, context):
            sizes.append(len(piece))
            yield piece

    monkeypatch.setattr(junit, "render_check", measured)
    registry = generated(tmp_path, 2000)
    out = tmp_path / "junit.xml"
    result = run("check", "--no-builtin", "--registry", str(registry), "--today", "2026-12-04",
                 "--all", "-f", "junit", "-o", str(out))  # fmt: skip
    assert result.code in (0, 1), result.err
    assert sum(sizes) == out.stat().st_size > 900_000
    assert max(sizes) < 200_000 and len(sizes) > 10
