"""`regtrack diff` (regtrack.diff): what changed between two registries."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from regtrack.diff import Change, diff
from regtrack.registry import builtin_path, load
from tests.helpers import FIXTURE, run


class PlainLoader(yaml.SafeLoader):
    """YAML 1.2 as editors read it: dates stay strings."""


PlainLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def original_dates(source: Path, target: Path) -> Path:
    """The registry as it was before amending acts: every moved date back where it started."""
    document = yaml.load(source.read_text(encoding="utf-8"), Loader=PlainLoader)
    for obligation in document["obligations"]:
        for milestone in obligation.get("milestones", []):
            if milestone.get("history"):
                milestone["date"] = milestone.pop("history")[0]["from"]
                milestone["status"] = "fixed"
    target.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return target


def test_the_ai_act_high_risk_dates_that_moved(tmp_path: Path) -> None:
    old = original_dates(builtin_path(), tmp_path / "original.yaml")
    result = run("diff", str(old), str(builtin_path()), "--format", "json")
    assert result.code == 0, result.err
    changes = {(c["id"], c["milestone"]): c for c in json.loads(result.out)["milestones"]}
    annex_iii = changes[("ai-act-high-risk-annex-iii", "applies")]
    assert (annex_iii["old"]["date"], annex_iii["new"]["date"]) == ("2026-08-02", "2027-12-02")
    assert annex_iii["fields"] == ["date", "status"]
    annex_i = changes[("ai-act-high-risk-annex-i", "applies")]
    assert (annex_i["old"]["date"], annex_i["new"]["date"]) == ("2027-08-02", "2028-08-02")
    table = run("diff", str(old), str(builtin_path())).out
    assert "ai-act-high-risk-annex-iii" in table and "2027-12-02" in table


def test_added_removed_and_changed(tmp_path: Path) -> None:
    old = load([FIXTURE]).obligations
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("date: 2026-Q2", "date: 2026-06")  # precision and date
    text = text.replace("  - id: test-year-review", "  - id: test-year-review-renamed")
    text = text.replace("      - id: old-date\n", "      - id: old-date-2\n")
    new_path = tmp_path / "new.yaml"
    new_path.write_text(text, encoding="utf-8")
    changes = diff(old, load([new_path]).obligations)
    assert [o.id for o in changes.added] == ["test-year-review-renamed"]
    assert [o.id for o in changes.removed] == ["test-year-review"]
    summary = [(c.obligation.id, c.milestone_id, c.change, c.fields) for c in changes.milestones]
    assert summary == [
        ("test-applies-day", "old-date-2", Change.ADDED, ()),
        ("test-applies-day", "old-date", Change.REMOVED, ()),
        ("test-quarter-expected", "recommendation", Change.CHANGED, ("date", "precision")),
    ]
    for fmt in ("table", "json", "csv", "markdown"):
        result = run("diff", str(FIXTURE), str(new_path), "-f", fmt)
        assert result.code == 0
        assert "test-year-review-renamed" in result.out and "2026-06" in result.out


def test_no_difference(tmp_path: Path) -> None:
    result = run("diff", str(FIXTURE), str(FIXTURE))
    assert (result.code, result.out) == (0, "No change in obligations or dates.\n")
    assert not diff(load([FIXTURE]).obligations, load([FIXTURE]).obligations)


def test_against_a_git_revision(tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "registry.yaml")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "registry")
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("date: 2026-08-02", "date: 2026-09-01"),
        encoding="utf-8",
    )
    result = run("diff", "--rev", "HEAD", str(registry), "-f", "json")
    assert result.code == 0, result.err
    [change] = json.loads(result.out)["milestones"]
    assert (change["old"]["date"], change["new"]["date"]) == ("2026-08-02", "2026-09-01")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "only-one.yaml"), "give two files (OLD NEW), or --rev GITREV [FILE]"),
        (("diff", "--rev", "no-such-rev", str(FIXTURE)), "--rev: fatal:"),
        (("diff", "--rev", "--output=x", str(FIXTURE)), "is not a revision"),
    ],
)
def test_diff_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.code == 2
    assert message in result.err
