"""Commands that write the organisation file: `init` creates it, `done` records a completion."""

import os
from pathlib import Path
from typing import Annotated

import typer

from regtrack.cli.common import (
    Config,
    Events,
    NoBuiltin,
    Registries,
    Today,
    completing,
    load_workspace,
    option_values,
    resolve_today,
    say,
)
from regtrack.errors import ExitCode, InvalidOption
from regtrack.vocabulary import JURISDICTIONS, ROLES, SECTORS

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
) -> int:
    """Write a commented regtrack.yaml for your organisation.

    Profile, registries, your own obligations, overrides, waivers, events and the completion
    ledger."""
    from regtrack import vocabulary
    from regtrack.orgfile import create
    from regtrack.orgmodels import Profile

    places = option_values("--jurisdiction", jurisdiction, vocabulary.jurisdiction)
    roles = option_values("--role", role, vocabulary.role)
    sectors = option_values("--sector", sector, vocabulary.sector)
    if any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        raise InvalidOption("--name", "must be one line")
    profile = Profile(name.strip(), places, roles, sectors)
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
