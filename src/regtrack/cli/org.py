"""Commands that write the organisation file: `init` creates it, `done` records a completion."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regtrack.cli.common import (
    Config,
    Events,
    NoBuiltin,
    PortfolioFile,
    Registries,
    Today,
    completing,
    load_workspace,
    option_values,
    resolve_today,
    say,
)
from regtrack.errors import ExitCode, InvalidOption
from regtrack.orgfile import create
from regtrack.vocabulary import JURISDICTIONS, ROLES, SECTORS

if TYPE_CHECKING:
    from regtrack.orgmodels import Profile

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use


@cli.command("init")
def init_command(
    path: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write it."),
    ] = Path("regtrack.yaml"),
    name: Annotated[str, typer.Option("--name", help="Your organisation's name.")] = "",
    jurisdiction: Annotated[
        list[str] | None,
        typer.Option(
            "--jurisdiction",
            "-j",
            autocompletion=completing(JURISDICTIONS),
            help="Where you operate: FR, DE, UK ... (repeatable).",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            autocompletion=completing(ROLES),
            help="Your roles (repeatable): " + ", ".join(ROLES) + ".",
            show_default=False,
        ),
    ] = None,
    sector: Annotated[
        list[str] | None,
        typer.Option(
            "--sector",
            autocompletion=completing(SECTORS),
            help="Your sectors (repeatable): " + ", ".join(SECTORS) + ".",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            metavar="NAME",
            help="Add a client to the portfolio (./portfolio.yaml, --portfolio, or the one "
            "found upward; made if there is none): its organisation file is written to "
            "clients/NAME/regtrack.yaml with this profile.",
            show_default=False,
        ),
    ] = None,
    remove_client: Annotated[
        str | None,
        typer.Option(
            "--remove-client",
            metavar="NAME",
            help="Remove a client from the portfolio (its folder is kept).",
            show_default=False,
        ),
    ] = None,
    contact: Annotated[
        list[str] | None,
        typer.Option(
            "--contact",
            metavar="ADDRESS",
            help="With --client: who receives the client's digest (repeatable).",
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            metavar="TAG",
            help="With --client: a tag --clients groups by (repeatable).",
            show_default=False,
        ),
    ] = None,
    portfolio: PortfolioFile = None,
) -> int:
    """Write a commented regtrack.yaml for your organisation, or add a client to a portfolio.

    Profile, registries, your own obligations, overrides, waivers, events and the completion
    ledger. With --client NAME, a consultancy's client: its organisation file, and its entry in
    portfolio.yaml; --remove-client NAME takes the entry out."""
    from regtrack import vocabulary
    from regtrack.orgmodels import Profile

    places = option_values("--jurisdiction", jurisdiction, vocabulary.jurisdiction)
    roles = option_values("--role", role, vocabulary.role)
    sectors = option_values("--sector", sector, vocabulary.sector)
    if any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        raise InvalidOption("--name", "must be one line")
    profile = Profile(name.strip(), places, roles, sectors)
    if remove_client is not None or client is not None:
        return _clients(profile, path, force, client, remove_client, contact, tag, portfolio)
    if contact or tag:
        raise InvalidOption("--contact" if contact else "--tag", "describes a client: use --client")
    create(path, profile, force=force)
    say(f"wrote {path}: edit its profile, then run regtrack upcoming")
    nis2 = {"essential-entity", "important-entity"}
    # NIS2 is EU law: a profile only in the UK (which has its own NIS Regulations 2018) or
    # elsewhere outside the Union is not told to take its roles
    in_eu = not places or any(vocabulary.covers(place, "EU") for place in places)
    if in_eu and "health" in sectors and not nis2 & set(roles):
        # NIS2 Annex I lists health among its sectors of high criticality
        say(
            "note: healthcare providers are in NIS2's scope (Annex I, health) when large "
            "enough: add --role essential-entity or --role important-entity if you are one"
        )
    return ExitCode.OK


def _clients(
    profile: "Profile",
    path: Path,
    force: bool,
    add: str | None,
    remove: str | None,
    contacts: list[str] | None,
    tags: list[str] | None,
    portfolio: Path | None,
) -> int:
    """`init --client NAME` and `init --remove-client NAME` (issue 25)."""
    from regtrack.orgmodels import Client
    from regtrack.parse.portfolio import address
    from regtrack.portfoliofile import add_client, remove_client
    from regtrack.workspace import PORTFOLIO_NAME, find_scope

    if add is not None and remove is not None:
        raise InvalidOption("--remove-client", "cannot be combined with --client")
    scope = find_scope(None, portfolio, os.environ, Path.cwd())
    if (
        scope.config is not None
        and scope.portfolio is None
        and portfolio is None
        and not Path(PORTFOLIO_NAME).exists()
    ):
        raise InvalidOption(
            "--client" if add else "--remove-client",
            f"this folder belongs to the organisation of {scope.config}: run it from the "
            "portfolio's root, or give --portfolio FILE",
        )
    file = scope.portfolio or portfolio or Path(PORTFOLIO_NAME)
    if remove is not None:
        remove_client(file, remove.strip())
        say(f"{file}: removed client {remove.strip()}; its folder is kept")
        return ExitCode.OK
    assert add is not None
    name = add.strip()
    from regtrack.parse import SLUG

    if not SLUG.fullmatch(name):
        raise InvalidOption("--client", f"{add!r} is not a slug (lowercase a-z, 0-9 and -)")
    addresses = []
    for value in contacts or ():
        try:
            addresses.append(address(value.strip()))
        except ValueError as error:
            raise InvalidOption("--contact", str(error)) from None
    if file.exists():
        from regtrack.registry import load_portfolio

        known = [c.name for c in load_portfolio(file).clients]
        if name in known:
            raise InvalidOption("--client", f"{file} has a client {name!r} already")
    config = Path("clients") / name / "regtrack.yaml"
    where = file.parent / config
    if where.exists() and not force:
        raise InvalidOption("--client", f"{where} exists already (--force replaces it)")

    def organisation_file() -> None:
        where.parent.mkdir(parents=True, exist_ok=True)
        create(where, profile._replace(name=profile.name or name), force=force)

    entry = Client(name, config.as_posix(), tuple(addresses), tuple(tags or ()))
    add_client(file, entry, organisation_file)
    say(f"{file}: added client {name}, with its organisation file {where}")
    return ExitCode.OK


@cli.command("done")
def done_command(
    target: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="What was completed: OBLIGATION, OBLIGATION/MILESTONE, OBLIGATION@EVENT or "
            "OBLIGATION@EVENT/DEADLINE (the names check and show print).",
        ),
    ],
    evidence: Annotated[
        str,
        typer.Option("--evidence", metavar="TEXT_OR_URL", help="What shows it was done."),
    ] = "",
    occurrence: Annotated[
        str | None,
        typer.Option(
            "--occurrence",
            metavar="DATE|MILESTONE",
            help="Which milestone, or which occurrence of a recurring duty (its date, or the "
            "working day it moved to); default: the only open one, or the occurrence due now.",
            show_default=False,
        ),
    ] = None,
    whole_event: Annotated[
        bool,
        typer.Option(
            "--all-deadlines", help="With OBLIGATION@EVENT: every open deadline of the event."
        ),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="NAME", help="Who did it (default: $USER).", show_default=False
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="YYYY-MM-DD",
            help="When it was done (default: today; not after today).",
            show_default=False,
        ),
    ] = None,
    today: Today = None,
    config: Config = None,
    registry: Registries = None,
    no_builtin: NoBuiltin = False,
    events: Events = None,
) -> int:
    """Record that a deadline, a review, an occurrence of a recurring duty or a deadline an
    event started is done.

    The entry (who, when, with what evidence) goes to the organisation file's ledger; the
    file's comments and layout are kept. A date the rules apply from cannot be done (it is in
    force), and a name that fits several open deadlines is refused with the list of them."""
    from regtrack.dates import parse_day
    from regtrack.ledger import targets
    from regtrack.orgfile import append_completions
    from regtrack.orgmodels import Completion
    from regtrack.workspace import find_config

    day = resolve_today(today)
    path = find_config(config, os.environ.get("REGTRACK_CONFIG"), Path.cwd())
    if path is None:
        raise InvalidOption("--config", "no regtrack.yaml here or above; run regtrack init first")
    if not evidence.strip():
        raise InvalidOption("--evidence", "is required: a ticket, a document, a URL")
    try:
        when = parse_day(on) if on else day
    except ValueError as error:
        raise InvalidOption("--on", str(error)) from None
    if when > day:
        raise InvalidOption("--on", f"{when} is after today ({day}): record it once it is done")
    who = (by or os.environ.get("USER") or os.environ.get("USERNAME") or "").strip()
    if not who:
        raise InvalidOption("--by", "is required (no $USER to default to)")
    for option, value in (("--by", who), ("--evidence", evidence)):
        if any(ord(ch) < 32 and ch not in "\t" for ch in value):
            raise InvalidOption(option, "must be one line of text")
    space = load_workspace(day, registry, events, path, include_all=True, builtin=not no_builtin)
    chosen = targets(space.every, space.events, target, occurrence, day, whole_event=whole_event)
    assert space.config is not None
    # the whole ledger, also entries dated after the evaluated day: never the same thing twice
    for o, m in chosen:
        earlier = next(
            (c for c in space.config.done if (c.obligation, c.milestone) == (o.id, m.id)), None
        )
        if earlier is not None:
            raise InvalidOption(
                "ID",
                f"{o.id}/{m.id} is already recorded as done on {earlier.on} by {earlier.by} "
                f"({earlier.file}:{earlier.line})",
            )
    entries = [Completion(o.id, m.id, when, who, evidence.strip()) for o, m in chosen]
    append_completions(path, entries)
    for (o, m), entry in zip(chosen, entries, strict=True):
        moved = f" (due {m.window.text})" if m.window.text != m.id else ""
        say(f"{path}: recorded {o.id}/{entry.milestone}{moved} as done on {when} by {who}")
    return ExitCode.OK
