"""Plain-text check reports for CI logs: one line per warning or failure, then a summary. No
colour and no escape sequences: a CI log shows them raw."""

from __future__ import annotations

from collections.abc import Sequence

from regtrack.agenda import Due
from regtrack.checks import Level, counts, failed
from regtrack.errors import visible
from regtrack.formats import CheckContext, CheckGroup
from regtrack.formats.wording import counted

_LABEL = {Level.FAILURE: "FAIL", Level.WARNING: "WARN", Level.WAIVED: "WAIVED"}


def render_check(findings: Sequence[Due], context: CheckContext) -> str:
    """`FAIL  2026-08-02  AI Act Art. 113: title  [id/milestone]  why`, then the totals."""
    lines = []
    for f in findings:
        if f.level is Level.PASS:
            continue
        o, m = f.obligation, f.milestone
        # one finding, one line: a waiver's reason may span lines, and a line of its own that
        # began with `::` would be a workflow command in a GitHub Actions log (issue 14)
        reason = " ".join(f.reason.split())
        whose = f"[{f.organisation}] " if f.organisation else ""
        lines.append(
            visible(
                f"{_LABEL[f.level]:<6} {whose}{m.window.text:<10} {o.regulation.short} "
                f"{o.citation}: {o.title} [{f.name}] {reason}"
            )
        )
    total = counts(findings)
    whose = next((f" of {f.organisation}" for f in findings if f.organisation), "")
    lines.append(
        f"regtrack check{whose} as of {context.today.isoformat()}: {total[Level.FAILURE]} failed, "
        f"{total[Level.WARNING]} warned, {total[Level.WAIVED]} waived, "
        f"{total[Level.PASS]} passed (warn within {counted(context.warn_within, 'day')}, "
        f"fail within {counted(context.fail_within, 'day')})"
    )
    return "\n".join(lines) + "\n"


def render_portfolio(groups: Sequence[CheckGroup]) -> str:
    """Each client's report under a line naming it and its profile, then one line per client
    and the totals: the worst client decides the exit code."""
    parts = []
    for group in groups:
        parts.append(visible(f"== {group.organisation}: {group.profile or 'no profile'}") + "\n")
        parts.append(render_check(group.findings, group.context))
    every = [f for group in groups for f in group.findings]
    total = counts(every)
    failing = [g.organisation for g in groups if failed(g.findings)]
    context = groups[0].context
    parts.append(
        f"regtrack check of {len(groups)} clients as of {context.today.isoformat()}: "
        f"{total[Level.FAILURE]} failed, {total[Level.WARNING]} warned, "
        f"{total[Level.WAIVED]} waived, {total[Level.PASS]} passed; "
        + (f"failing: {', '.join(failing)}" if failing else "no client fails")
        + "\n"
    )
    return "".join(parts)
