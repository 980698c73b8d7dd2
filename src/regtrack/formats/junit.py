"""JUnit XML for CI test reporters (GitLab, Jenkins, Azure, GitHub test-report actions): one
testcase per checked milestone, names unique (GitLab keeps only the first test of a name), at most
one <failure> or <skipped> each (Jenkins keeps one).

Valid against the Jenkins xunit plug-in's junit-10.xsd (tests/vendor/junit-10.xsd; issue 15):
no attribute the schema does not define (`testsuites@skipped`, `testcase@file` and `@line` are
not in it), so where the registry lies goes in the case's <system-out>. A warning must not read
as a pass in GitLab or Jenkins, and must not fail the build: it is <skipped> with its reason,
as is a waived milestone with who waived it, why and until when, in the message and as text
(the text is what their test views show)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from regtrack import __version__
from regtrack.agenda import Due
from regtrack.checks import Level, counts
from regtrack.formats import CheckContext, CheckGroup, relative_file


def _suite(
    suites: ET.Element, findings: Sequence[Due], context: CheckContext, organisation: str = ""
) -> None:
    """One testsuite of `findings`; in a portfolio, named for the client, whose name also
    leads every case's name and class (GitLab keeps only the first case of a name)."""
    total = counts(findings)
    whose = f"{organisation}: " if organisation else ""
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"{whose}regtrack check as of {context.today.isoformat()}",
        tests=str(len(findings)),
        failures=str(total[Level.FAILURE]),
        errors="0",
        skipped=str(total[Level.WAIVED] + total[Level.WARNING]),
        time="0",
        timestamp=f"{context.today.isoformat()}T00:00:00",
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="regtrack.version", value=__version__)
    if organisation:
        ET.SubElement(properties, "property", name="organisation", value=organisation)
    ET.SubElement(properties, "property", name="warn_within_days", value=str(context.warn_within))
    ET.SubElement(properties, "property", name="fail_within_days", value=str(context.fail_within))
    for f in findings:
        o, m = f.obligation, f.milestone
        case = ET.SubElement(
            suite,
            "testcase",
            name=f"{whose}{f.name} {m.window.text}",
            classname=f"regtrack.{organisation + '.' if organisation else ''}{o.regulation.short}",
            time="0",
        )
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


def _document(suites: ET.Element) -> str:
    ET.indent(suites)
    xml = ET.tostring(suites, encoding="unicode", xml_declaration=True)
    # `##[` in a line of a CI log is a GitHub workflow command (regtrack.errors.inert): written
    # `#&#35;[`, the same text to every XML parser (it can only stand in text or an attribute)
    return xml.replace("##[", "#&#35;[") + "\n"


def _suites(findings: Sequence[Due]) -> ET.Element:
    total = counts(findings)
    return ET.Element(
        "testsuites",
        name="regtrack check",
        tests=str(len(findings)),
        failures=str(total[Level.FAILURE]),
        errors="0",
        time="0",
    )


def render_check(findings: Sequence[Due], context: CheckContext) -> str:
    """`testsuites > testsuite > testcase`, escaped by ElementTree."""
    suites = _suites(findings)
    _suite(suites, findings, context)
    return _document(suites)


def render_portfolio(groups: Sequence[CheckGroup]) -> str:
    """One testsuite per client, named for it."""
    suites = _suites([f for group in groups for f in group.findings])
    for group in groups:
        _suite(suites, group.findings, group.context, group.organisation)
    return _document(suites)
