"""Views for people: `timeline` in the terminal, `report` as a self-contained HTML page."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from regtrack.cli.common import (
    FailWithin,
    Selection,
    Strict,
    WarnWithin,
    make_policy,
    render_options,
    say,
    selection_options,
    write_file,
    write_out,
)
from regtrack.dates import add_duration, parse_day, parse_horizon
from regtrack.errors import ExitCode, InvalidOption
from regtrack.formats import Format

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use

From = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="YYYY-MM-DD",
        help="First day shown (default: the first day of this month).",
        show_default=False,
    ),
]
To = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="YYYY-MM-DD",
        help="Last day shown (default: a year after --from).",
        show_default=False,
    ),
]


def _range(day: dt.date, start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    try:
        first = parse_day(start) if start else dt.date(day.year, day.month, 1)
    except ValueError as error:
        raise InvalidOption("--from", str(error)) from None
    try:
        last = (
            parse_day(end)
            if end
            else add_duration(first, parse_horizon("1y")) - dt.timedelta(days=1)
        )
    except ValueError as error:
        raise InvalidOption("--to", str(error)) from None
    if last < first:
        raise InvalidOption("--to", f"{last} is before --from {first}")
    return first, last


@cli.command("timeline")
@selection_options
def timeline_command(
    start: From = None,
    end: To = None,
    *,
    selection: Selection,
) -> int:
    """The coming months at a glance: a row per regulation on a month axis."""
    from regtrack.checks import overdue
    from regtrack.formats.timeline import render_timeline
    from regtrack.select import milestones

    day = selection.today
    first, last = _range(day, start, end)
    space = selection.workspace(last)
    rows = milestones(space.obligations, selection.filters, day, first, last)
    roles = space.profile.roles if space.profile is not None else ()
    before = [
        row
        for row in overdue(space.obligations, selection.filters, day, space.waivers, roles)
        if row.milestone.window.end < first  # one the period holds is on the chart already
    ]
    options = render_options(Format.TABLE)
    write_out(render_timeline(rows, day, first, last, options, overdue=before))
    return ExitCode.OK


@cli.command("report")
@selection_options
def report_command(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write the HTML page."),
    ] = Path("report.html"),
    start: From = None,
    end: To = None,
    warn_within: WarnWithin = "60d",
    fail_within: FailWithin = "14d",
    strict: Strict = False,
    *,
    selection: Selection,
) -> int:
    """A self-contained HTML report for a board pack: timeline, upcoming table, risks, sources.

    Its verdicts are regtrack check's: the same waivers (--waivers, REGTRACK_WAIVERS, your
    organisation file's), the same --warn-within, --fail-within and --strict."""

    from regtrack.checks import check
    from regtrack.formats.html import Report, render_report
    from regtrack.select import milestones, select_obligations

    day, filters = selection.today, selection.filters
    first, last = _range(day, start, end)
    policy = make_policy(warn_within, fail_within, strict, day)
    space = selection.workspace(max(last, day + dt.timedelta(days=policy.warn_within)))
    profile = space.profile
    report = Report(
        today=day,
        start=first,
        end=last,
        rows=tuple(milestones(space.obligations, filters, day, first, last)),
        upcoming=tuple(milestones(space.obligations, filters, day, day, last)),
        obligations=tuple(select_obligations(space.obligations, filters)),
        findings=tuple(
            check(
                space.obligations,
                filters,
                day,
                policy,
                space.waivers,
                profile.roles if profile is not None else (),
            )
        ),
        organisation=profile.name if profile is not None else "",
        profile=profile,
        waivers=space.waivers,
    )
    write_file(output, render_report(report).encode("utf-8"))
    say(f"wrote {output}: {len(report.upcoming)} upcoming, {len(report.obligations)} obligations")
    return ExitCode.OK
