"""Commands about the files themselves: `validate`, `diff`, `changes`, `vocabulary`, `schema`."""

import datetime as dt
import enum
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regtrack.cli.common import (
    ClientNames,
    ClientTags,
    Config,
    Formats,
    PortfolioFile,
    Selection,
    Today,
    render_options,
    resolve_today,
    say,
    selection_options,
    since_day,
    write_out,
)
from regtrack.dates import add_duration, parse_horizon
from regtrack.errors import ExitCode, InvalidOption, InvalidRegistry, Problem, visible
from regtrack.formats import Format, renderer
from regtrack.formats.wording import counted
from regtrack.registry import reading_once
from regtrack.workspace import find_scope

if TYPE_CHECKING:
    import subprocess

    from regtrack.workspace import Workspace

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use


@cli.command("validate")
@reading_once()  # each file parsed once, though asked for as two kinds (issue 27)
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
    config: Config = None,
) -> int:
    """Check files of every kind: registries, organisation files, waivers and events files.

    Each file is read as what its content says it is. Without FILE, the built-in registry and
    your organisation file (--config, REGTRACK_CONFIG or ./regtrack.yaml). Every problem is
    reported as FILE:LINE:COL: field: message."""
    import os

    from regtrack.kinds import FileKind
    from regtrack.registry import builtin_path, duplicate_ids, forget, read
    from regtrack.workspace import open_workspace

    day = resolve_today(today)
    try:
        age = add_duration(day, parse_horizon(max_age)) - day
    except ValueError as error:
        raise InvalidOption("--max-age", str(error)) from None
    if strict:
        from regtrack.strict import OFFICIAL_DOMAINS, strict_problems

        domains = (*OFFICIAL_DOMAINS, *(d.lower() for d in official_domain or ()))
    by_kind: dict[FileKind, list[Path]] = {kind: [] for kind in FileKind}
    # Each file's problems, then ids given twice across the registries, then (--strict) the
    # data rules: each set is reported only when the one before is empty. A registry is judged
    # as it is read and then let go, so that ten files of 10,000 obligations are never all in
    # memory beside the YAML tree of the next one (622 MB, issue 29); the organisation file
    # read below, if any, reads them again (through the parse cache).
    problems: list[Problem] = []
    duplicates: list[Problem] = []
    breaches: list[Problem] = []
    first: dict[str, tuple[str, int]] = {}
    counts: list[tuple[Path, int, int, int]] = []
    for path in files or [builtin_path()]:
        document = read(path, FileKind.REGISTRY)
        by_kind[document.kind].append(path)
        problems += document.problems
        if document.kind is FileKind.REGISTRY and not problems:
            duplicates += duplicate_ids(document.obligations, first)
            if strict:
                breaches += strict_problems(document.obligations, day, age, domains)
            milestones = sum(len(o.milestones) for o in document.obligations)
            periods = sum(len(o.periods) for o in document.obligations)
            counts.append((path, len(document.obligations), milestones, periods))
            forget(document)
        del document  # (no other name holds its obligations while the next file is read)
    for found_problems in (problems, duplicates, breaches):
        if found_problems:
            raise InvalidRegistry(found_problems)
    registries = by_kind[FileKind.REGISTRY]
    for path, obligations, milestones, periods in counts:
        rules = ", strict" if strict else ""
        write_out(
            f"{visible(str(path))}: valid registry{rules} ({counted(obligations, 'obligation')}, "
            f"{counted(milestones, 'milestone')}, {counted(periods, 'period')})\n"
        )
    portfolios = list(by_kind[FileKind.PORTFOLIO])
    scope = find_scope(config, None, os.environ, Path.cwd())
    found = scope.config
    if scope.portfolio is not None and not files and scope.portfolio not in portfolios:
        portfolios.append(scope.portfolio)  # from a portfolio's root: the whole portfolio
    for path in portfolios:
        _validate_portfolio(path, day, registries)
    organisations: list[Path | None] = list(by_kind[FileKind.ORGANISATION])
    if found is not None and (config is not None or not files) and found not in organisations:
        organisations.append(found)
    asked = {str(path) for path in (*(files or ()), *organisations) if path is not None}
    lists = by_kind[FileKind.WAIVERS] + by_kind[FileKind.EVENTS]
    if lists and not organisations:
        # the ids they name, against the registries of the organisation file (if any)
        organisations.append(found if found is not None and found.is_file() else None)
    for organisation in organisations:
        # The files given are judged together, as a command given them all would judge them
        # (`check --config ORG --registry R --events E --waivers W`): every id an organisation,
        # waivers or events file names must be known to the registries and events read.
        space = open_workspace(
            config_path=organisation,
            registries=registries,
            waivers=by_kind[FileKind.WAIVERS],
            events=by_kind[FileKind.EVENTS],
            today=day,
            include_all=True,
        )
        _note_unloaded(space, asked)
        if organisation is None or space.config is None or str(organisation) not in asked:
            continue
        own = space.config
        write_out(
            f"{visible(str(organisation))}: valid organisation file ("
            f"{counted(len(own.obligations), 'own obligation')}, "
            f"{counted(len(own.overrides), 'override')}, {counted(len(own.waivers), 'waiver')}, "
            f"{counted(len(own.events), 'event')}, {len(own.done)} done)\n"
        )
    for path in lists:
        count = sum(1 for w in space.waivers if w.file == str(path)) + sum(
            1 for e in space.events if e.file == str(path)
        )
        kind = FileKind.WAIVERS if path in by_kind[FileKind.WAIVERS] else FileKind.EVENTS
        noun = "waiver" if kind is FileKind.WAIVERS else "event"
        write_out(f"{visible(str(path))}: valid {kind.value} ({counted(count, noun)})\n")
    return ExitCode.OK


def _validate_portfolio(path: Path, day: "dt.date", registries: list[Path]) -> None:
    """A portfolio file, and every client's organisation file with the firm's baseline, as a
    command run across the portfolio reads them; every problem of every client at once."""
    from regtrack.portfolio import open_clients
    from regtrack.registry import load_portfolio

    portfolio = load_portfolio(path)
    spaces = open_clients(
        portfolio, portfolio.clients, today=day, registries=registries, include_all=True
    )
    for space in spaces:
        _note_unloaded(space, {str(space.config.file)} if space.config else set())
    baseline = (
        f"{counted(len(portfolio.obligations), 'own obligation')}, "
        f"{counted(len(portfolio.overrides), 'override')} and "
        f"{counted(len(portfolio.waivers), 'waiver')} in its baseline"
    )
    write_out(
        f"{visible(str(path))}: valid portfolio file ({counted(len(spaces), 'client')}, each "
        f"organisation file valid; {baseline})\n"
    )


def _note_unloaded(space: "Workspace", asked: set[str]) -> None:
    """One note on stderr per ledger entry or waiver of the files asked about that names an
    event none of the files read records: valid (commands accept it), but unchecked."""
    from regtrack.organisation import unloaded_events

    ledger = space.config.done if space.config is not None else ()
    for note in unloaded_events(ledger, space.waivers, space.events):
        if note.file in asked:
            say(f"{note.file}:{note.line}:{note.column}: {note.field}: note: {note.message}")


@cli.command("diff")
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
    portfolio: PortfolioFile = None,
    client: ClientNames = None,
    clients: ClientTags = None,
) -> int:
    """What changed between two registries, or since a git revision.

    Obligations added and removed, milestones whose date, precision, kind or status changed. In
    a portfolio (from its root, or --portfolio), which clients each change applies to, and why."""
    from regtrack.diff import diff
    from regtrack.registry import builtin_path, load, load_text

    paths = files or []
    if rev is not None:
        if len(paths) > 1:
            raise InvalidOption("--rev", "takes at most one FILE (compared with itself at GITREV)")
        path = paths[0] if paths else _checkout_registry(builtin_path())
        old = load_text(_git_show(rev, path), f"{path}@{rev}")
        new = load([path])
    elif len(paths) == 2:
        old, new = load(paths[:1]), load(paths[1:])
    else:
        raise InvalidOption("diff", "give two files (OLD NEW), or --rev GITREV [FILE]")
    changes = diff(old.obligations, new.obligations)
    scope = find_scope(None, portfolio, os.environ, Path.cwd())
    if scope.portfolio is not None:
        from regtrack.portfolio import impact, open_clients, pick
        from regtrack.registry import load_portfolio

        firm = load_portfolio(scope.portfolio)
        chosen = pick(firm, client or (), clients or ())
        spaces = open_clients(firm, chosen, today=resolve_today(None), include_all=True)
        changes = impact(changes, spaces)
    elif client or clients:
        raise InvalidOption(
            "--client" if client else "--clients",
            "chooses clients of a portfolio, and there is none here (portfolio.yaml here or "
            "above, --portfolio FILE or REGTRACK_PORTFOLIO)",
        )
    write_out(renderer(fmt).render_diff(changes, render_options(fmt)))
    return ExitCode.OK


def _checkout_registry(builtin: Path) -> Path:
    """The built-in registry as git knows it: data/obligations.yaml of the regtrack checkout it
    was installed from (`pip install .` copies it into the environment, where git does not track
    it); with no such checkout, say what to pass instead (issue 26)."""
    for folder in (builtin.parent, Path.cwd()):
        try:
            done = _git(["rev-parse", "--show-toplevel"], folder)
        except OSError:
            break
        top = Path(done.stdout.decode("utf-8", "replace").strip()) if done.returncode == 0 else None
        if top is not None and (top / "src" / "regtrack").is_dir():
            tracked = top / "data" / "obligations.yaml"
            if tracked.is_file():
                return tracked
    raise InvalidOption(
        "--rev",
        "the built-in registry of an installed regtrack is in no git checkout; pass the "
        "registry of a regtrack checkout (diff --rev GITREV path/to/data/obligations.yaml), "
        "or see what changed with 'regtrack changes --since DATE'",
    )


@cli.command("changes")
@selection_options
def changes_command(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="From this day (YYYY-MM-DD), or this long before today (30d, 3m); default 30d.",
            show_default=False,
        ),
    ] = None,
    fmt: Formats = Format.TABLE,
    *,
    selection: Selection,
) -> int:
    """What changed in the law and in the registry from --since to today.

    Dates added, moved by an amending act (on the day the act was published), confirmed by a
    decision, corrected, or cancelled, for the obligations your profile and filters select;
    without the old file (diff compares two files)."""
    from regtrack.changes import changes
    from regtrack.select import select_obligations

    until = selection.today
    start = since_day("--since", since or "30d", until)
    space = selection.workspace()
    filters = selection.filters
    # every change, cancellations included; --status and --kind choose among them by what the
    # milestone is now
    chosen = select_obligations(space.obligations, filters._replace(statuses=(), kinds=()))
    found = [
        c
        for c in changes(chosen, start, until)
        if (not filters.statuses or c.milestone.status in filters.statuses)
        and (not filters.kinds or c.milestone.kind in filters.kinds)
    ]
    write_out(renderer(fmt).render_changes(found, start, until, render_options(fmt)))
    return ExitCode.OK


# No configuration of the repository being read may make regtrack's git run a program or reach
# the network (issue 27): a partial clone whose promisor remote is `ext::sh -c ...` runs that
# command to fetch a missing blob, and per-protocol settings beat `protocol.allow`, so every
# transport is refused by name; `cat-file` applies no textconv or filter driver.
_GIT = (
    "git",
    *(
        arg
        for name in ("ext", "file", "ssh", "git", "http", "https", "fd")
        for arg in ("-c", f"protocol.{name}.allow=never")
    ),
    "-c",
    "protocol.allow=never",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.sshCommand=false",
)


def _git(args: list[str], cwd: Path) -> "subprocess.CompletedProcess[bytes]":
    """git, hardened (_GIT), with no prompt and no lazy fetch; OSError when git cannot run."""
    import subprocess

    env = {
        **os.environ,
        "GIT_NO_LAZY_FETCH": "1",  # git >= 2.44: never fetch a missing object
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "false",
        "SSH_ASKPASS": "false",
    }
    return subprocess.run(
        [*_GIT, *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def _git_show(rev: str, path: Path) -> str:
    """The text of `path` at git revision `rev`."""
    if rev.startswith("-"):
        raise InvalidOption("--rev", f"{rev!r} is not a revision")
    try:
        done = _git(["cat-file", "blob", f"{rev}:./{path.name}"], path.resolve().parent)
    except OSError as error:
        raise InvalidOption("--rev", f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InvalidOption("--rev", reason[0] if reason else f"git show failed for {path}")
    return done.stdout.decode("utf-8", "replace")


@cli.command("vocabulary")
def vocabulary_command(fmt: Formats = Format.TABLE) -> int:
    """The words regtrack knows: roles, sectors and jurisdictions, and what each means.

    Profiles, registries and the --role, --sector, -j and --law options take these and nothing
    else; a misspelt one is refused with the closest."""
    write_out(renderer(fmt).render_vocabulary(render_options(fmt)))
    return ExitCode.OK


class Shell(enum.StrEnum):
    """The shells `regtrack completion` writes a script for."""

    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


@cli.command("completion")
def completion_command(
    shell: Annotated[Shell, typer.Argument(help="bash, zsh or fish.", case_sensitive=False)],
) -> int:
    """Print the shell completion script for bash, zsh or fish.

    Commands, options and the vocabulary's values complete with Tab. Load it in your shell's
    start-up file: bash `eval "$(regtrack completion bash)"`, zsh `eval "$(regtrack completion
    zsh)"`, fish `regtrack completion fish | source`. (`--install-completion` does it for the
    shell you are in.)"""
    from typer._completion_shared import get_completion_script

    write_out(
        get_completion_script(
            prog_name="regtrack", complete_var="_REGTRACK_COMPLETE", shell=shell.value
        )
        + "\n"
    )
    return ExitCode.OK


class SchemaKind(enum.StrEnum):
    """The files `regtrack schema` describes."""

    REGISTRY = "registry"
    ORGANISATION = "organisation"
    PORTFOLIO = "portfolio"


@cli.command("schema")
def schema_command(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            help="registry (default), organisation (regtrack.yaml) or portfolio (portfolio.yaml).",
            case_sensitive=False,
        ),
    ] = SchemaKind.REGISTRY,
) -> int:
    """Print the JSON Schema of a registry, an organisation file or a portfolio file, for editors
    that validate and complete YAML (yaml-language-server, VS Code) and for check-jsonschema.

    The fields are the parser's own, and the value formats are built from the parser's own
    rules: what `validate` refuses in a value (30 February, an unknown role or time zone,
    BYHOUR) the schema refuses too. Read the YAML as YAML 1.2, as editors do: `2026-08-02` is
    then text, not a timestamp."""
    import json

    from regtrack.parse.grammar import schema

    # ASCII: the refused characters are in its patterns, noncharacters among them
    write_out(json.dumps(schema(kind.value), indent=2, ensure_ascii=True) + "\n")
    return ExitCode.OK
