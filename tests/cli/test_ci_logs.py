"""No output, on standard output or in a file, puts a workflow command or a line separator in
a CI log (issue 27): one rule (regtrack.cisafe) for every format, each spelled as its readers
read it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import run, write

# The red team's surfaces (issue 27): `pytest -m hostile` runs the battery alone.
pytestmark = pytest.mark.hostile

REGISTRY = """\
schema: 1
obligations:
  - id: hostile
    title: "Title ::error title=Fake::x ##[warning]y @team"
    regulation: {short: GDPR, name: "Name ##[group]n", identifier: x}
    citation: Art. 1
    jurisdiction: EU
    roles: [controller]
    summary: "Line one\\n::stop-commands::tok\\n::add-mask::secret\\n@security-team look ##[error]z \\u2028 sep"
    sources: [{url: "https://eur-lex.europa.eu/x", title: "T ##[debug]t"}]
    milestones:
      - id: due
        kind: deadline
        date: 2026-12-10
        status: fixed
        verified: 2026-12-01
        unquoted: "searched ::error::x"
        note: "note line\\n::error title=Fake::from a note \\u2029"
"""
WAIVERS = """\
waivers:
  - id: hostile
    milestone: due
    by: "Jane ##[warning]w"
    reason: "first line\\n::stop-commands::abc\\n::error title=Fake::reason \\u2028 x"
    until: 2026-12-31
"""


def _commands(text: str) -> list[str]:
    found = []
    for line in text.split("\n"):
        if line.lstrip().startswith("::") or "##[" in line:
            found.append(line)
    if "\u2028" in text or "\u2029" in text:
        found.append("a line separator")
    return found


def _outputs(tmp_path: Path) -> dict[str, str]:
    registry = write(tmp_path, REGISTRY)
    waivers = write(tmp_path, WAIVERS, "waivers.yaml")
    base = ("--no-builtin", "--registry", str(registry), "--today", "2026-12-04")
    held = (*base, "--waivers", str(waivers))
    out: dict[str, str] = {}
    for fmt in ("text", "json", "junit", "sarif", "markdown"):
        out[f"check {fmt}"] = run("check", *held, "-f", fmt).out
    for fmt in (
        "text",
        "markdown",
        "html",
        "json",
        "slack",
        "teams",
        "mattermost",
        "atom",
        "email",
    ):
        out[f"digest {fmt}"] = run("digest", *held, "-f", fmt, "--mail-from", "a@b.example").out
    for fmt in ("table", "json", "csv", "markdown"):
        out[f"upcoming {fmt}"] = run("upcoming", *held, "-f", fmt).out
        out[f"show {fmt}"] = run("show", "hostile", *base, "-f", fmt).out
    out["export ics"] = run("export", "ics", *held).out
    out["timeline"] = run("timeline", *held).out
    out["changes"] = run("changes", *base, "--since", "30d", "-f", "markdown").out
    for name, args in (
        ("report file", ("report", *held, "-o")),
        ("junit file", ("check", *held, "--junit")),
        ("digest file", ("digest", *held, "-f", "html", "-o")),
    ):
        target = tmp_path / name.replace(" ", ".")
        run(*args, str(target))
        out[name] = target.read_text(encoding="utf-8")
    return out


def test_no_output_holds_a_workflow_command(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    assert all(outputs.values()), [k for k, v in outputs.items() if not v]
    bad = {name: _commands(text)[:2] for name, text in outputs.items() if _commands(text)}
    assert bad == {}


def test_each_kind_keeps_its_meaning_for_its_readers(tmp_path: Path) -> None:
    """The escapes are the document's own: its parser reads the original text back."""
    outputs = _outputs(tmp_path)
    junit = ET.fromstring(outputs["check junit"].split("?>", 1)[1])
    skipped = junit.find(".//skipped")
    assert skipped is not None and "::stop-commands::abc" in (skipped.text or "")
    data = json.loads(outputs["show json"])
    assert data["title"] == "Title ::error title=Fake::x ##[warning]y @team"
    assert "\u2028" in data["summary"]
    slack = json.loads(outputs["digest slack"])  # still JSON, and its text still says `##[`
    assert "##[warning]y" in json.dumps(slack, ensure_ascii=False)


def test_markdown_mentions_no_one(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    for name in ("check markdown", "digest markdown", "show markdown", "upcoming markdown"):
        assert not re.search(r"(?<!\w)@[A-Za-z]", outputs[name]), name
    # an address keeps its @ (a letter before it is no mention)
    from regtrack.formats.markdown import escape

    assert escape("dpo@clinic.example") == "dpo@clinic.example"


@pytest.mark.parametrize("line", ["::error::x", "  ::add-mask::s", "x ##[warning]y", "a\u2028b"])
def test_the_rule_for_each_kind(line: str) -> None:
    from regtrack.cisafe import neutral

    for document in (line.encode(), b"<p>" + line.encode() + b"</p>", b'{\n  "a": "x"\n}\n'):
        text = neutral(document)
        assert isinstance(text, bytes)
        assert not _commands(text.decode()), text


def test_the_report_s_data_block_keeps_the_registry_s_words(tmp_path: Path) -> None:
    """The report's JSON data block is read by programs with JSON.parse, not as HTML: it spells
    `##[` as JSON does, so the data keeps the registry's words exactly."""
    page = _outputs(tmp_path)["report file"]
    block = page.split('id="regtrack-data">', 1)[1].split("</script>", 1)[0]
    assert "&#35;" not in block and "##[" not in block
    data = json.dumps(json.loads(block), ensure_ascii=False)
    assert "Title ::error title=Fake::x ##[warning]y @team" in data
