"""`regtrack sources check`: the one command that goes on the network (issue 26)."""

import enum
from typing import Annotated

import typer

from regtrack.cli.common import (
    Selection,
    output_of_a_gate,
    render_options,
    selection_options,
    write_out,
)
from regtrack.errors import ExitCode, InvalidOption
from regtrack.formats import Format

sources_app = typer.Typer(
    name="sources",
    help="The sources the registry cites: are they still there, do they still say it?",
    no_args_is_help=True,
)
cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use
cli.add_typer(sources_app, name="sources")


class SourcesFormat(enum.StrEnum):
    """The formats of `sources check`."""

    TABLE = "table"
    JSON = "json"


@sources_app.command("check")
@selection_options
def check_command(
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="The most one page may take, redirects included.",
        ),
    ] = 20.0,
    max_size: Annotated[
        int,
        typer.Option("--max-size", metavar="BYTES", help="The most of one page that is read."),
    ] = 8 * 1024 * 1024,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", metavar="N", help="Pages fetched at once.")
    ] = 4,
    fmt: Annotated[
        SourcesFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
    ] = SourcesFormat.TABLE,
    *,
    selection: Selection,
) -> int:
    """Fetch every URL the selected obligations cite, once each, and say per URL: reachable,
    moved (and where), gone, or failed, and whether each quoted passage is still in the page.

    Exit 0 when every page is where it is cited and says what is quoted, 1 otherwise. The only
    command that uses the network; nothing is written. Use --all to check every obligation,
    not only those of your profile."""
    from regtrack.select import select_obligations
    from regtrack.watch import check_sources, cited
    from regtrack.watch.fetch import Limits, fetch

    if not 0 < timeout <= 600:
        raise InvalidOption("--timeout", f"{timeout:g} is not between 0 and 600 seconds")
    if not 1024 <= max_size <= 256 * 1024 * 1024:
        raise InvalidOption("--max-size", f"{max_size} is not between 1024 and 268435456 bytes")
    if not 1 <= jobs <= 16:
        raise InvalidOption("--jobs", f"{jobs} is not between 1 and 16")
    space = selection.workspace()
    chosen = select_obligations(space.obligations, selection.filters._replace(statuses=()))
    results = check_sources(cited(chosen), fetch, Limits(timeout, max_size), jobs)
    if fmt is SourcesFormat.JSON:
        from regtrack.formats.json import render_sources
    else:
        from regtrack.formats.table import render_sources
    with output_of_a_gate():
        write_out(render_sources(results, render_options(Format(fmt.value))))
    return ExitCode.OK if all(r.ok for r in results) else ExitCode.FINDINGS
