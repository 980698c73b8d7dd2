"""GitHub Actions workflow commands: `::error title=T::message` and `::warning ...`.

Every value is escaped by the rules of the Actions toolkit (actions/toolkit, packages/core/src/
command.ts: `escapeData` and `escapeProperty`), so no registry text can end a command early or
start one of its own: a newline in a message becomes %0A, never a new line of the log."""

from __future__ import annotations

from collections.abc import Sequence

from regtrack.agenda import Due
from regtrack.checks import Level, counts
from regtrack.formats import CheckContext, located

_COMMAND = {Level.FAILURE: "error", Level.WARNING: "warning", Level.WAIVED: "notice"}


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF escaped (command.ts `escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        properties = {
            "title": f"{o.regulation.short} {o.citation}: {m.window.text} ({f.level.value})"
        }
        file, line = located(f, context.root)  # a waived item: its waiver
        if file:
            properties["file"] = file
            properties["line"] = str(line)
        lines.append(command(_COMMAND[f.level], properties, f"{o.title} [{f.name}]: {f.reason}"))
    total = counts(findings)
    lines.append(
        f"regtrack check as of {context.today.isoformat()}: {total[Level.FAILURE]} failed, "
        f"{total[Level.WARNING]} warned, {total[Level.WAIVED]} waived, {total[Level.PASS]} passed"
    )
    return "\n".join(lines) + "\n"
