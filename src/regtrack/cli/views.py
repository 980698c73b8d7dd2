"""Views for people: `timeline` in the terminal, `report` as a self-contained HTML page."""

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regtrack.agenda.horizons import FAIL, TIMELINE, WARN
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
from regtrack.models import Obligation, Status
from regtrack.select import Filters

if TYPE_CHECKING:
    from regtrack.agenda import Agenda, Due

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
            else add_duration(first, parse_horizon(TIMELINE)) - dt.timedelta(days=1)
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
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", case_sensitive=False, help="Output format: table or json."),
    ] = Format.TABLE,
    *,
    selection: Selection,
) -> int:
    """The coming months at a glance: a row per regulation on a month axis (in a portfolio, a
    chart per client).

    What is overdue from before the period is listed first; each milestone says what
    regtrack check would (waived, owed by others)."""
    from regtrack.agenda import Agenda

    if fmt not in (Format.TABLE, Format.JSON):
        raise InvalidOption("--format", f"{fmt.value!r}: timeline is drawn as table or json")
    day = selection.today
    first, last = _range(day, start, end)
    charts = []
    for space in selection.workspaces(last):  # one organisation, or each client of a portfolio
        agenda = Agenda.of(space, selection.moment, selection.filters)
        # what is overdue from before the period (one the period holds is on the chart already)
        charts.append((space, agenda.lead(before=first), agenda.window(first, last)))
    if fmt is Format.JSON:  # one document; in a portfolio each entry names its organisation
        from regtrack.formats.json import render_view

        sections = (
            ("overdue", [r for _, before, _ in charts for r in before]),
            ("period", [r for _, _, rows in charts for r in rows]),
        )
        write_out(render_view(day, first, last, sections))
        return ExitCode.OK
    from regtrack.errors import visible
    from regtrack.formats.timeline import render_timeline
    from regtrack.formats.wording import profile_text

    options = render_options(Format.TABLE)
    parts = []
    for space, before, rows in charts:
        chart = render_timeline(rows, day, first, last, options, overdue=before)
        if len(charts) > 1:  # a chart per client, opening with the client and its profile
            who = profile_text(space.profile.name if space.profile else "", space.profile)
            chart = visible(f"== {space.client}: {who or 'no profile'}") + "\n" + chart
        parts.append(chart)
    write_out("\n".join(parts))
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
    warn_within: WarnWithin = WARN,
    fail_within: FailWithin = FAIL,
    strict: Strict = False,
    *,
    selection: Selection,
) -> int:
    """A self-contained HTML report for a board pack: timeline, upcoming table, risks, sources.

    Its verdicts are regtrack check's: the same waivers (--waivers, REGTRACK_WAIVERS, your
    organisation file's), the same --warn-within, --fail-within and --strict. Its table is what
    is overdue, then what is due from today to --to; the page embeds its entries as JSON."""
    from regtrack.agenda import Agenda
    from regtrack.formats.html import Report, report_pieces
    from regtrack.select import select_obligations

    day, filters = selection.today, selection.filters
    first, last = _range(day, start, end)
    policy = make_policy(warn_within, fail_within, strict, day)
    spaces = selection.workspaces(max(last, day + dt.timedelta(days=policy.warn_within)))
    reports, leads = [], []
    for space in spaces:  # one organisation, or each client of a portfolio
        profile = space.profile
        agenda = Agenda.of(space, selection.moment, filters, policy)
        late = agenda.lead()
        led = {row.name for row in late}
        leads.append(len(late))
        obligations = tuple(select_obligations(space.obligations, filters))
        every = Agenda.of(space, selection.moment, _EVERY_DATE, policy)
        findings, tally = agenda.verdicts()
        reports.append(
            Report(
                today=day,
                start=first,
                end=last,
                rows=tuple(agenda.window(first, last)),
                upcoming=(*late, *(r for r in agenda.window(day, last) if r.name not in led)),
                obligations=obligations,
                findings=tuple(findings),
                tally=tally,
                organisation=profile.name if profile is not None else "",
                profile=profile,
                waivers=space.waivers,
                dates=_DatesOf(every, obligations),
            )
        )
    if len(spaces) > 1:
        from regtrack.formats.html import portfolio_pieces

        page = portfolio_pieces(
            _firm(selection), [(s.client, r) for s, r in zip(spaces, reports, strict=True)]
        )
        write_file(output, (piece.encode("utf-8") for piece in page))  # written as made
        say(f"wrote {output}: {len(spaces)} clients")
        return ExitCode.OK
    report = reports[0]
    write_file(output, (piece.encode("utf-8") for piece in report_pieces(report)))
    say(
        f"wrote {output}: " + (f"{leads[0]} overdue, " if leads[0] else "")
        + f"{len(report.upcoming) - leads[0]} due from {day.isoformat()} "
        f"to {last.isoformat()}, {len(report.obligations)} obligations"
    )  # fmt: skip
    return ExitCode.OK


def _firm(selection: Selection) -> str:
    """The portfolio's firm, as its file names it."""
    import os

    from regtrack.registry import load_portfolio
    from regtrack.workspace import find_scope

    scope = find_scope(selection.config, selection.portfolio, os.environ, Path.cwd())
    return load_portfolio(scope.portfolio).name if scope.portfolio is not None else ""


# The report lists every date of each obligation: done and superseded ones included.
_EVERY_DATE = Filters(include_done=True, statuses=tuple(Status))


class _DatesOf(Mapping[str, tuple["Due", ...]]):
    """Each obligation's every date, evaluated when the page is written and then let go: held
    for every obligation at once, 100,000 obligations' dates were a fifth of the report's
    peak (issue 29)."""

    def __init__(self, agenda: "Agenda", obligations: Sequence[Obligation]) -> None:
        self._agenda = agenda
        self._by_id = {o.id: o for o in obligations}

    def __getitem__(self, key: str) -> tuple["Due", ...]:
        return tuple(self._agenda.dates_of(self._by_id[key]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)
