"""Wording shared by the human-readable formats (table, Markdown): how a day count reads."""

from __future__ import annotations

from regtrack.models import Due, State


def days_text(row: Due) -> str:
    """`today`, `12`, or what a started window is: `open`, `in force`, `overdue`, `passed`."""
    if row.state is State.UPCOMING:
        return "today" if row.days_left == 0 else str(row.days_left)
    if row.state is State.OPEN:
        return "today" if row.milestone.window.start == row.milestone.window.end else "open"
    return row.state.value.replace("-", " ")


def urgency(row: Due) -> str:
    """`past`, `week` (overdue, open or within 7 days), `month` (within 30) or `later`: the
    colour buckets."""
    if row.state in (State.IN_FORCE, State.PASSED):
        return "past"
    if row.state in (State.OPEN, State.OVERDUE) or row.days_left <= 7:  # overdue is urgent
        return "week"
    if row.days_left <= 30:
        return "month"
    return "later"


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """`1 waiver`, `2 waivers`, `0 periods`."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
