"""Plain-text check reports for CI logs: one line per warning or failure, then a summary. No
colour and no escape sequences: a CI log shows them raw."""

from __future__ import annotations

from collections.abc import Sequence

from regtrack.agenda import Due
from regtrack.checks import Level, counts
from regtrack.errors import visible
from regtrack.formats import CheckContext
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
        lines.append(
            visible(
                f"{_LABEL[f.level]:<6} {m.window.text:<10} {o.regulation.short} {o.citation}: "
                f"{o.title} [{f.name}] {reason}"
            )
        )
    total = counts(findings)
    lines.append(
        f"regtrack check as of {context.today.isoformat()}: {total[Level.FAILURE]} failed, "
        f"{total[Level.WARNING]} warned, {total[Level.WAIVED]} waived, "
        f"{total[Level.PASS]} passed (warn within {counted(context.warn_within, 'day')}, "
        f"fail within {counted(context.fail_within, 'day')})"
    )
    return "\n".join(lines) + "\n"
