"""Read commands: `upcoming`, `list`, `show`. They write nothing but their output."""

import datetime as dt
import heapq
from typing import TYPE_CHECKING, Annotated

import typer

from regtrack.agenda import Agenda
from regtrack.agenda.horizons import UPCOMING
from regtrack.cli.common import (
    ClientNames,
    ClientTags,
    Config,
    Events,
    Formats,
    NoBuiltin,
    Now,
    PortfolioFile,
    Registries,
    Selection,
    Today,
    Waivers,
    from_registry,
    notice_stale_data,
    render_options,
    resolve_moment,
    selection_options,
    write_out,
)
from regtrack.dates import add_duration, parse_horizon
from regtrack.errors import ExitCode, InvalidOption, UnknownId
from regtrack.formats import Format, Span, renderer, text_of
from regtrack.models import Obligation, Status
from regtrack.select import Filters, select_obligations, suggest

if TYPE_CHECKING:
    from regtrack.agenda import Due
    from regtrack.workspace import Workspace

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
    ] = UPCOMING,
    fmt: Formats = Format.TABLE,
    show_overdue: Annotated[
        bool,
        typer.Option(
            "--overdue/--no-overdue",
            help="Lead with what is overdue: each deadline or review whose day has passed, "
            "owed by you and not done (waived ones marked so), whatever --within says.",
        ),
    ] = True,
    *,
    selection: Selection,
) -> int:
    """What is overdue, then the milestones from today through --within, soonest first.

    Each row says what regtrack check would: waived (by whom, until when), owed by others
    only, due at an instant (a breach's 72 hours), and where the text is."""
    day = selection.today
    try:
        horizon = parse_horizon(within)
    except ValueError as error:
        raise InvalidOption("--within", str(error)) from None
    until = add_duration(day, horizon)
    span = Span(day, day, until, overdue=show_overdue)
    spaces = selection.workspaces(until)
    listed: list[list[tuple[int, Due]]] = []
    for space in spaces:  # one organisation, or each client of a portfolio
        agenda = Agenda.of(space, selection.moment, selection.filters)
        rows = agenda.window(day, until)
        late = agenda.lead() if show_overdue else []
        led = {row.name for row in late}
        # a deadline that ended at a time earlier today leads, and is not listed twice
        listed.append([*((0, r) for r in late), *((1, r) for r in rows if r.name not in led)])
    # A portfolio's clients in one list, overdue first, then by date: each client's rows keep
    # their own run's order (a merge never reorders what one input holds), and each names its
    # organisation.
    together = (
        heapq.merge(*listed, key=lambda p: (p[0], _day(p[1]))) if len(listed) > 1 else listed[0]
    )
    merged = [row for _, row in together]
    module, options = renderer(fmt), render_options(fmt)
    head = _profiles(spaces, fmt) if spaces[0].client and fmt in _PEOPLE else ""
    rendered = module.render_upcoming(merged, span, options)
    write_out(head + text_of(rendered) if head else rendered)
    notice_stale_data(spaces[0], day, fmt)
    return ExitCode.OK


_PEOPLE = (Format.TABLE, Format.MARKDOWN)  # the formats that open with whose run it is


def _day(row: "Due") -> dt.date:
    return row.milestone.window.start


def _profiles(spaces: "list[Workspace]", fmt: Format) -> str:
    """What a portfolio's upcoming opens with, for people: each client and the profile it was
    evaluated with."""
    from regtrack.errors import visible
    from regtrack.formats.wording import profile_text

    lines = [f"Clients ({len(spaces)}), each with its own profile:"]
    for space in spaces:
        profile = space.profile
        who = profile_text(profile.name if profile else "", profile) or "no profile"
        if fmt is Format.MARKDOWN:
            from regtrack.formats.markdown import escape

            lines.append(f"- `{space.client}`: {escape(who)}")
        else:
            lines.append(visible(f"  {space.client}: {who}"))
    return "\n".join(lines) + "\n\n"


@cli.command("list")
@selection_options
def list_command(fmt: Formats = Format.TABLE, *, selection: Selection) -> int:
    """Every obligation, with the same filters and formats as upcoming."""
    space = selection.workspace()
    chosen = select_obligations(space.obligations, selection.filters)
    agenda = Agenda.of(space, selection.moment, _EVERY_DATE)
    write_out(renderer(fmt).render_list(chosen, agenda.dates_of, render_options(fmt)))
    notice_stale_data(space, selection.today, fmt)
    return ExitCode.OK


# `list` and `show` evaluate every date of an obligation: done and superseded ones included.
_EVERY_DATE = Filters(include_done=True, statuses=tuple(Status))


@cli.command("show")
def show_command(
    obligation_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The obligation's id.", autocompletion=from_registry("id")
        ),
    ],
    today: Today = None,
    now: Now = None,
    fmt: Formats = Format.TABLE,
    registry: Registries = None,
    no_builtin: NoBuiltin = False,
    events: Events = None,
    waivers: Waivers = None,
    config: Config = None,
    portfolio: PortfolioFile = None,
    clients: ClientNames = None,
    client_tags: ClientTags = None,
) -> int:
    """One obligation in full, and whether it applies to your organisation.

    Sources (marked when not official), milestones with their history and where each stands
    as regtrack check sees it (done, waived, owed by others), periods; with an organisation
    file, whether the obligation applies to you, and why. In a portfolio, whom of the clients
    it applies to, then each client's own."""
    from regtrack.formats import Shown
    from regtrack.formats.wording import profile_text
    from regtrack.organisation import applicability

    moment = resolve_moment(today, now)
    selection = Selection(
        moment,
        Filters(),
        registry,
        events,
        config,
        every=True,
        waivers=waivers,
        builtin=not no_builtin,
        portfolio=portfolio,
        clients=tuple(clients or ()),
        client_tags=tuple(client_tags or ()),
    )
    wanted = obligation_id.strip()
    shown = []
    spaces = selection.workspaces()
    for space in spaces:  # one organisation, or each client of a portfolio
        obligation: Obligation | None = space.get(wanted)
        profile = space.profile
        who = profile_text(profile.name if profile else "", profile)
        if obligation is None:
            shown.append(Shown(space.client, who, None))
            continue
        applies = applicability(obligation, space.profile) if space.config else None
        dates = Agenda.of(space, moment, _EVERY_DATE).dates_of(obligation)
        shown.append(Shown(space.client, who, obligation, dates, applies))
    found = [s for s in shown if s.obligation is not None]
    if not found:
        ids = sorted({o.id for space in spaces for o in space.every})
        raise UnknownId(obligation_id, suggest(wanted.casefold(), ids))
    module, options = renderer(fmt), render_options(fmt)
    if not shown[0].client:  # one organisation
        one = found[0]
        assert one.obligation is not None
        write_out(module.render_show(one.obligation, one.dates, options, one.applies))
    else:
        write_out(module.render_show_clients(shown, options))
    return ExitCode.OK
