"""`regtrack export ics`: calendar feeds. Writes only the file named by -o, atomically."""

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regtrack.agenda import Due
from regtrack.cli.common import (
    Selection,
    say,
    selection_options,
    write_bytes_out,
    write_file,
)
from regtrack.dates import add_duration, parse_horizon, parse_lead_time
from regtrack.errors import ExitCode, InvalidOption
from regtrack.models import Status

if TYPE_CHECKING:
    from regtrack.formats.ics import IcsOptions

export_app = typer.Typer(
    name="export",
    help="Export deadlines to other tools (calendars).",
    no_args_is_help=True,
)
cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use
cli.add_typer(export_app, name="export")

DEFAULT_ALARMS = ["30d", "7d"]


def _dtstamp(rows: list[Due]) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the newest `verified` day of the
    exported milestones: never the clock, so the same registry gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise InvalidOption(
                "SOURCE_DATE_EPOCH", f"{epoch!r} is not a number of seconds since 1970"
            ) from None
    newest = max((row.milestone.verified for row in rows), default=dt.date(2016, 1, 1))
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)


@export_app.command("ics")
@selection_options
def ics_command(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (atomically) instead of standard output; in a portfolio, "
            "'calendars/{client}.ics' writes a calendar per client.",
            show_default=False,
        ),
    ] = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            "-w",
            metavar="DURATION",
            help="Only milestones from today through this (default: every date, past included).",
            show_default=False,
        ),
    ] = None,
    alarm: Annotated[
        list[str] | None,
        typer.Option(
            "--alarm",
            metavar="DURATION",
            help="An alarm this long before each event, e.g. 30d or 2w (repeatable; most "
            "important first). Default: 30d and 7d.",
            show_default=False,
        ),
    ] = None,
    no_alarms: Annotated[bool, typer.Option("--no-alarms", help="Add no alarms.")] = False,
    windows: Annotated[
        str,
        typer.Option(
            "--windows",
            metavar="start|span|end",
            help="Draw a month, quarter or year on its first day (start), over the whole "
            "window (span) or on its last day (end).",
        ),
    ] = "start",
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            metavar="FILE",
            help="The feed as last published (e.g. downloaded from your web host): events it "
            "has and this export has not stay in the feed as cancelled for 90 days, and any "
            "event whose date, title, status or text changed gets a higher SEQUENCE.",
            show_default=False,
        ),
    ] = None,
    *,
    selection: Selection,
) -> int:
    """An iCalendar feed: one all-day event per milestone, stable UIDs, alarms.

    In a portfolio: one calendar of every client chosen, or one per client with an -o naming
    {client}; each client's events have UIDs of their own."""
    from regtrack.formats.ics import IcsOptions, WindowMode

    day = selection.today
    try:
        mode = WindowMode(windows.strip().lower())
    except ValueError:
        raise InvalidOption("--windows", f"{windows!r} is not start, span or end") from None
    if no_alarms and alarm:
        raise InvalidOption("--no-alarms", "cannot be combined with --alarm")
    try:
        alarms = () if no_alarms else tuple(parse_lead_time(a) for a in alarm or DEFAULT_ALARMS)
    except ValueError as error:
        raise InvalidOption("--alarm", str(error)) from None
    end = None
    if within is not None:
        try:
            end = add_duration(day, parse_horizon(within))
        except ValueError as error:
            raise InvalidOption("--within", str(error)) from None
    # A superseded date is exported as a cancelled event, so that calendars which imported it
    # drop it; a --status filter still narrows the feed as asked.
    filters = selection.filters._replace(
        statuses=selection.filters.statuses or tuple(Status),
        include_done=True,  # a completed milestone stays in the calendar, with its evidence
    )
    from regtrack.agenda import Agenda

    spaces = selection.workspaces(end)
    by_client = [
        (space, Agenda.of(space, selection.moment, filters).window(day if end else None, end))
        for space in spaces
    ]
    per_client = output is not None and "{client}" in str(output)
    if not any(space.client for space in spaces):  # one organisation: as it always was
        if per_client:
            raise InvalidOption("--output", "{client} names a portfolio's client; there is none")
        rows = by_client[0][1]
        options = IcsOptions(dtstamp=_dtstamp(rows), alarms=alarms, windows=mode, today=day)
        _publish(rows, options, output, previous)
    elif per_client:
        # a calendar per client, with its own name (15 calendars all named alike could not be
        # told apart in a calendar app, issue 25)
        assert output is not None
        for space, rows in by_client:
            who = space.profile.name if space.profile and space.profile.name else space.client
            options = IcsOptions(
                dtstamp=_dtstamp(rows),
                alarms=alarms,
                windows=mode,
                today=day,
                name=f"regtrack: {who} compliance deadlines",
                description=f"Regulatory deadlines of {who} ({space.client}), tracked by regtrack",
            )
            _publish(
                rows,
                options,
                Path(str(output).replace("{client}", space.client)),
                Path(str(previous).replace("{client}", space.client)) if previous else None,
                optional=previous is not None and "{client}" in str(previous),
            )
    else:
        # one calendar of every client chosen, each event led by its client
        rows = [row for _, found in by_client for row in found]
        names = ", ".join(space.client for space in spaces)
        options = IcsOptions(
            dtstamp=_dtstamp(rows),
            alarms=alarms,
            windows=mode,
            today=day,
            name=f"regtrack: compliance deadlines of {len(spaces)} clients",
            description=f"Regulatory deadlines of {names}, tracked by regtrack",
        )
        _publish(rows, options, output, previous)
    return ExitCode.OK


def _publish(
    rows: "list[Due]",
    options: "IcsOptions",
    output: Path | None,
    previous: Path | None,
    *,
    optional: bool = False,
) -> None:
    """Render one feed and write it (stdout without `output`); `previous` is the feed as last
    published, which may be missing when `optional` (a client's first calendar)."""
    from regtrack.formats.ics import published, render_calendar

    before = None
    if previous is not None and not (optional and not previous.exists()):
        from regtrack.registry import read_bytes

        try:
            before = published(read_bytes(previous, record=False))  # the output's own past
        except ValueError as error:
            raise InvalidOption("--previous", f"{previous}: {error}") from None
    data = render_calendar(rows, options, before)
    if output is None:
        write_bytes_out(data)
    else:
        write_file(output, data)
        say(f"{output}: {len(rows)} events")
