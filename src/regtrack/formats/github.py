"""GitHub Actions workflow commands: `::error title=T::message` and `::warning ...`.

Every value is escaped by the rules of the Actions toolkit (actions/toolkit, packages/core/src/
command.ts: `escapeData` and `escapeProperty`), so no registry text can end a command early or
start one of its own: a newline in a message becomes %0A, never a new line of the log."""

from __future__ import annotations

from collections.abc import Sequence

from regtrack.agenda import Due
from regtrack.checks import Level, counts, failed
from regtrack.formats import CheckContext, CheckGroup, located

_COMMAND = {Level.FAILURE: "error", Level.WARNING: "warning", Level.WAIVED: "notice"}


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF escaped (command.ts `escapeData`); and, beyond the
    toolkit, the legacy `##[` (a command anywhere in a line, should the line not parse as
    this one) and U+2028/U+2029 (line ends to some log viewers), written as regtrack's
    messages write them (regtrack.cisafe)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace("##[", "\\x23#[").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def escape_property(text: str) -> str:
    """A property value: also `:` and `,` (command.ts `escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, str], message: str) -> str:
    """One workflow command line."""
    props = ",".join(
        f"{key}={escape_property(value)}" for key, value in properties.items() if value
    )
    return (
        f"::{name} {props}::{escape_data(message)}"
        if props
        else f"::{name}::{escape_data(message)}"
    )


def render_check(findings: Sequence[Due], context: CheckContext) -> str:
    """A workflow command per warning, failure and waiver, then a plain summary line."""
    lines = []
    for f in findings:
        if f.level is Level.PASS:
            continue
        o, m = f.obligation, f.milestone
        whose = f"{f.organisation}: " if f.organisation else ""
        properties = {
            "title": f"{whose}{o.regulation.short} {o.citation}: {m.window.text} ({f.level.value})"
        }
        file, line = located(f, context.root)  # a waived item: its waiver
        if file:
            properties["file"] = file
            properties["line"] = str(line)
        lines.append(command(_COMMAND[f.level], properties, f"{o.title} [{f.name}]: {f.reason}"))
    total = counts(findings)
    whose = next((f" of {f.organisation}" for f in findings if f.organisation), "")
    lines.append(
        f"regtrack check{whose} as of {context.today.isoformat()}: {total[Level.FAILURE]} failed, "
        f"{total[Level.WARNING]} warned, {total[Level.WAIVED]} waived, {total[Level.PASS]} passed"
    )
    return "\n".join(lines) + "\n"


def render_portfolio(groups: Sequence[CheckGroup]) -> str:
    """Each client's workflow commands (their titles name the client) and summary line, then
    the totals across clients."""
    from regtrack.errors import visible

    parts = [render_check(group.findings, group.context) for group in groups]
    every = [f for group in groups for f in group.findings]
    total = counts(every)
    failing = [g.organisation for g in groups if failed(g.findings)]
    parts.append(
        visible(
            f"regtrack check of {len(groups)} clients as of {groups[0].context.today.isoformat()}: "
            f"{total[Level.FAILURE]} failed, {total[Level.WARNING]} warned, "
            f"{total[Level.WAIVED]} waived, {total[Level.PASS]} passed; "
            + (f"failing: {', '.join(failing)}" if failing else "no client fails")
        )
        + "\n"
    )
    return "".join(parts)
