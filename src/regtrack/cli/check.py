"""`regtrack check`: the CI gate. Exit 0 when nothing fails, 1 when something does (unless
--exit-zero), 2 for usage or input errors. Reports go to stdout, or to files written atomically."""

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from regtrack.agenda.horizons import FAIL, WARN
from regtrack.checks import Level
from regtrack.cli.common import (
    FailWithin,
    Selection,
    Strict,
    WarnWithin,
    end_with_broken,
    make_policy,
    output_of_a_gate,
    refuse_an_input,
    say,
    selection_options,
    to_a_file,
    write_bytes_out,
    write_file,
)
from regtrack.errors import ExitCode, InvalidOption
from regtrack.formats import CheckContext, CheckFormat, check_renderer, text_of

if TYPE_CHECKING:
    from regtrack.workspace import Workspace

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use


def _anchor(space: "Workspace", root: str) -> str:
    """The organisation, waivers or events file of the repository that locates findings which
    have no line of their own there (SARIF)."""
    from regtrack.formats import relative_file

    files = [space.config.file] if space.config is not None else []
    files += [w.file for w in space.waivers] + [e.file for e in space.events]
    return next((rel for file in files if (rel := relative_file(file, root))), "")


@cli.command("check")
@selection_options
def check_command(
    warn_within: WarnWithin = WARN,
    fail_within: FailWithin = FAIL,
    strict: Strict = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when something fails (report only).")
    ] = False,
    fmt: Annotated[
        CheckFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="Report format."),
    ] = CheckFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the report to FILE.", show_default=False
        ),
    ] = None,
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit", metavar="FILE", help="Also write a JUnit XML report.", show_default=False
        ),
    ] = None,
    sarif: Annotated[
        Path | None,
        typer.Option(
            "--sarif", metavar="FILE", help="Also write a SARIF 2.1.0 report.", show_default=False
        ),
    ] = None,
    json_file: Annotated[
        Path | None,
        typer.Option(
            "--json", metavar="FILE", help="Also write a JSON report.", show_default=False
        ),
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown", metavar="FILE", help="Also write a Markdown report.", show_default=False
        ),
    ] = None,
    *,
    selection: Selection,
) -> int:
    """Warn before a deadline, then fail: exit 1 when a milestone is at fail level.

    In a portfolio, every client chosen (--client, --clients; all by default), each report
    naming its client; the exit code is the worst client's.

    A deadline an event started is judged by its instant (--now); a waived item reports as
    waived, an expired waiver fails, and a date owed only by roles you do not hold passes."""
    from regtrack.agenda import Agenda
    from regtrack.checks import failed
    from regtrack.formats import CheckGroup
    from regtrack.formats.wording import profile_text

    day = selection.today
    policy = make_policy(warn_within, fail_within, strict, day)
    root = str(repository_root(Path.cwd(), os.environ))
    groups = []
    # one organisation, or each client of a portfolio with its own context (its files)
    spaces, broken = selection.evaluated(day + dt.timedelta(days=policy.warn_within))
    for space in spaces:
        context = CheckContext(
            today=day,
            warn_within=policy.warn_within,
            fail_within=policy.fail_within,
            root=root,
            overrides=tuple(
                (o.obligation, o.file, o.line)
                for o in (space.config.overrides if space.config else ())
            ),
            anchor=_anchor(space, root),
        )
        profile = space.profile
        groups.append(
            CheckGroup(
                space.client,
                profile_text(profile.name if profile else "", profile),
                Agenda.of(space, selection.moment, selection.filters, policy).findings(),
                context,
            )
        )
    portfolio = any(group.organisation for group in groups)
    findings = [f for group in groups for f in group.findings]
    if fmt is CheckFormat.SARIF or sarif is not None:
        from regtrack.formats.sarif import place

        unplaced = [
            (group, f)
            for group in groups
            for f in group.findings
            if f.level is not Level.PASS and not place(f, group.context)[0]
        ]
        if unplaced:
            whose = f" of {unplaced[0][0].organisation}" if portfolio else ""
            raise InvalidOption(
                "--sarif",
                "code scanning needs every result in a file of the repository, and "
                f"{unplaced[0][1].name}{whose} has none: run from the repository's root with "
                "its organisation file (regtrack.yaml) or a --waivers file of the repository",
            )

    def rendered(report: CheckFormat) -> str | Iterable[bytes]:
        module = check_renderer(report)
        if portfolio:
            return module.render_portfolio(groups)
        return module.render_check(groups[0].findings, groups[0].context)

    def render(report: CheckFormat) -> bytes | Iterable[bytes]:
        """The report as UTF-8: a large JSON or SARIF report comes in pieces (formats.json)."""
        text = rendered(report)
        return text.encode("utf-8") if isinstance(text, str) else text

    if broken and to_a_file(output, junit, sarif, json_file, markdown):
        end_with_broken(broken, len(spaces), shown=False)  # no report file without a client
    from regtrack.atomic import is_stdout

    for target in (output, junit, sarif, json_file, markdown):  # all refused before any written
        if target is not None and not is_stdout(target):
            refuse_an_input(target)
    main = render(fmt)
    # the github format is workflow commands, each escaped by the toolkit's rules; any other
    # output passes regtrack.cisafe on its way out
    commands = fmt is CheckFormat.GITHUB
    with output_of_a_gate():  # `check | head` still fails when a deadline fails
        if output is None:
            write_bytes_out(main, commands=commands)
        else:
            write_file(output, main, commands=commands)
    extra: list[tuple[Path | None, CheckFormat]] = [
        (junit, CheckFormat.JUNIT),
        (sarif, CheckFormat.SARIF),
        (json_file, CheckFormat.JSON),
        (markdown, CheckFormat.MARKDOWN),
    ]
    for target, report in extra:
        if target is not None:
            write_file(target, render(report))
    summary = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if fmt is CheckFormat.GITHUB and summary:
        # GitHub's own file for the job summary: appended to, as the Actions toolkit does.
        try:
            with Path(summary).open("a", encoding="utf-8") as handle:
                handle.write(text_of(rendered(CheckFormat.MARKDOWN)))
        except OSError as error:
            say(f"regtrack: warning: cannot append to GITHUB_STEP_SUMMARY: {error}")
    if broken:  # the others' reports are out; the clients not evaluated end the run: exit 2
        end_with_broken(broken, len(spaces))  # raises
    if failed(findings) and not exit_zero:
        return ExitCode.FINDINGS
    return ExitCode.OK


def repository_root(cwd: Path, environ: Mapping[str, str]) -> Path:
    """The folder annotation paths are relative to: GitHub's checkout (GITHUB_WORKSPACE) when
    the run is inside it, else the nearest folder up from `cwd` that holds `.git`, else `cwd`.
    Run from a subfolder, `-f github` and SARIF dropped every file and line (issue 28)."""
    workspace = environ.get("GITHUB_WORKSPACE", "").strip()
    if workspace:
        base = Path(workspace).resolve()
        if cwd.resolve().is_relative_to(base):
            return base
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd
