"""Commands that write the organisation file: `init` creates it, `done` records a completion."""

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from regtrack.cli.common import Config, Registries, Today, load_workspace, resolve_today
from regtrack.errors import ExitCode, InvalidOption, UnknownId
from regtrack.models import Obligation
from regtrack.select import suggest

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
            help="Where you operate: FR, DE, UK ... (repeatable).",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role", help="Your roles: controller, deployer ... (repeatable).", show_default=False
        ),
    ] = None,
    sector: Annotated[
        list[str] | None,
        typer.Option(
            "--sector", help="Your sectors: health, finance ... (repeatable).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> int:
    """Write a commented regtrack.yaml for your organisation.

    Profile, registries, your own obligations, overrides, waivers, events and the completion
    ledger."""
    from regtrack.orgfile import create
    from regtrack.orgmodels import Profile
    from regtrack.parse import SLUG, jurisdiction_code

    places = []
    for value in jurisdiction or ():
        try:
            places.append(jurisdiction_code(value))
        except ValueError as error:
            raise InvalidOption("--jurisdiction", str(error)) from None
    for option, values in (("--role", role or ()), ("--sector", sector or ())):
        for value in values:
            if not SLUG.fullmatch(value):
                raise InvalidOption(option, f"{value!r} is not a slug (lowercase a-z, 0-9 and -)")
    if any(ch in name for ch in "\n\r\t\x00"):
        raise InvalidOption("--name", "must be one line")
    profile = Profile(name.strip(), tuple(places), tuple(role or ()), tuple(sector or ()))
    create(path, profile, force=force)
    sys.stderr.write(f"wrote {path}: edit its profile, then run regtrack upcoming\n")
    return ExitCode.OK


def _default_occurrence(obligation: Obligation, today: dt.date) -> str:
    """The milestone `done` means when none is named: the only one, or for a recurring duty the
    latest open occurrence due by today, else the next one."""
    open_ones = [m for m in obligation.milestones if m.done is None]
    if obligation.recurrence is None:
        if len(obligation.milestones) == 1:
            return obligation.milestones[0].id
        names = ", ".join(m.id for m in obligation.milestones) or "none"
        raise InvalidOption(
            "--occurrence", f"{obligation.id} has several milestones ({names}); name one"
        )
    past = [m for m in open_ones if m.window.start <= today]
    future = [m for m in open_ones if m.window.start > today]
    if past:
        return max(past, key=lambda m: m.window.start).id
    if future:
        return min(future, key=lambda m: m.window.start).id
    raise InvalidOption("--occurrence", f"{obligation.id} has no open occurrence near {today}")


@cli.command("done")
def done_command(
    obligation_id: Annotated[str, typer.Argument(metavar="ID", help="What was completed.")],
    evidence: Annotated[
        str,
        typer.Option("--evidence", metavar="TEXT_OR_URL", help="What shows it was done."),
    ] = "",
    occurrence: Annotated[
        str | None,
        typer.Option(
            "--occurrence",
            metavar="DATE|MILESTONE",
            help="Which occurrence (a date) or milestone (default: the one due now).",
            show_default=False,
        ),
    ] = None,
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
            help="When it was done (default: today).",
            show_default=False,
        ),
    ] = None,
    today: Today = None,
    config: Config = None,
    registry: Registries = None,
) -> int:
    """Record that a milestone, or an occurrence of a recurring duty, is done.

    The entry (who, when, with what evidence) goes to the organisation file's ledger; the
    file's comments and layout are kept."""
    from regtrack.dates import parse_day
    from regtrack.orgfile import append_completion
    from regtrack.orgmodels import Completion
    from regtrack.workspace import find_config

    day = resolve_today(today)
    if not evidence.strip():
        raise InvalidOption("--evidence", "is required: a ticket, a document, a URL")
    path = find_config(config, os.environ.get("REGTRACK_CONFIG"), Path.cwd())
    if path is None:
        raise InvalidOption("--config", "no regtrack.yaml here or above; run regtrack init first")
    space = load_workspace(day, registry, None, path, include_all=True)
    obligation = space.get(obligation_id.strip())
    if obligation is None:
        ids = [o.id for o in space.every]
        raise UnknownId(obligation_id, suggest(obligation_id.strip().casefold(), ids))
    milestone = occurrence.strip() if occurrence else _default_occurrence(obligation, day)
    known = {m.id: m for m in obligation.milestones}
    if milestone not in known:
        raise InvalidOption(
            "--occurrence",
            f"{obligation.id} has no milestone or occurrence {milestone!r} "
            f"(near today: {', '.join(sorted(known)[-5:]) or 'none'})",
        )
    if known[milestone].done is not None:
        previous = known[milestone].done
        assert previous is not None
        raise InvalidOption(
            "ID", f"{obligation.id} {milestone} is already recorded as done on {previous.on}"
        )
    try:
        when = parse_day(on) if on else day
    except ValueError as error:
        raise InvalidOption("--on", str(error)) from None
    who = (by or os.environ.get("USER") or os.environ.get("USERNAME") or "").strip()
    if not who:
        raise InvalidOption("--by", "is required (no $USER to default to)")
    for option, value in (("--by", who), ("--evidence", evidence)):
        if any(ord(ch) < 32 and ch not in "\t" for ch in value):
            raise InvalidOption(option, "must be one line of text")
    entry = Completion(obligation.id, milestone, when, who, evidence.strip())
    append_completion(path, entry)
    sys.stderr.write(f"{path}: recorded {obligation.id} {milestone} as done on {when} by {who}\n")
    return ExitCode.OK
