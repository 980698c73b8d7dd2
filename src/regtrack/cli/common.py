"""Options shared by the commands, and the few things every command does the same way."""

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from regtrack.dates import check_year, parse_day
from regtrack.errors import InvalidOption, InvalidRegistry
from regtrack.formats import Format, RenderOptions
from regtrack.models import Kind, Status
from regtrack.select import Filters
from regtrack.vocabulary import JURISDICTIONS, ROLES

if TYPE_CHECKING:
    from regtrack.agenda import Moment
    from regtrack.checks import Policy
    from regtrack.orgmodels import Portfolio
    from regtrack.portfolio import Broken
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
Now = Annotated[
    str | None,
    typer.Option(
        "--now",
        envvar="REGTRACK_NOW",
        metavar="DATETIME",
        help="Evaluate at this instant, e.g. 2026-12-07T18:00 or 2026-12-07T18:00+01:00 (also "
        "REGTRACK_NOW): deadlines that end at a time are judged by it. Default: the clock; the "
        "start of --today when --today is given.",
        show_default=False,
    ),
]
Registries = Annotated[
    list[Path] | None,
    typer.Option(
        "--registry",
        metavar="FILE",
        help="Also read this registry file, besides the built-in one and your organisation "
        "file's registries (repeatable).",
        show_default=False,
    ),
]
NoBuiltin = Annotated[
    bool,
    typer.Option(
        "--no-builtin",
        help="Leave out the built-in registry (read only --registry files and your "
        "organisation file's).",
    ),
]
Waivers = Annotated[
    list[Path] | None,
    typer.Option(
        "--waivers",
        metavar="FILE",
        envvar="REGTRACK_WAIVERS",
        help="A waivers file, or an organisation file, whose `waivers:` to apply, besides "
        "your organisation file's (repeatable; also REGTRACK_WAIVERS).",
        show_default=False,
    ),
]
Events = Annotated[
    list[Path] | None,
    typer.Option(
        "--events",
        metavar="FILE",
        envvar="REGTRACK_EVENTS",
        help="An events file, or an organisation file, whose `events:` (breach detected, "
        "request received...) to count deadlines from, besides your organisation file's "
        "(repeatable; also REGTRACK_EVENTS).",
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
PortfolioFile = Annotated[
    Path | None,
    typer.Option(
        "--portfolio",
        metavar="FILE",
        help="A consultancy's portfolio file: run for its clients (default: REGTRACK_PORTFOLIO, "
        "else ./portfolio.yaml searched upward to the repository root).",
        show_default=False,
    ),
]
ClientNames = Annotated[
    list[str] | None,
    typer.Option(
        "--client",
        metavar="NAME",
        help="In a portfolio: only this client (repeatable; a glob such as 'clinique-*').",
        show_default=False,
    ),
]
ClientTags = Annotated[
    list[str] | None,
    typer.Option(
        "--clients",
        metavar="TAG",
        help="In a portfolio: only the clients with this tag (repeatable).",
        show_default=False,
    ),
]
All = Annotated[
    bool,
    typer.Option("--all", help="Show every obligation, not only those your profile says apply."),
]


def completing(words: "dict[str, str]") -> Callable[[str], list[str]]:
    """Shell completion of an option's values from the vocabulary (`--role con<TAB>`)."""

    def complete(incomplete: str) -> list[str]:
        return [w for w in words if w.lower().startswith(incomplete.lower())]

    return complete


def from_registry(field: str) -> Callable[[str], list[str]]:
    """Shell completion from the built-in registry (issue 28): obligation ids (`show gdpr-a<TAB>`),
    regulations (`-r AI<TAB>`) and tags. Read through the parse cache; a registry that cannot
    be read completes nothing rather than failing the shell."""

    def complete(incomplete: str) -> list[str]:
        try:
            from regtrack.registry import builtin_path, load

            obligations = load([builtin_path()]).obligations
        except Exception:
            return []
        if field == "id":
            found = {o.id for o in obligations}
        elif field == "regulation":
            found = {o.regulation.short for o in obligations}
        else:
            found = {t for o in obligations for t in o.tags}
        return sorted(w for w in found if w.lower().startswith(incomplete.lower()))

    return complete


Regulations = Annotated[
    list[str] | None,
    typer.Option(
        "--regulation",
        "-r",
        autocompletion=from_registry("regulation"),
        help="Only this regulation, e.g. GDPR (repeatable).",
        show_default=False,
    ),
]


Jurisdictions = Annotated[
    list[str] | None,
    typer.Option(
        "--jurisdiction",
        "-j",
        autocompletion=completing(JURISDICTIONS),
        help="Only what applies in this jurisdiction: FR is French and EU law (and INT), EU is "
        "EU law, UK is UK law (repeatable). See also --law.",
        show_default=False,
    ),
]
Laws = Annotated[
    list[str] | None,
    typer.Option(
        "--law",
        metavar="CODE",
        autocompletion=completing(JURISDICTIONS),
        help="Only law made by this jurisdiction itself: --law FR is French national law "
        "alone, --law EU EU law alone (repeatable).",
        show_default=False,
    ),
]
Tags = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        autocompletion=from_registry("tag"),
        help="Only obligations with this tag (repeatable).",
        show_default=False,
    ),
]
Roles = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        autocompletion=completing(ROLES),
        help="Only obligations that bind this role (repeatable): " + ", ".join(ROLES) + ".",
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
WarnWithin = Annotated[
    str, typer.Option("--warn-within", metavar="DURATION", help="Warn this far ahead.")
]
FailWithin = Annotated[
    str, typer.Option("--fail-within", metavar="DURATION", help="Fail this far ahead.")
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="Let expected and proposed dates fail too, not only warn."),
]
Formats = Annotated[
    Format,
    typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
]


MIN_WIDTH, MAX_WIDTH = 40, 500  # terminal columns the table formats lay out


def option_name(option: str, envvar: str, value: str) -> str:
    """How a message names where `value` came from: `--today (REGTRACK_TODAY)` when the
    environment holds it (a CI job sets the variable; the command line shows no --today), as
    click names an option read from its variable."""
    import os

    return f"{option} ({envvar})" if os.environ.get(envvar) == value else option


def _local_zone() -> dt.tzinfo:
    """The machine's time zone (TZ), or UTC with a warning when the C library cannot use it."""
    try:
        zone = dt.datetime.now(dt.UTC).astimezone().tzinfo
    except (ValueError, OverflowError, OSError):  # a TZ the C library cannot use (UTC+99)
        zone = None
    if zone is None:
        say("regtrack: warning: the local time zone (TZ) is unusable; today is taken in UTC")
        return dt.UTC
    return zone


def _start_of(day: dt.date) -> dt.datetime:
    """The first instant of `day` in the machine's time zone (its own offset that day)."""
    try:
        return dt.datetime.combine(day, dt.time(0, 0)).astimezone()
    except (ValueError, OverflowError, OSError):
        return dt.datetime.combine(day, dt.time(0, 0), dt.UTC)


def resolve_moment(today: str | None, now: str | None = None) -> "Moment":
    """The moment a command evaluates at, the only place that reads the clock: --today and
    --now (REGTRACK_TODAY, REGTRACK_NOW) in the machine's time zone (TZ). --today alone is its
    first instant; --now alone gives its own day; neither is the clock. The same inputs always
    give the same output."""
    from regtrack.agenda import Moment

    day = None
    if today is not None and today.strip():
        try:
            day = parse_day(today)
        except ValueError as error:
            where = option_name("--today", "REGTRACK_TODAY", today)
            raise InvalidOption(where, str(error)) from None
    if now is not None and now.strip():
        where = option_name("--now", "REGTRACK_NOW", now)
        try:
            instant = dt.datetime.fromisoformat(now.strip())
            check_year(instant.year, now)
        except ValueError as error:
            if "outside the years" in str(error):
                raise InvalidOption(where, str(error)) from None
            raise InvalidOption(
                where, f"{now!r} is not a date and time (e.g. 2026-12-07T18:00)"
            ) from None
        if instant.tzinfo is None:  # the machine's wall clock, with its offset on that day
            try:
                instant = instant.astimezone()
            except (ValueError, OverflowError, OSError):
                instant = instant.replace(tzinfo=_local_zone())
        if day is not None and instant.date() != day:
            raise InvalidOption(where, f"{now.strip()} is not on --today {day.isoformat()}")
        return Moment(instant.date(), instant)
    if day is not None:
        return Moment(day, _start_of(day))
    clock = dt.datetime.now(dt.UTC).astimezone(_local_zone())
    return Moment(clock.date(), clock)


def resolve_today(value: str | None) -> dt.date:
    """`--today` / REGTRACK_TODAY, else the local date (resolve_moment's day)."""
    return resolve_moment(value).today


def make_policy(warn_within: str, fail_within: str, strict: bool, day: dt.date) -> "Policy":
    """The gate's policy from --warn-within, --fail-within and --strict (check and report)."""
    from regtrack.checks import Policy
    from regtrack.dates import add_duration, parse_horizon

    def days(option: str, text: str) -> int:
        try:
            return (add_duration(day, parse_horizon(text)) - day).days
        except ValueError as error:
            raise InvalidOption(option, str(error)) from None

    warn, fail = days("--warn-within", warn_within), days("--fail-within", fail_within)
    if fail > warn:
        raise InvalidOption(
            "--fail-within", f"{fail_within} is longer than --warn-within {warn_within}"
        )
    return Policy(warn, fail, strict)


def load_workspace(
    today: dt.date,
    registry: list[Path] | None = None,
    events: list[Path] | None = None,
    config: Path | None = None,
    include_all: bool = False,
    until: dt.date | None = None,
    waivers: list[Path] | None = None,
    builtin: bool = True,
) -> "Workspace":
    """The obligations a command works on: registries, the organisation file found by
    --config, REGTRACK_CONFIG or ./regtrack.yaml upward, recorded events and waivers."""
    import os

    from regtrack.workspace import find_scope, open_workspace

    scope = find_scope(config, None, os.environ, Path.cwd())
    if scope.portfolio is not None:
        raise InvalidOption(
            "--config",
            f"{scope.portfolio} is a portfolio: this command runs for one organisation; give its "
            "file with --config (e.g. --config clients/NAME/regtrack.yaml)",
        )
    path = scope.config
    return open_workspace(
        registries=registry or (),
        events=events or (),
        waivers=waivers or (),
        config_path=path,
        today=today,
        until=until,
        include_all=include_all,
        builtin=builtin,
    )


class Selection(NamedTuple):
    """What the shared options chose: the moment, the filters, and where obligations come
    from."""

    moment: "Moment"
    filters: Filters
    registry: list[Path] | None
    events: list[Path] | None
    config: Path | None
    every: bool
    waivers: list[Path] | None = None
    builtin: bool = True
    portfolio: Path | None = None
    clients: tuple[str, ...] = ()  # --client: names or globs
    client_tags: tuple[str, ...] = ()  # --clients: tags

    @property
    def today(self) -> dt.date:
        """The moment's day."""
        return self.moment.today

    def workspace(self, until: dt.date | None = None) -> "Workspace":
        """The obligations these options select from, for one organisation (in a portfolio,
        the one client --client names); a filter that names nothing, or a selection that
        matches no obligation, is an input error (a silent empty result would read as
        "nothing to do")."""
        spaces = self.workspaces(until)
        if len(spaces) > 1:
            names = ", ".join(s.client for s in spaces)
            raise InvalidOption(
                "--client",
                f"this command runs for one client of a portfolio at a time so far: name one "
                f"(clients chosen: {names})",
            )
        return spaces[0]

    def firm(self) -> "Portfolio | None":
        """The portfolio the run is about, or None for one organisation."""
        import os

        from regtrack.registry import load_portfolio
        from regtrack.workspace import find_scope

        scope = find_scope(self.config, self.portfolio, os.environ, Path.cwd())
        return None if scope.portfolio is None else load_portfolio(scope.portfolio)

    def workspaces(self, until: dt.date | None = None) -> "list[Workspace]":
        """One workspace per organisation the run is about: the organisation file's, or, in a
        portfolio, each client's that --client and --clients choose (every client by
        default), with the firm's baseline. A filter that names nothing, or that matches no
        obligation of any client, is an input error; so is any client's broken file (every
        problem of every client at once)."""
        spaces, broken = self.evaluated(until)
        if broken:
            raise InvalidRegistry(list(dict.fromkeys(p for b in broken for p in b.problems)))
        return spaces

    def evaluated(self, until: dt.date | None = None) -> "tuple[list[Workspace], list[Broken]]":
        """As `workspaces`, but in a portfolio the clients whose files have problems are set
        apart, with their problems, rather than stopping the run: a Monday's report for
        fourteen clients is not held back by one client's typo (the command says which, and
        exits 2). A problem every client shares still stops it; so does every client broken."""
        import os

        from regtrack.select import selection_problem
        from regtrack.workspace import find_scope

        scope = find_scope(self.config, self.portfolio, os.environ, Path.cwd())
        if scope.portfolio is None:
            if self.clients or self.client_tags:
                option = "--client" if self.clients else "--clients"
                raise InvalidOption(
                    option,
                    "chooses clients of a portfolio, and there is none here (portfolio.yaml "
                    "here or above, --portfolio FILE or REGTRACK_PORTFOLIO)",
                )
            broken: list[Broken] = []
            spaces = [
                load_workspace(
                    self.today,
                    self.registry,
                    self.events,
                    scope.config,
                    self.every,
                    until,
                    self.waivers,
                    self.builtin,
                )
            ]
        else:
            from regtrack.portfolio import open_each, pick
            from regtrack.registry import load_portfolio

            portfolio = load_portfolio(scope.portfolio, whole=False)
            chosen = pick(portfolio, self.clients, self.client_tags)
            if not chosen:
                raise InvalidOption(
                    "--client", f"no client is both named and tagged so ({scope.portfolio})"
                )
            spaces, broken = open_each(
                portfolio,
                chosen,
                today=self.today,
                until=until,
                registries=self.registry or (),
                events=self.events or (),
                waivers=self.waivers or (),
                include_all=self.every,
                builtin=self.builtin,
            )
            if not spaces:  # nothing to show: every client chosen is broken
                raise InvalidRegistry(list(dict.fromkeys(p for b in broken for p in b.problems)))
        problems = [
            (space, problem)
            for space in spaces
            if (problem := selection_problem(space.obligations, space.every, self.filters))
        ]
        if len(problems) == len(spaces):
            _, (option, message) = problems[0]
            if len(spaces) > 1:
                message += f" (nor in any of the {len(spaces)} clients chosen)"
            raise InvalidOption(option, message)
        # a client the filters leave nothing of has nothing to say; the others do
        failed = {id(space) for space, _ in problems}
        return [space for space in spaces if id(space) not in failed], broken


def to_a_file(*outputs: Path | None) -> bool:
    """True when one of the outputs named is a file (not `-` or standard output)."""
    from regtrack.atomic import is_stdout

    return any(path is not None and not is_stdout(path) for path in outputs)


def end_with_broken(broken: "Sequence[Broken]", evaluated: int, *, shown: bool = True) -> None:
    """End a portfolio's run: which clients could not be evaluated, then their problems, each
    with file and line (InvalidRegistry: exit 2). `shown`: the others' results went to
    standard output (or their mail was sent); else nothing was written (a file is never left
    without a client that should be in it)."""
    from regtrack.formats.wording import counted

    names = ", ".join(b.client for b in broken)
    done = "the others' results are above" if shown else "nothing was written"
    say(
        f"regtrack: {len(broken)} of {counted(len(broken) + evaluated, 'client')} not "
        f"evaluated (their files have the problems below; {done}): {names}"
    )
    raise InvalidRegistry(list(dict.fromkeys(p for b in broken for p in b.problems)))


# The options every listing command shares, in the order --help shows them.
_SHARED = (
    ("today", Today, None),
    ("now", Now, None),
    ("regulation", Regulations, None),
    ("jurisdiction", Jurisdictions, None),
    ("law", Laws, None),
    ("tag", Tags, None),
    ("role", Roles, None),
    ("status", Statuses, None),
    ("kind", Kinds, None),
    ("search", Search, None),
    ("registry", Registries, None),
    ("no_builtin", NoBuiltin, False),
    ("events", Events, None),
    ("waivers", Waivers, None),
    ("config", Config, None),
    ("portfolio", PortfolioFile, None),
    ("client", ClientNames, None),
    ("clients", ClientTags, None),
    ("every", All, False),
)


def selection_options(command: Callable[..., int]) -> Callable[..., int]:
    """Give a command --today, --now, the filters, --registry, --events, --config and --all,
    passed to it as one `selection: Selection` (typer has no option groups: one definition)."""
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
            moment=resolve_moment(chosen["today"], chosen["now"]),
            filters=make_filters(
                chosen["regulation"],
                chosen["jurisdiction"],
                chosen["tag"],
                chosen["role"],
                chosen["status"],
                chosen["kind"],
                chosen["search"],
                chosen["law"],
            ),
            registry=chosen["registry"],
            events=chosen["events"],
            config=chosen["config"],
            every=chosen["every"],
            waivers=chosen["waivers"],
            builtin=not chosen["no_builtin"],
            portfolio=chosen["portfolio"],
            clients=tuple(chosen["client"] or ()),
            client_tags=tuple(chosen["clients"] or ()),
        )
        return command(selection=selection, **values)

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own), *shared]
    )
    return wrapper


def option_values(
    option: str, values: list[str] | None, read: Callable[[str], str]
) -> tuple[str, ...]:
    """An option's values read by `read` (a vocabulary's reader), each once, in order; its
    ValueError becomes the option's InvalidOption."""
    try:
        return tuple(dict.fromkeys(read(value) for value in values or ()))
    except ValueError as error:
        raise InvalidOption(option, str(error)) from None


def make_filters(
    regulation: list[str] | None,
    jurisdiction: list[str] | None,
    tag: list[str] | None,
    role: list[str] | None,
    status: list[Status] | None,
    kind: list[Kind] | None,
    search: list[str] | None,
    law: list[str] | None = None,
) -> Filters:
    """The filters, each value of the closed vocabulary checked (regtrack.vocabulary)."""
    from regtrack import vocabulary

    return Filters(
        regulations=tuple(regulation or ()),
        jurisdictions=option_values("--jurisdiction", jurisdiction, vocabulary.jurisdiction),
        tags=tuple(tag or ()),
        roles=option_values("--role", role, vocabulary.role),
        statuses=tuple(status or ()),
        kinds=tuple(kind or ()),
        search=tuple(search or ()),
        laws=option_values("--law", law, vocabulary.jurisdiction),
    )


def render_options(fmt: Format) -> RenderOptions:
    """The terminal's width and colours, read when the command runs (never at import)."""
    if fmt is not Format.TABLE:
        return RenderOptions()
    from rich.console import Console

    console = Console(stderr=False)
    # COLUMNS=0 printed nothing, COLUMNS=99999999 took seconds and gigabytes (issue 14)
    width = min(max(console.width, MIN_WIDTH), MAX_WIDTH)
    return RenderOptions(width=width, color_system=console.color_system, no_color=console.no_color)


# The built-in registry's data is as fresh as its newest `verified` day: past this age, a person
# reading a table is told once, on stderr, to upgrade (issue 16). Never in machine-readable
# output, never in CI logs (CI is set), and REGTRACK_QUIET=1 turns it off.
STALE_AFTER = dt.timedelta(days=180)


def notice_stale_data(space: "Workspace", today: dt.date, fmt: Format) -> None:
    """One quiet line when the built-in registry's data is older than STALE_AFTER."""
    import os

    if fmt is not Format.TABLE or os.environ.get("CI") or os.environ.get("REGTRACK_QUIET"):
        return
    from regtrack.registry import builtin_path

    builtin = str(builtin_path())
    newest = max(
        (m.verified for o in space.every if o.file == builtin for m in o.milestones),
        default=None,
    )
    if newest is not None and today - newest > STALE_AFTER:
        say(
            f"regtrack: registry data as of {newest.isoformat()}: upgrade regtrack for newer "
            "dates (REGTRACK_QUIET=1 hides this)"
        )


def say(message: str) -> None:
    """One message line on stderr, escaped (regtrack.errors.visible): a path, a name or a reason
    echoed from input never writes escape sequences or workflow commands."""
    from regtrack.errors import visible

    sys.stderr.write(visible(message) + "\n")
    sys.stderr.flush()


def write_out(text: "str | Iterable[bytes]", *, commands: bool = False) -> None:
    """The command's output on stdout; a closed stdout or a full disk is an OutputError (exit 4),
    never a bug. A large document comes as UTF-8 pieces (regtrack.formats.Rendered). Only the
    `github` format, made of workflow commands, says `commands` (regtrack.cisafe)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    write_bytes_out(data, commands=commands)


def write_bytes_out(data: "bytes | Iterable[bytes]", *, commands: bool = False) -> None:
    """Bytes on stdout, whole or in pieces written as they come, with write_out's errors. Always
    UTF-8, whatever the locale says: the output is data (JSON, CSV, iCalendar) that its readers
    expect as UTF-8. No line of it is a CI workflow command (regtrack.cisafe) unless the output
    is made of them (`commands`: the github format)."""
    from regtrack.cisafe import neutral
    from regtrack.errors import OutputError

    if not commands:
        data = neutral(data)

    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output", "it is closed")
    try:
        stream.flush()
        for chunk in (data,) if isinstance(data, bytes) else data:
            stream.buffer.write(chunk)
        stream.buffer.flush()
    except BrokenPipeError:
        from regtrack.errors import ReaderGone

        raise ReaderGone from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise OutputError("standard output", reason) from None


def silence_stdout() -> None:
    """Standard output's reader went away: whatever is written to it from now on, Python's own
    flush at exit included, goes nowhere instead of raising a broken pipe."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@contextlib.contextmanager
def output_of_a_gate() -> Iterator[None]:
    """Around the output of a command whose exit code is a verdict (`check`, `sources check`):
    a reader that leaves early (`regtrack check | head`) ends the output, not the verdict, so
    that a failing gate never passes because its log was cut short."""
    from regtrack.errors import ReaderGone

    try:
        yield
    except ReaderGone:
        silence_stdout()


def write_file(path: Path, data: "bytes | Iterable[bytes]", *, commands: bool = False) -> None:
    """`-o FILE`: written atomically (regtrack.atomic), or to stdout for `-` and /dev/stdout; a
    file is as free of workflow commands as standard output (regtrack.cisafe)."""
    from regtrack.atomic import is_stdout, write_atomic

    if is_stdout(path):
        write_bytes_out(data, commands=commands)
    else:
        from regtrack.cisafe import neutral

        refuse_an_input(path)
        write_atomic(path, data if commands else neutral(data))


def refuse_an_input(path: Path) -> None:
    """No output replaces a file the command read (issue 27): `-o regtrack.yaml`, `--junit
    waivers.yaml` are input errors, named, and nothing is written."""
    from regtrack.inputs import READ

    try:
        info = Path(path).stat()
    except OSError:  # not there yet: nothing to lose
        return
    if (info.st_dev, info.st_ino) in READ:
        raise InvalidOption(
            "output",
            f"{path} is a file this command reads; write the output to another file",
        )


def since_day(option: str, text: str, today: dt.date) -> dt.date:
    """A day given as `YYYY-MM-DD`, or as a duration back from `today` (`30d`, `3m`): `changes
    --since`, `digest --changes-since`."""
    from regtrack.dates import parse_horizon, subtract_duration

    try:
        if text[:1].isdigit() and "-" in text:
            day = parse_day(text.strip())
        else:
            day = subtract_duration(today, parse_horizon(text))
    except ValueError as error:
        raise InvalidOption(option, str(error)) from None
    if day > today:
        raise InvalidOption(option, f"{day.isoformat()} is after today ({today.isoformat()})")
    return day
