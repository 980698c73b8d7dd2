"""SARIF 2.1.0 (OASIS) for code-scanning dashboards: a rule per reason, a result per warning,
failure and waiver (waived ones carry a suppression), stable `partialFingerprints` so that a
dashboard tracks the same milestone across runs. Every result is located in a file of the
checkout with a line (`place`), relative to `%SRCROOT%`: GitHub code scanning rejects an upload
whose results point elsewhere (issue 15)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from regtrack import __version__
from regtrack.agenda import Due
from regtrack.checks import Level, Rule
from regtrack.formats import CheckContext, CheckGroup, Rendered, located, relative_file
from regtrack.formats.json import Lazy, document

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/regtrack/regtrack"

_RULES: dict[Rule, tuple[str, str, str]] = {
    Rule.OVERDUE: (
        "A deadline has passed",
        "A must-be-done-by milestone whose date has passed and is not waived.",
        "Do what the provision requires, then record a waiver (who, why, until when) in the "
        "waivers file, or correct the registry if the date was wrong.",
    ),
    Rule.DEADLINE_NEAR: (
        "A deadline is near",
        "A must-be-done-by milestone inside the warn or fail window.",
        "Plan the work before the date; record a waiver once it is handled.",
    ),
    Rule.APPLIES_SOON: (
        "Rules start to apply soon",
        "An applies-from milestone inside the warn or fail window; once the date passes it is "
        "in force and no longer reported.",
        "Check that you comply before the rules apply; record a waiver once you do.",
    ),
    Rule.EXPECTED_SOON: (
        "A publication or decision is expected",
        "An expected milestone (guidance, a decision) inside the warn window; it only warns.",
        "Watch the authority's site and update the registry when it is published.",
    ),
    Rule.WAIVER_EXPIRED: (
        "A waiver has expired",
        "A waiver's last day has passed while its milestone still warns or fails.",
        "Renew the waiver with a new date and reason, or handle the milestone.",
    ),
}
_LEVEL = {Level.FAILURE: "error", Level.WARNING: "warning", Level.WAIVED: "note"}


def fingerprint(finding: Due) -> str:
    """Stable across runs and machines: a hash of the obligation and milestone ids."""
    return hashlib.sha256(finding.name.encode("utf-8")).hexdigest()


def _rule(rule: Rule) -> dict[str, Any]:
    short, full, help_text = _RULES[rule]
    return {
        "id": rule.value,
        "name": "".join(part.title() for part in rule.value.split("-")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": "error" if rule is not Rule.EXPECTED_SOON else "warning"},
    }


def place(f: Due, context: CheckContext) -> tuple[str, int]:
    """The file of the checkout and the line a finding is located at (GitHub code scanning
    refuses a result without a relative file path and a line, rules GH1005 and GH1003 of the
    SARIF Multitool): the waiver that covers it, else its own line in a registry or events file
    of the repository, else the organisation file's override of its obligation, else the
    context's anchor at line 1. ("", 0) when none is in the repository."""
    file, line = located(f, context.root)
    if file:
        return file, line
    base = f.obligation.id.split("@", 1)[0]
    for obligation, file, line in context.overrides:
        if obligation == base and (overridden := relative_file(file, context.root)):
            return overridden, line or 1
    return (context.anchor, 1) if context.anchor else ("", 0)


def _result(f: Due, rules: list[Rule], context: CheckContext) -> dict[str, Any]:
    o, m = f.obligation, f.milestone
    sources = f.sources
    result: dict[str, Any] = {
        "ruleId": f.rule.value,
        "ruleIndex": rules.index(f.rule),
        "level": _LEVEL[f.level],
        "message": {
            "text": (f"{f.organisation}: " if f.organisation else "")
            + f"{o.regulation.short} {o.citation}: {o.title} [{f.name}]: {f.reason}"
            + (f" Source: {sources[0].url}" if sources else "")
        },
        "partialFingerprints": {"regtrackMilestone/v1": fingerprint(f)},
        "properties": {
            **({"organisation": f.organisation} if f.organisation else {}),
            "obligation": o.id,
            "milestone": m.id,
            "date": m.window.start.isoformat(),
            "dateEnd": m.window.end.isoformat(),
            "dueAt": m.due_at.isoformat() if m.due_at is not None else None,
            "status": m.status.value,
            "state": f.state.value,
            "standing": f.standing.value,
            "owedByYou": f.owed_by_you,
            "waived": f.waived,
        },
    }
    file, line = place(f, context)
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line},
        },
        "logicalLocations": [{"name": f.name, "kind": "object"}],
    }
    result["locations"] = [location]
    if f.level is Level.WAIVED and f.waiver is not None:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f.reason}
        ]
    return result


def _run(findings: Sequence[Due], context: CheckContext, organisation: str = "") -> dict[str, Any]:
    """One SARIF run; in a portfolio, one per client, its `automationDetails` naming it (code
    scanning keeps a category per client apart)."""
    reported = [f for f in findings if f.level is not Level.PASS]
    rules = sorted({f.rule for f in reported}, key=lambda r: list(Rule).index(r))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "regtrack",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r) for r in rules],
            }
        },
        # written as they are made when there are many (formats.json.document)
        "results": Lazy(len(reported), (_result(f, rules, context) for f in reported)),
        "originalUriBaseIds": {
            "%SRCROOT%": {"description": {"text": "The repository's root (the checkout)."}}
        },
        "properties": {"asOf": context.today.isoformat()},
    }
    # the run's category for code scanning (SARIF 2.1.0 §3.17): a category of its own, so that
    # a regtrack upload never replaces another tool's alerts (issue 28); in a portfolio, one
    # per client
    run["automationDetails"] = {"id": f"regtrack/{organisation}/" if organisation else "regtrack/"}
    if organisation:
        run["properties"]["organisation"] = organisation
    return run


def render_check(findings: Sequence[Due], context: CheckContext) -> Rendered:
    """A SARIF log with one run."""
    return document({"$schema": SCHEMA, "version": "2.1.0", "runs": [_run(findings, context)]})


def render_portfolio(groups: Sequence[CheckGroup]) -> Rendered:
    """A SARIF log with one run per client."""
    runs = [_run(g.findings, g.context, g.organisation) for g in groups]
    return document({"$schema": SCHEMA, "version": "2.1.0", "runs": runs})
