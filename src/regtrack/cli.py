"""The command line: parse options, call the core, render, choose the exit code. Thin on purpose.

The one error boundary of regtrack is `_Group.main`: every RegtrackError becomes its message on
stderr and its exit code, a usage error a one-line message and exit 2, Ctrl-C exit 130, and a bug
exit 3 with a hint, never a bare traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from regtrack import __version__
from regtrack.dates import add_duration, parse_day, parse_horizon
from regtrack.errors import ExitCode, InvalidOption, InvalidRegistry, RegtrackError, UnknownId
from regtrack.formats import Format, RenderOptions, renderer
from regtrack.models import Kind, Obligation, Registry, Status
from regtrack.select import Filters, select_obligations, suggest, upcoming

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 a check found what it gates on; 2 usage error or invalid input; "
    "3 internal error (a bug: please report it); 130 interrupted."
)
ISSUES_URL = "https://github.com/regtrack/regtrack/issues"


class _Group(TyperGroup):
    """The typer group, with regtrack's error boundary around everything it runs."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        code = _guarded(self, args, prog_name or "regtrack", complete_var, extra)
        if standalone_mode:
            sys.exit(code)
        return code


def _guarded(
    group: TyperGroup,
    args: list[str] | None,
    prog_name: str,
    complete_var: str | None,
    extra: dict[str, Any],
) -> int:
    # typer >= 0.29 vendors click; its exceptions live in typer._click (no public alias).
    from typer._click import exceptions as click_exceptions

    try:
        result = TyperGroup.main(
            group,
            args=args,
            prog_name=prog_name,
            complete_var=complete_var,
            standalone_mode=False,
            **extra,
        )
        return int(result) if isinstance(result, int) else ExitCode.OK
    except RegtrackError as error:
        located = isinstance(error, InvalidRegistry)  # lines start with FILE:LINE:COL
        for line in error.lines():
            _err(line if located else f"regtrack: error: {line}")
        if len(error.lines()) > 1:
            _err(f"regtrack: {len(error.lines())} problems")
        return error.exit_code
    except click_exceptions.NoArgsIsHelpError as error:
        sys.stdout.write(error.ctx.get_help() + "\n" if error.ctx else "")
        return ExitCode.USAGE
    except click_exceptions.UsageError as error:
        command = error.ctx.command_path if error.ctx else prog_name
        message = " ".join(error.format_message().split())
        _err(f"regtrack: error: {message} (see '{command} --help')")
        return ExitCode.USAGE
    except click_exceptions.ClickException as error:
        _err(f"regtrack: error: {' '.join(error.format_message().split())}")
        return ExitCode.USAGE
    except (KeyboardInterrupt, typer.Abort):
        _err("regtrack: interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`regtrack upcoming | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except Exception as error:  # the last resort: a bug
        _err(f"regtrack: internal error: {type(error).__name__}: {error}")
        _err(
            f"regtrack: this is a bug in regtrack {__version__}; please report it with the "
            f"command you ran at {ISSUES_URL} (set REGTRACK_DEBUG=1 for the traceback)"
        )
        if os.environ.get("REGTRACK_DEBUG"):
            import traceback

            traceback.print_exc()
        return ExitCode.INTERNAL


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


app = typer.Typer(
    cls=_Group,
    name="regtrack",
    help="Track compliance deadlines: GDPR, AI Act, NIS2, DORA, EHDS and more.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"regtrack {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Track compliance deadlines: GDPR, AI Act, NIS2, DORA, EHDS and more."""


# -- shared options -------------------------------------------------------------------------------

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


def _today(value: str | None) -> dt.date:
    """`--today` / REGTRACK_TODAY, else the local date: the only place that reads the clock."""
    if value is None or not value.strip():
        return dt.datetime.now(dt.UTC).astimezone().date()
    try:
        return parse_day(value)
    except ValueError as error:
        raise InvalidOption("--today", str(error)) from None


def _load(paths: list[Path] | None) -> Registry:
    from regtrack.registry import builtin_path, load

    return load(paths or [builtin_path()])


def _filters(
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


def _options(fmt: Format) -> RenderOptions:
    """The terminal's width and colours, read when the command runs (never at import)."""
    if fmt is not Format.TABLE:
        return RenderOptions()
    from rich.console import Console

    console = Console(stderr=False)
    return RenderOptions(
        width=console.width, color_system=console.color_system, no_color=console.no_color
    )


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


# -- commands -----------------------------------------------------------------------------------


@app.command("upcoming")
def upcoming_command(
    within: Annotated[
        str,
        typer.Option(
            "--within",
            "-w",
            metavar="DURATION",
            help="How far ahead: 90d, 12w, 6m, 1y or ISO 8601 (P90D).",
        ),
    ] = "90d",
    today: Today = None,
    regulation: Regulations = None,
    jurisdiction: Jurisdictions = None,
    tag: Tags = None,
    role: Roles = None,
    status: Statuses = None,
    kind: Kinds = None,
    search: Search = None,
    fmt: Formats = Format.TABLE,
    registry: Registries = None,
) -> int:
    """Milestones from today through --within, soonest first."""
    day = _today(today)
    try:
        horizon = parse_horizon(within)
    except ValueError as error:
        raise InvalidOption("--within", str(error)) from None
    until = add_duration(day, horizon)
    filters = _filters(regulation, jurisdiction, tag, role, status, kind, search)
    rows = upcoming(_load(registry).obligations, filters, day, until)
    _write(renderer(fmt).render_upcoming(rows, day, _options(fmt)))
    return ExitCode.OK


@app.command("list")
def list_command(
    today: Today = None,
    regulation: Regulations = None,
    jurisdiction: Jurisdictions = None,
    tag: Tags = None,
    role: Roles = None,
    status: Statuses = None,
    kind: Kinds = None,
    search: Search = None,
    fmt: Formats = Format.TABLE,
    registry: Registries = None,
) -> int:
    """Every obligation, with the same filters and formats as upcoming."""
    day = _today(today)
    filters = _filters(regulation, jurisdiction, tag, role, status, kind, search)
    chosen = select_obligations(_load(registry).obligations, filters)
    _write(renderer(fmt).render_list(chosen, day, _options(fmt)))
    return ExitCode.OK


@app.command("show")
def show_command(
    obligation_id: Annotated[str, typer.Argument(metavar="ID", help="The obligation's id.")],
    today: Today = None,
    fmt: Formats = Format.TABLE,
    registry: Registries = None,
) -> int:
    """One obligation in full: sources, milestones with their history, periods."""
    day = _today(today)
    loaded = _load(registry)
    obligation: Obligation | None = loaded.get(obligation_id.strip())
    if obligation is None:
        ids = [o.id for o in loaded.obligations]
        raise UnknownId(obligation_id, suggest(obligation_id.strip().casefold(), ids))
    _write(renderer(fmt).render_show(obligation, day, _options(fmt)))
    return ExitCode.OK


@app.command("validate")
def validate_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...",
            help="Registry files (default: the built-in one).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Also enforce the data rules: official sources for dates fixed in law, "
            "verified recently, consistent histories.",
        ),
    ] = False,
    max_age: Annotated[
        str,
        typer.Option(
            "--max-age", metavar="DURATION", help="With --strict: how old 'verified' may be."
        ),
    ] = "365d",
    official_domain: Annotated[
        list[str] | None,
        typer.Option(
            "--official-domain",
            metavar="DOMAIN",
            help="With --strict: one more domain that publishes official texts (repeatable).",
            show_default=False,
        ),
    ] = None,
    today: Today = None,
) -> int:
    """Check registry files; report every problem as FILE:LINE:COL: field: message."""
    from regtrack.registry import builtin_path, load

    day = _today(today)
    try:
        age = add_duration(day, parse_horizon(max_age)) - day
    except ValueError as error:
        raise InvalidOption("--max-age", str(error)) from None
    paths = files or [builtin_path()]
    loaded = load(paths)
    if strict:
        from regtrack.strict import OFFICIAL_DOMAINS, strict_problems

        domains = (*OFFICIAL_DOMAINS, *(d.lower() for d in official_domain or ()))
        problems = strict_problems(loaded.obligations, day, age, domains)
        if problems:
            raise InvalidRegistry(problems)
    for path in paths:
        mine = [o for o in loaded.obligations if o.file == str(path)]
        milestones = sum(len(o.milestones) for o in mine)
        periods = sum(len(o.periods) for o in mine)
        rules = ", strict" if strict else ""
        _write(
            f"{path}: valid{rules} ({len(mine)} obligations, {milestones} milestones, "
            f"{periods} periods)\n"
        )
    return ExitCode.OK


@app.command("diff")
def diff_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="OLD NEW | FILE",
            help="Two registry files to compare; with --rev, one file (default: the built-in "
            "registry) compared with itself at that revision.",
            show_default=False,
        ),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            metavar="GITREV",
            help="Compare FILE as it was at this git revision with the working copy.",
            show_default=False,
        ),
    ] = None,
    fmt: Formats = Format.TABLE,
) -> int:
    """What changed: obligations added and removed, milestones whose date, precision, kind or
    status changed."""
    from regtrack.diff import diff
    from regtrack.registry import builtin_path, load, load_text

    paths = files or []
    if rev is not None:
        if len(paths) > 1:
            raise InvalidOption("--rev", "takes at most one FILE (compared with itself at GITREV)")
        path = paths[0] if paths else builtin_path()
        old = load_text(_git_show(rev, path), f"{path}@{rev}")
        new = load([path])
    elif len(paths) == 2:
        old, new = load(paths[:1]), load(paths[1:])
    else:
        raise InvalidOption("diff", "give two files (OLD NEW), or --rev GITREV [FILE]")
    changes = diff(old.obligations, new.obligations)
    _write(renderer(fmt).render_diff(changes, _options(fmt)))
    return ExitCode.OK


def _git_show(rev: str, path: Path) -> str:
    """The text of `path` at git revision `rev`."""
    import subprocess

    if rev.startswith("-"):
        raise InvalidOption("--rev", f"{rev!r} is not a revision")
    try:
        done = subprocess.run(
            ["git", "show", f"{rev}:./{path.name}"],
            cwd=path.resolve().parent,
            capture_output=True,
            check=False,
        )
    except OSError as error:
        raise InvalidOption("--rev", f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InvalidOption("--rev", reason[0] if reason else f"git show failed for {path}")
    return done.stdout.decode("utf-8", "replace")


@app.command("schema")
def schema_command() -> int:
    """Print the registry's JSON Schema (for editors that validate and complete YAML)."""
    from importlib import resources

    _write(resources.files("regtrack").joinpath("registry.schema.json").read_text("utf-8"))
    return ExitCode.OK


def main() -> None:
    """Console-script entry point."""
    app()
