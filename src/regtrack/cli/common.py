"""Options shared by the commands, and the few things every command does the same way."""

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from regtrack.dates import parse_day
from regtrack.errors import InvalidOption
from regtrack.formats import Format, RenderOptions
from regtrack.models import Kind, Status
from regtrack.select import Filters

if TYPE_CHECKING:
    from regtrack.workspace import Workspace

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
Config = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="The organisation file (default: REGTRACK_CONFIG, else ./regtrack.yaml searched "
        "upward to the repository root).",
        show_default=False,
    ),
]
All = Annotated[
    bool,
    typer.Option("--all", help="Show every obligation, not only those your profile says apply."),
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


def load_workspace(
    today: dt.date,
    registry: list[Path] | None = None,
    events: list[Path] | None = None,
    config: Path | None = None,
    include_all: bool = False,
    until: dt.date | None = None,
) -> "Workspace":
    """The obligations a command works on: registries, the organisation file found by
    --config, REGTRACK_CONFIG or ./regtrack.yaml upward, and recorded events."""
    import os

    from regtrack.workspace import find_config, open_workspace

    path = find_config(config, os.environ.get("REGTRACK_CONFIG"), Path.cwd())
    return open_workspace(
        registries=registry or (),
        events=events or (),
        config_path=path,
        today=today,
        until=until,
        include_all=include_all,
    )


class Selection(NamedTuple):
    """What the shared options chose: the day, the filters, and where obligations come from."""

    today: dt.date
    filters: Filters
    registry: list[Path] | None
    events: list[Path] | None
    config: Path | None
    every: bool

    def workspace(self, until: dt.date | None = None) -> "Workspace":
        """The obligations these options select from."""
        return load_workspace(
            self.today, self.registry, self.events, self.config, self.every, until
        )


# The options every listing command shares, in the order --help shows them.
_SHARED = (
    ("today", Today, None),
    ("regulation", Regulations, None),
    ("jurisdiction", Jurisdictions, None),
    ("tag", Tags, None),
    ("role", Roles, None),
    ("status", Statuses, None),
    ("kind", Kinds, None),
    ("search", Search, None),
    ("registry", Registries, None),
    ("events", Events, None),
    ("config", Config, None),
    ("every", All, False),
)


def selection_options(command: Callable[..., int]) -> Callable[..., int]:
    """Give a command --today, the filters, --registry, --events, --config and --all, passed to
    it as one `selection: Selection` (typer has no option groups; this keeps one definition)."""
    import functools
    import inspect

    signature = inspect.signature(command)
    own = [p for name, p in signature.parameters.items() if name != "selection"]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, kind, default in _SHARED
    ]

    @functools.wraps(command)
    def wrapper(**values: Any) -> int:
        chosen = {name: values.pop(name) for name, _, _ in _SHARED}
        selection = Selection(
            today=resolve_today(chosen["today"]),
            filters=make_filters(
                chosen["regulation"],
                chosen["jurisdiction"],
                chosen["tag"],
                chosen["role"],
                chosen["status"],
                chosen["kind"],
                chosen["search"],
            ),
            registry=chosen["registry"],
            events=chosen["events"],
            config=chosen["config"],
            every=chosen["every"],
        )
        return command(selection=selection, **values)

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own), *shared]
    )
    return wrapper


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
