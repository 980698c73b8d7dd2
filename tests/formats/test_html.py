"""The HTML report (regtrack.formats.html, `regtrack report`): self-contained, escaped,
deterministic, and working in a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import FIXTURE, run, write

ARGS = ("--today", "2026-01-10", "--from", "2026-01-01", "--to", "2027-12-31")


def report(tmp_path: Path, registry: Path = FIXTURE, name: str = "report.html") -> str:
    out = tmp_path / name
    result = run("report", "--registry", str(registry), "-o", str(out), *ARGS)
    assert result.code == 0, result.err
    return out.read_text(encoding="utf-8")


def test_self_contained_and_deterministic(tmp_path: Path) -> None:
    page = report(tmp_path)
    assert page == report(tmp_path, name="again.html")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # nothing is loaded from elsewhere: no src= at all, and links (<a href>) are the only URLs
    assert " src=" not in page and "<link" not in page and "@import" not in page
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert 'As of <time datetime="2026-01-10">' in page
    assert "@media print" in page


def test_registry_text_is_escaped(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "title: Rules start to apply",
        "title: '<script>alert(1)</script><img src=x onerror=alert(2)>'",
    )
    page = report(tmp_path, write(tmp_path, text, "evil.yaml"))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # ours


def test_summary_names_what_is_overdue_or_at_risk(tmp_path: Path) -> None:
    page = report(tmp_path)
    assert "Overdue or failing: " in page and "At risk (warning): " in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run does)"
)
def test_in_headless_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    out = tmp_path / "report.html"
    out.write_text(report(tmp_path), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(out.as_uri())
            assert page.title() == "Compliance deadlines as of 2026-01-10"
            rows = page.locator("#deadlines tbody tr")
            assert rows.count() == 4
            assert page.locator("svg text.marker").count() >= 4  # the timeline is drawn
            assert "test-quarter-expected" in page.inner_text("#deadlines")
            page.fill("#filter", "cnil")
            assert page.locator("#deadlines tbody tr:visible").count() == 1
            assert page.inner_text("#shown") == "1"
            page.fill("#filter", "gdpr 35(1)")  # not UK GDPR Art. 35(11)
            assert page.locator("#deadlines tbody tr:visible").count() == 1
            page.fill("#filter", "")
            assert page.locator("#deadlines tbody tr:visible").count() == 4
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            page.emulate_media(media="print")
            assert not page.locator("#filter").is_visible()  # the print stylesheet hides it
        finally:
            browser.close()
    assert requests == [out.as_uri()]  # no request left the page
    assert (tmp_path / "report.png").stat().st_size > 10_000
