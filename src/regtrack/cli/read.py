"""Read commands: `upcoming`, `list`, `show`. They write nothing but their output."""

from typing import Annotated

import typer

from regtrack.cli.common import (
    Config,
    Events,
    Formats,
    Registries,
    Selection,
    Today,
    load_workspace,
    render_options,
    resolve_today,
    selection_options,
    write_out,
)
from regtrack.dates import add_duration, parse_horizon
from regtrack.errors import ExitCode, InvalidOption, UnknownId
from regtrack.formats import Format, renderer
from regtrack.models import Obligation
from regtrack.select import select_obligations, suggest, upcoming

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use


@cli.command("upcoming")
@selection_options
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
    fmt: Formats = Format.TABLE,
    *,
    selection: Selection,
) -> int:
    """Milestones from today through --within, soonest first."""
    day = selection.today
    try:
        horizon = parse_horizon(within)
    except ValueError as error:
        raise InvalidOption("--within", str(error)) from None
    until = add_duration(day, horizon)
    rows = upcoming(selection.workspace(until).obligations, selection.filters, day, until)
    write_out(renderer(fmt).render_upcoming(rows, day, render_options(fmt)))
    return ExitCode.OK


@cli.command("list")
@selection_options
def list_command(fmt: Formats = Format.TABLE, *, selection: Selection) -> int:
    """Every obligation, with the same filters and formats as upcoming."""
    chosen = select_obligations(selection.workspace().obligations, selection.filters)
    write_out(renderer(fmt).render_list(chosen, selection.today, render_options(fmt)))
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
