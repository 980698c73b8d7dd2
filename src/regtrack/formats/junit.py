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

from collections.abc import Iterator, Sequence

from regtrack import __version__
from regtrack.agenda import Due
from regtrack.checks import Level, counts
from regtrack.formats import CheckContext, CheckGroup, relative_file

# Written as it is made (issue 29: at 100,000 milestones a whole ElementTree, indented and then
# serialised, peaked at 534 MB): the bytes ElementTree wrote, indented by `ET.indent`, with
# its escaping (xml.etree.ElementTree._escape_attrib and _escape_cdata); tests compare the two
# on every kind of report.
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
     "\t": "&#09;"}
)  # fmt: skip
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Cases written per piece: a few tens of kilobytes.
_BATCH = 256


def _tag(name: str, attributes: Sequence[tuple[str, str]], end: str = ">") -> str:
    pairs = "".join(f' {key}="{value.translate(_ATTRIBUTE)}"' for key, value in attributes)
    return f"<{name}{pairs}{end}"


def _leaf(name: str, attributes: Sequence[tuple[str, str]], text: str | None, pad: str) -> str:
    if text is None:
        return f"{pad}{_tag(name, attributes, ' />')}\n"
    return f"{pad}{_tag(name, attributes)}{text.translate(_TEXT)}</{name}>\n"


def _case(f: Due, context: CheckContext, organisation: str) -> str:
    o, m = f.obligation, f.milestone
    whose = f"{organisation}: " if organisation else ""
    attributes = (
        ("name", f"{whose}{f.name} {m.window.text}"),
        ("classname", f"regtrack.{organisation + '.' if organisation else ''}{o.regulation.short}"),
        ("time", "0"),
    )
    inner = []
    if f.level is Level.FAILURE:
        text = f"{o.regulation.short} {o.citation}: {o.title}\n{f.reason}"
        failure = (("message", f.reason), ("type", f.rule.value))
        inner.append(_leaf("failure", failure, text, "      "))
    elif f.level in (Level.WAIVED, Level.WARNING):
        said = f"{f.level.value}: {f.reason}"
        inner.append(_leaf("skipped", (("message", said), ("type", f.level.value)), said, "      "))
    file = relative_file(o.file, context.root)
    if file:
        inner.append(_leaf("system-out", (), f"registry: {file}:{m.line or o.line}", "      "))
    if not inner:
        return _leaf("testcase", attributes, None, "    ")
    return f"    {_tag('testcase', attributes)}\n{''.join(inner)}    </testcase>\n"


def _suite(findings: Sequence[Due], context: CheckContext, organisation: str = "") -> Iterator[str]:
    """One testsuite of `findings`; in a portfolio, named for the client, whose name also
    leads every case's name and class (GitLab keeps only the first case of a name)."""
    total = counts(findings)
    whose = f"{organisation}: " if organisation else ""
    head = (
        ("name", f"{whose}regtrack check as of {context.today.isoformat()}"),
        ("tests", str(len(findings))),
        ("failures", str(total[Level.FAILURE])),
        ("errors", "0"),
        ("skipped", str(total[Level.WAIVED] + total[Level.WARNING])),
        ("time", "0"),
        ("timestamp", f"{context.today.isoformat()}T00:00:00"),
    )
    properties = [("regtrack.version", __version__)]
    if organisation:
        properties.append(("organisation", organisation))
    properties.append(("warn_within_days", str(context.warn_within)))
    properties.append(("fail_within_days", str(context.fail_within)))
    listed = "".join(
        _leaf("property", (("name", name), ("value", value)), None, "      ")
        for name, value in properties
    )
    yield f"  {_tag('testsuite', head)}\n    <properties>\n{listed}    </properties>\n"
    for start in range(0, len(findings), _BATCH):
        yield "".join(_case(f, context, organisation) for f in findings[start : start + _BATCH])
    yield "  </testsuite>\n"


def _document(findings: Sequence[Due], suites: Iterator[str]) -> Iterator[bytes]:
    total = counts(findings)
    head = (
        ("name", "regtrack check"),
        ("tests", str(len(findings))),
        ("failures", str(total[Level.FAILURE])),
        ("errors", "0"),
        ("time", "0"),
    )
    yield f"<?xml version='1.0' encoding='utf-8'?>\n{_tag('testsuites', head)}\n".encode()
    for piece in suites:
        # `##[` in a line of a CI log is a GitHub workflow command (regtrack.errors.inert):
        # written `#&#35;[`, the same text to every XML parser (it can only stand in text or an
        # attribute, and never across two pieces: each holds whole elements)
        yield piece.replace("##[", "#&#35;[").encode("utf-8")
    yield b"</testsuites>\n"


def render_check(findings: Sequence[Due], context: CheckContext) -> Iterator[bytes]:
    """`testsuites > testsuite > testcase`, in pieces as they are written."""
    return _document(findings, _suite(findings, context))


def render_portfolio(groups: Sequence[CheckGroup]) -> Iterator[bytes]:
    """One testsuite per client, named for it."""
    every = [f for group in groups for f in group.findings]

    def suites() -> Iterator[str]:
        for group in groups:
            yield from _suite(group.findings, group.context, group.organisation)

    return _document(every, suites())
