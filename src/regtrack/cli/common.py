"""Options shared by the commands, and the few things every command does the same way."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from regtrack.dates import parse_day
from regtrack.errors import InvalidOption
from regtrack.formats import Format, RenderOptions
from regtrack.models import Kind, Registry, Status
from regtrack.select import Filters

Today = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="REGTRACK_TODAY",
        metavar="YYYY-MM-DD",
        help="Evaluate as of this day instead of the clock (also REGTRACK_TODAY).",
        show_default=False,
    ),
]
Registries = Annotated[
    list[Path] | None,
    typer.Option(
        "--registry",
        metavar="FILE",
        help="Read this registry file instead of the built-in one (repeatable).",
        show_default=False,
    ),
]
Events = Annotated[
    list[Path] | None,
    typer.Option(
        "--events",
        metavar="FILE",
        envvar="REGTRACK_EVENTS",
        help="A YAML file of `events:` (breach detected, request received...) whose deadlines "
        "to include (repeatable; also REGTRACK_EVENTS).",
        show_default=False,
    ),
]
Regulations = Annotated[
    list[str] | None,
    typer.Option(
        "--regulation",
        "-r",
        help="Only this regulation, e.g. GDPR (repeatable).",
        show_default=False,
    ),
]
Jurisdictions = Annotated[
    list[str] | None,
    typer.Option(
        "--jurisdiction",
        "-j",
        help="Only this jurisdiction: EU, FR, UK ... (repeatable).",
        show_default=False,
    ),
]
Tags = Annotated[
    list[str] | None,
    typer.Option(
        "--tag", "-t", help="Only obligations with this tag (repeatable).", show_default=False
    ),
]
Roles = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        help="Only obligations of this role: controller, provider ... (repeatable).",
        show_default=False,
    ),
]
Statuses = Annotated[
    list[Status] | None,
    typer.Option(
        "--status",
        case_sensitive=False,
        help="Only milestones with this status (repeatable).",
        show_default=False,
    ),
]
Kinds = Annotated[
    list[Kind] | None,
    typer.Option(
        "--kind",
        case_sensitive=False,
        help="Only milestones of this kind (repeatable).",
        show_default=False,
    ),
]
Search = Annotated[
    list[str] | None,
    typer.Option(
        "--search",
        "-s",
        help="Only obligations whose text contains this (repeatable).",
        show_default=False,
    ),
]
Formats = Annotated[
    Format,
    typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
]


def resolve_today(value: str | None) -> dt.date:
    """`--today` / REGTRACK_TODAY, else the local date: the only place that reads the clock."""
    if value is None or not value.strip():
        return dt.datetime.now(dt.UTC).astimezone().date()
    try:
        return parse_day(value)
    except ValueError as error:
        raise InvalidOption("--today", str(error)) from None


def load_registry(paths: list[Path] | None, events: list[Path] | None = None) -> Registry:
    """The registries asked for (the built-in one by default), with the deadlines of the open
    events recorded in `events` files added as obligations of their own."""
    from regtrack.registry import builtin_path, load

    loaded = load(paths or [builtin_path()])
    if not events:
        return loaded
    from regtrack.errors import InvalidRegistry, Problem
    from regtrack.events import event_problems, expand
    from regtrack.models import Event
    from regtrack.registry import load_events

    problems: list[Problem] = []
    recorded: list[Event] = []
    for path in events:
        try:
            recorded += load_events(path)
        except InvalidRegistry as error:
            problems += error.problems
    problems += event_problems(recorded, loaded.obligations)
    if problems:
        raise InvalidRegistry(problems)
    return Registry((*loaded.obligations, *expand(recorded, loaded.obligations)))


def make_filters(
    regulation: list[str] | None,
    jurisdiction: list[str] | None,
    tag: list[str] | None,
    role: list[str] | None,
    status: list[Status] | None,
    kind: list[Kind] | None,
    search: list[str] | None,
) -> Filters:
    return Filters(
        regulations=tuple(regulation or ()),
        jurisdictions=tuple(jurisdiction or ()),
        tags=tuple(tag or ()),
        roles=tuple(role or ()),
        statuses=tuple(status or ()),
        kinds=tuple(kind or ()),
        search=tuple(search or ()),
    )


def render_options(fmt: Format) -> RenderOptions:
    """The terminal's width and colours, read when the command runs (never at import)."""
    if fmt is not Format.TABLE:
        return RenderOptions()
    from rich.console import Console

    console = Console(stderr=False)
    return RenderOptions(
        width=console.width, color_system=console.color_system, no_color=console.no_color
    )


def write_out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
