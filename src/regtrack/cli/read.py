"""Read commands: `upcoming`, `list`, `show`. They write nothing but their output."""

from typing import Annotated

import typer

from regtrack.cli.common import (
    All,
    Config,
    Events,
    Formats,
    Jurisdictions,
    Kinds,
    Registries,
    Regulations,
    Roles,
    Search,
    Statuses,
    Tags,
    Today,
    load_workspace,
    make_filters,
    render_options,
    resolve_today,
    write_out,
)
from regtrack.dates import add_duration, parse_horizon
from regtrack.errors import ExitCode, InvalidOption, UnknownId
from regtrack.formats import Format, renderer
from regtrack.models import Obligation
from regtrack.select import select_obligations, suggest, upcoming

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use


@cli.command("upcoming")
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
    events: Events = None,
    config: Config = None,
    every: All = False,
) -> int:
    """Milestones from today through --within, soonest first."""
    day = resolve_today(today)
    try:
        horizon = parse_horizon(within)
    except ValueError as error:
        raise InvalidOption("--within", str(error)) from None
    until = add_duration(day, horizon)
    filters = make_filters(regulation, jurisdiction, tag, role, status, kind, search)
    space = load_workspace(day, registry, events, config, every, until)
    rows = upcoming(space.obligations, filters, day, until)
    write_out(renderer(fmt).render_upcoming(rows, day, render_options(fmt)))
    return ExitCode.OK


@cli.command("list")
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
    config: Config = None,
    every: All = False,
) -> int:
    """Every obligation, with the same filters and formats as upcoming."""
    day = resolve_today(today)
    filters = make_filters(regulation, jurisdiction, tag, role, status, kind, search)
    space = load_workspace(day, registry, None, config, every)
    chosen = select_obligations(space.obligations, filters)
    write_out(renderer(fmt).render_list(chosen, day, render_options(fmt)))
    return ExitCode.OK


@cli.command("show")
def show_command(
    obligation_id: Annotated[str, typer.Argument(metavar="ID", help="The obligation's id.")],
    today: Today = None,
    fmt: Formats = Format.TABLE,
    registry: Registries = None,
    events: Events = None,
    config: Config = None,
) -> int:
    """One obligation in full, and whether it applies to your organisation.

    Sources, milestones with their history and completions, periods; with an organisation
    file, whether the obligation applies to you, and why."""
    from regtrack.organisation import applicability

    day = resolve_today(today)
    space = load_workspace(day, registry, events, config, include_all=True)
    obligation: Obligation | None = space.get(obligation_id.strip())
    if obligation is None:
        ids = [o.id for o in space.every]
        raise UnknownId(obligation_id, suggest(obligation_id.strip().casefold(), ids))
    applies = applicability(obligation, space.profile) if space.config else None
    write_out(renderer(fmt).render_show(obligation, day, render_options(fmt), applies))
    return ExitCode.OK
