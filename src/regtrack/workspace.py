"""What a command works on: the registries, the organisation file (`regtrack.yaml`) and the
recorded events, put together for a day. Reads files (through regtrack.registry), writes none."""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import contextlib
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from regtrack.errors import InvalidRegistry, Problem
from regtrack.models import Obligation

if TYPE_CHECKING:
    from regtrack.orgmodels import Event, OrgConfig, Portfolio, Profile, Waiver

CONFIG_NAME = "regtrack.yaml"
PORTFOLIO_NAME = "portfolio.yaml"
# Recurring duties are expanded this far around the day, so that an overdue occurrence of the
# past year is still seen, and a year ahead is listed.
RECURRENCE_REACH = dt.timedelta(days=366)


def _near(up: int) -> Path:
    """The folder `up` levels above the working one, named as the user would (`.`, `..`,
    `../..`): every message then says `regtrack.yaml` or `../portfolio.yaml`, not a long
    absolute path."""
    return Path(*([".."] * up)) if up else Path()


def find_config(explicit: Path | None, environment: str | None, cwd: Path) -> Path | None:
    """--config FILE, else REGTRACK_CONFIG, else ./regtrack.yaml searched upward to the
    repository's root (a folder with .git) or the filesystem's, named relative to `cwd` (the
    working folder); None when there is none."""
    if explicit is not None:
        return explicit
    if environment and environment.strip():
        return Path(environment.strip())
    for up, folder in enumerate((cwd, *cwd.parents)):
        if (folder / CONFIG_NAME).is_file():
            return _near(up) / CONFIG_NAME
        if (folder / ".git").exists():
            break
    return None


class Scope(NamedTuple):
    """What a run is about: one organisation file, or a consultancy's portfolio file (or
    neither: the registries alone)."""

    config: Path | None = None
    portfolio: Path | None = None


def find_scope(
    config: Path | None, portfolio: Path | None, environment: Mapping[str, str], cwd: Path
) -> Scope:
    """--config FILE, --portfolio FILE, REGTRACK_CONFIG, REGTRACK_PORTFOLIO, in that order; else
    the nearest folder, from `cwd` upward to the repository's root, with a regtrack.yaml (one
    organisation) or a portfolio.yaml (a consultancy's clients): from the portfolio's root a run
    is about its clients, never silently about no one (issue 25)."""
    if config is not None:
        return Scope(config=config)
    if portfolio is not None:
        return Scope(portfolio=portfolio)
    if environment.get("REGTRACK_CONFIG", "").strip():
        return Scope(config=Path(environment["REGTRACK_CONFIG"].strip()))
    if environment.get("REGTRACK_PORTFOLIO", "").strip():
        return Scope(portfolio=Path(environment["REGTRACK_PORTFOLIO"].strip()))
    for up, folder in enumerate((cwd, *cwd.parents)):
        near = _near(up)
        if (folder / CONFIG_NAME).is_file():
            return Scope(config=near / CONFIG_NAME)
        if (folder / PORTFOLIO_NAME).is_file():
            return Scope(portfolio=near / PORTFOLIO_NAME)
        if (folder / ".git").exists():
            break
    return Scope()


class Workspace(NamedTuple):
    """Obligations ready for selection: overrides applied, events and recurrences expanded,
    completions marked; `obligations` holds those that apply, `every` all of them."""

    obligations: tuple[Obligation, ...]
    every: tuple[Obligation, ...]
    config: "OrgConfig | None" = None
    profile: "Profile | None" = None
    waivers: "tuple[Waiver, ...]" = ()  # the organisation file's and --waivers files'
    events: "tuple[Event, ...]" = ()  # every recorded event, open or closed
    client: str = ""  # in a portfolio: the client's name

    def get(self, obligation_id: str) -> Obligation | None:
        """Any obligation by id, applicable or not."""
        return next((o for o in self.every if o.id == obligation_id), None)


def inherit(config: "OrgConfig", baseline: "Portfolio") -> "OrgConfig":
    """An organisation file with a portfolio's baseline: the firm's own obligations (the
    organisation's own of the same id win), overrides (the organisation's own override of an
    obligation replaces the firm's) and waivers added to its own."""
    mine = {o.id for o in config.obligations}
    overridden = {o.obligation for o in config.overrides}
    return config._replace(
        obligations=(*config.obligations, *(o for o in baseline.obligations if o.id not in mine)),
        overrides=(
            *(o for o in baseline.overrides if o.obligation not in overridden),
            *config.overrides,
        ),
        waivers=(*baseline.waivers, *config.waivers),
    )


def _once(paths: Sequence[Path], seen: set[Path]) -> list[Path]:
    """`paths` without those already read (a file named twice, or the organisation file given
    again with --waivers or --events, is read once)."""
    out = []
    for path in paths:
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            real = path.absolute()
        if real not in seen:
            seen.add(real)
            out.append(path)
    return out


def open_workspace(
    *,
    registries: Sequence[Path] = (),
    events: Sequence[Path] = (),
    waivers: Sequence[Path] = (),
    config_path: Path | None = None,
    today: dt.date,
    until: dt.date | None = None,
    include_all: bool = False,
    builtin: bool = True,
    baseline: "Portfolio | None" = None,
) -> Workspace:
    """Load and assemble; InvalidRegistry lists every problem of every file at once.

    Registries are the built-in one (unless `builtin` is false or the organisation file says
    `builtin: false`), the organisation file's `registries.files`, and `registries` added to
    them. Waivers and events are the organisation file's and those of the files given. A
    portfolio's `baseline` adds its own obligations, overrides and waivers to the organisation
    file's (the organisation's own override of an obligation replaces the baseline's)."""
    from regtrack.registry import builtin_path, load, load_config, load_events, load_waivers

    problems: list[Problem] = []
    config = None
    baseline_file = baseline.file if baseline is not None else ""
    seen: set[Path] = set()
    if config_path is not None:
        _once([config_path], seen)
        try:
            config = load_config(config_path)
        except InvalidRegistry as error:
            problems += error.problems
        if config is not None and baseline is not None:
            config = inherit(config, baseline)
    paths: list[Path] = []
    if builtin and (config is None or config.builtin):
        paths.append(builtin_path())
    if config is not None:
        paths += [Path(config.file).parent / extra for extra in config.registries]
    paths = _once([*paths, *registries], set())
    obligations: list[Obligation] = []
    try:
        obligations = list(load(paths).obligations)
    except InvalidRegistry as error:
        problems += error.problems
    if config is not None:
        known = {o.id: o for o in obligations}
        for own in config.obligations:
            if own.id in known:
                problems.append(
                    Problem(
                        own.file,
                        own.line,
                        1,
                        f"obligations[{own.id}].id",
                        f"duplicate id: {known[own.id].file}:{known[own.id].line} has it",
                    )
                )
        obligations += config.obligations
    # What the organisation's files may name: `--no-builtin` leaves the built-in registry out
    # of what is shown, not out of what its ledger, overrides, waivers and events may be about
    # (a `done` entry for a built-in obligation made every `--no-builtin` run exit 2).
    referable = obligations
    if not builtin and (config is None or config.builtin):
        # (the built-in registry is tested valid; were it not, there would be nothing to add)
        with contextlib.suppress(InvalidRegistry):
            referable = [*obligations, *load([builtin_path()]).obligations]
    recorded: list[Event] = list(config.events) if config else []
    for path in _once(events, seen):
        try:
            recorded += load_events(path)
        except InvalidRegistry as error:
            problems += error.problems
    waived: list[Waiver] = list(config.waivers) if config else []
    for path in _once(waivers, seen):
        try:
            waived += load_waivers(path)
        except InvalidRegistry as error:
            problems += error.problems
    # The organisation's machinery is imported only when there is something for it to do.
    if recorded:
        from regtrack.events import event_problems

        problems += event_problems(recorded, referable)
    if waived:
        from regtrack.organisation import waiver_problems

        problems += waiver_problems(waived, referable, recorded, baseline_file)
    if config is not None:
        from regtrack.organisation import ledger_problems

        problems += ledger_problems(
            config.done, config.overrides, referable, recorded, baseline_file
        )
    if problems:
        raise InvalidRegistry(problems)
    if config is not None:
        from regtrack.organisation import apply_overrides

        obligations = apply_overrides(obligations, config.overrides)
    if any(o.recurrence is not None for o in obligations):
        from regtrack.organisation import expand_recurring

        first = today - RECURRENCE_REACH
        last = max(until or today, today + RECURRENCE_REACH)
        expanded = []
        for o in obligations:
            try:
                expanded.append(expand_recurring(o, first, last) if o.recurrence else o)
            except ValueError as error:  # more occurrences than regtrack expands
                problems.append(
                    Problem(o.file, o.line, 1, f"obligations[{o.id}].recurrence", str(error))
                )
        if problems:
            raise InvalidRegistry(problems)
        obligations = expanded
    if recorded:
        from regtrack.events import expand

        obligations += expand(recorded, obligations, today)
    if config is not None:
        from regtrack.organisation import mark_done

        obligations = mark_done(obligations, config.done, today)
    profile = config.profile if config else None
    if profile is not None and not include_all:
        from regtrack.organisation import applicability

        chosen = [o for o in obligations if applicability(o, profile)[0]]
    else:
        chosen = [o for o in obligations if include_all or not o.not_applicable]
    return Workspace(
        tuple(chosen),
        tuple(obligations),
        config,
        profile,
        tuple(waived),
        tuple(recorded),
    )
