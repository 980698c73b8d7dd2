"""Read commands: `upcoming`, `list`, `show`. They write nothing but their output."""

from typing import Annotated

import typer

from regtrack.cli.common import (
    Config,
    Events,
    Formats,
    NoBuiltin,
    Registries,
    Selection,
    Today,
    load_workspace,
    notice_stale_data,
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
    show_overdue: Annotated[
        bool,
        typer.Option(
            "--overdue/--no-overdue",
            help="Lead with what is overdue and not done (what regtrack check fails on, or "
            "warns on for a date that was only expected or proposed), "
            "whatever --within says.",
        ),
    ] = True,
    *,
    selection: Selection,
) -> int:
    """What is overdue, then the milestones from today through --within, soonest first."""
    day = selection.today
    try:
        horizon = parse_horizon(within)
    except ValueError as error:
        raise InvalidOption("--within", str(error)) from None
    until = add_duration(day, horizon)
    space = selection.workspace(until)
    rows = upcoming(space.obligations, selection.filters, day, until)
    if show_overdue:
        from regtrack.checks import overdue

        roles = space.profile.roles if space.profile is not None else ()
        late = overdue(space.obligations, selection.filters, day, space.waivers, roles)
        rows = [*late, *rows]
    write_out(renderer(fmt).render_upcoming(rows, day, render_options(fmt)))
    notice_stale_data(space, day, fmt)
    return ExitCode.OK


@cli.command("list")
@selection_options
def list_command(fmt: Formats = Format.TABLE, *, selection: Selection) -> int:
    """Every obligation, with the same filters and formats as upcoming."""
    space = selection.workspace()
    chosen = select_obligations(space.obligations, selection.filters)
    write_out(renderer(fmt).render_list(chosen, selection.today, render_options(fmt)))
    notice_stale_data(space, selection.today, fmt)
    return ExitCode.OK


@cli.command("show")
def show_command(
    obligation_id: Annotated[str, typer.Argument(metavar="ID", help="The obligation's id.")],
    today: Today = None,
    fmt: Formats = Format.TABLE,
    registry: Registries = None,
    no_builtin: NoBuiltin = False,
    events: Events = None,
    config: Config = None,
) -> int:
    """One obligation in full, and whether it applies to your organisation.

    Sources, milestones with their history and completions, periods; with an organisation
    file, whether the obligation applies to you, and why."""
    from regtrack.organisation import applicability

    day = resolve_today(today)
    space = load_workspace(day, registry, events, config, include_all=True, builtin=not no_builtin)
    obligation: Obligation | None = space.get(obligation_id.strip())
    if obligation is None:
        ids = [o.id for o in space.every]
        raise UnknownId(obligation_id, suggest(obligation_id.strip().casefold(), ids))
    applies = applicability(obligation, space.profile) if space.config else None
    write_out(renderer(fmt).render_show(obligation, day, render_options(fmt), applies))
    return ExitCode.OK
