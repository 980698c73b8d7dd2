"""`regtrack clock`: the deadlines an event starts, counted the way the law counts."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regtrack.cli.common import (
    Config,
    NoBuiltin,
    Registries,
    load_workspace,
    render_options,
    write_file,
    write_out,
)
from regtrack.errors import ExitCode, InvalidOption, UnknownId
from regtrack.formats import ClockFormat, Format, clock_renderer
from regtrack.select import suggest

if TYPE_CHECKING:
    from regtrack.models import Obligation

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use


def parse_event(text: str, zone_name: str | None) -> tuple[dt.datetime, str]:
    """`--at` and `--tz` as an aware datetime and the zone's name. A time without an offset is
    read in --tz (default UTC); a date alone is its first minute."""
    from regtrack.dates import check_year
    from regtrack.periods import localize, time_zone

    try:
        at = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidOption(
            "--at",
            f"{text!r} is not a date and time (expected e.g. 2026-03-27T10:17 or 2026-03-27)",
        ) from None
    try:
        check_year(at.year, text)
    except ValueError as error:
        raise InvalidOption("--at", str(error)) from None
    if zone_name:
        try:
            zone = time_zone(zone_name)
        except ValueError as error:
            raise InvalidOption("--tz", str(error)) from None
        try:
            at = localize(at, zone, zone_name.strip())
        except ValueError as error:
            raise InvalidOption("--at", str(error)) from None
        return at, zone_name.strip()
    if at.tzinfo is None:
        return at.replace(tzinfo=dt.UTC), "UTC"
    return at, str(at.tzinfo)


def _triggers(
    given: list[str], zone_name: str | None, obligation: "Obligation", event: dt.datetime
) -> dict[str, dt.datetime]:
    """--trigger NAME=DATETIME, each naming a period's trigger of the obligation, in --tz."""
    started = sorted({p.trigger for p in obligation.periods if p.trigger})
    found: dict[str, dt.datetime] = {}
    for value in given:
        name, equals, when = value.partition("=")
        name = name.strip()
        if not equals or not name:
            raise InvalidOption("--trigger", f"{value!r} is not NAME=DATETIME")
        if name not in started:
            listed = ", ".join(started) or "none"
            raise InvalidOption(
                "--trigger", f"no period of {obligation.id} runs from {name!r} (its: {listed})"
            )
        try:
            at, _ = parse_event(when, zone_name)
        except InvalidOption as error:
            raise InvalidOption("--trigger", f"{name}: {error.message}") from None
        if at < event:
            raise InvalidOption("--trigger", f"{name} is before the event (--at)")
        found[name] = at
    return found


@cli.command("clock")
def clock_command(
    obligation_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="The obligation whose periods to count.", show_default=False
        ),
    ] = None,
    at: Annotated[
        str,
        typer.Option("--at", metavar="DATETIME", help="When the event happened: 2026-03-27T10:17."),
    ] = "",
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="Time zone of --at, e.g. Europe/Paris (default UTC).",
            show_default=False,
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="CC[-SUB]",
            help="Public holidays of this country: FR, DE-BY, GB-ENG.",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="DURATION",
            help="Count this period instead of an obligation's: P15D, P2W, P1M, PT48H, 30wd.",
            show_default=False,
        ),
    ] = None,
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            metavar="eu|uk",
            help="Counting rules (default: uk for UK obligations and GB countries, else eu).",
            show_default=False,
        ),
    ] = None,
    trigger: Annotated[
        list[str] | None,
        typer.Option(
            "--trigger",
            metavar="NAME=DATETIME",
            help="A later moment of the event that starts some periods, in --tz (repeatable): "
            "incident-handled=2027-01-20T17:00 dates NIS2's final report for an incident "
            "still ongoing at the first one.",
            show_default=False,
        ),
    ] = None,
    conservative: Annotated[
        bool,
        typer.Option(
            "--conservative",
            help="The earliest defensible instant: no roll-forward, no excluded first hour.",
        ),
    ] = False,
    fmt: Annotated[
        ClockFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = ClockFormat.TABLE,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (atomically).", show_default=False
        ),
    ] = None,
    registry: Registries = None,
    no_builtin: NoBuiltin = False,
    config: Config = None,
) -> int:
    """Deadlines that run from an event (a breach, a request, an incident), with their rule."""
    from regtrack.dates import parse_period
    from regtrack.periods import Rulebook, adhoc_clock, obligation_clock, rulebook_for, working_days

    if not at:
        raise InvalidOption("--at", "is required: when did the event happen?")
    if (obligation_id is None) == (period is None):
        raise InvalidOption("clock", "give an obligation ID or --period DURATION (one of them)")
    if trigger and period is not None:
        raise InvalidOption("--trigger", "dates an obligation's periods; not with --period")
    event, zone = parse_event(at, tz)
    try:
        calendar = working_days(country)
    except ValueError as error:
        raise InvalidOption("--country", str(error)) from None
    chosen: Rulebook | None = None
    if rules is not None:
        try:
            chosen = Rulebook(rules.strip().lower())
        except ValueError:
            raise InvalidOption("--rules", f"{rules!r} is not eu or uk") from None
    if period is not None:
        try:
            duration = parse_period(period)
        except ValueError as error:
            raise InvalidOption("--period", str(error)) from None
        default = Rulebook.UK if calendar.region.startswith("GB") else Rulebook.EU
        clock = adhoc_clock(duration, event, zone, calendar, chosen or default, conservative)
    else:
        assert obligation_id is not None
        loaded = load_workspace(
            event.date(), registry, None, config, include_all=True, builtin=not no_builtin
        )
        obligation = loaded.get(obligation_id.strip())
        if obligation is None:
            ids = [o.id for o in loaded.every]
            raise UnknownId(obligation_id, suggest(obligation_id.strip().casefold(), ids))
        if not obligation.periods:
            with_periods = [o.id for o in loaded.every if o.periods]
            raise InvalidOption(
                "ID",
                f"{obligation.id} has no periods that run from an event; these do: "
                + ", ".join(suggest(obligation.id, with_periods) or with_periods[:5]),
            )
        book = chosen or rulebook_for(obligation.jurisdiction)
        moments = _triggers(trigger or [], tz, obligation, event)
        clock = obligation_clock(obligation, event, zone, calendar, book, conservative, moments)
    text = clock_renderer(fmt).render_clock(
        clock, render_options(Format.TABLE if fmt is ClockFormat.TABLE else Format.JSON)
    )
    if output is None:
        write_out(text)
    else:
        write_file(output, text.encode("utf-8"))
    return ExitCode.OK
