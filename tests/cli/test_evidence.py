"""Each date shows its evidence: the words of the text that give it (issue 26)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run

ID = "mdr-art-123-eudamed-mandatory-modules"
WORDS = "no later than 12 months from the date of publication of the notice"


def test_show_quotes_the_text_and_tells_the_date_s_record() -> None:
    table = run("show", ID, "--today", "2026-12-04")
    assert table.code == 0, table.err
    flat = " ".join(table.out.split())
    assert f"\u201c{WORDS}" in flat and "(Art. 123(3)(e))" in flat
    assert "Was expected until 2026-12-04" in flat
    assert "In the registry since 2026-12-02" in flat
    assert "Force: law" in flat
    markdown = " ".join(run("show", ID, "--today", "2026-12-04", "-f", "markdown").out.split())
    assert WORDS in markdown and "was expected until 2026-12-04" in markdown
    data = json.loads(run("show", ID, "--today", "2026-12-04", "-f", "json").out)
    milestone = next(m for m in data["milestones"] if m["id"] == "legacy-device-registration")
    assert milestone["sources"][0]["quote"].startswith(WORDS)
    assert milestone["sources"][0]["article"] == "Art. 123(3)(e)"
    assert milestone["previous"] == [
        {"until": "2026-12-04", "status": "expected", "date_text": None, "note": ""}
    ]
    assert data["force"] == "law"


def test_an_unquoted_date_says_why() -> None:
    out = " ".join(
        run("show", "ivdr-art-110-legacy-transition", "--today", "2026-12-04").out.split()
    )
    assert "Not quoted: The amended text of Art. 110 IVDR" in out


def test_the_report_carries_the_evidence(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run("report", "--all", "--today", "2026-12-04", "-r", "MDR", "-o", str(page))
    assert result.code == 0, result.err
    html = page.read_text(encoding="utf-8")
    assert f'<q class="evidence">{WORDS}' in html
    assert "(Art. 123(3)(e))" in html
