"""The typer application and regtrack's one error boundary.

`_Group.main` wraps everything a command runs: every RegtrackError becomes its message on stderr
and its exit code, a usage error a one-line message and exit 2, Ctrl-C exit 130, and a bug exit 3
with a hint, never a bare traceback.
"""

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from regtrack import __version__
from regtrack.errors import ExitCode, InvalidRegistry, ReaderGone, RegtrackError

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 a check found what it gates on; 2 usage error or invalid input; "
    "3 internal error (a bug: please report it); 4 the output could not be written; "
    "5 a digest could not be delivered; "
    "130 interrupted; 143 terminated."
)
ISSUES_URL = "https://github.com/regtrack/regtrack/issues"
# A file of 100,000 broken entries printed 800,000 lines (issue 14): the first ones, then a count.
MAX_PROBLEMS = 100


# Each command lives in a module of its own group (read, registry, check, clock, export, org),
# imported only when that command runs or help lists it: a CI job that runs `regtrack check`
# does not pay for building the clock, the calendar or the organisation-file writer.
COMMANDS: dict[str, str] = {
    "upcoming": "regtrack.cli.read",
    "list": "regtrack.cli.read",
    "show": "regtrack.cli.read",
    "check": "regtrack.cli.check",
    "clock": "regtrack.cli.clock",
    "timeline": "regtrack.cli.views",
    "report": "regtrack.cli.views",
    "digest": "regtrack.cli.digest",
    "export": "regtrack.cli.export",
    "sources": "regtrack.cli.sources",
    "init": "regtrack.cli.org",
    "done": "regtrack.cli.org",
    "validate": "regtrack.cli.registry",
    "diff": "regtrack.cli.registry",
    "changes": "regtrack.cli.registry",
    "vocabulary": "regtrack.cli.registry",
    "completion": "regtrack.cli.registry",
    "schema": "regtrack.cli.registry",
}


class _Group(TyperGroup):
    """The typer group, with regtrack's error boundary around everything it runs and its
    commands loaded on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        if cmd_name not in self.commands:
            import importlib

            module = importlib.import_module(COMMANDS[cmd_name])
            info = next((c for c in module.cli.registered_commands if c.name == cmd_name), None)
            if info is not None:  # build only the command asked for, not its neighbours
                self.commands[cmd_name] = typer.main.get_command_from_info(
                    info,
                    pretty_exceptions_short=module.cli.pretty_exceptions_short,
                    rich_markup_mode=module.cli.rich_markup_mode,
                )
            else:  # a group of its own (export)
                converted = typer.main.get_command(module.cli)
                self.commands[cmd_name] = getattr(converted, "commands", {}).get(
                    cmd_name, converted
                )
            command = self.commands[cmd_name]
            for each in (command, *getattr(command, "commands", {}).values()):
                each.help = _reflowed(each.help)
        return self.commands[cmd_name]

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        code = _guarded(self, args, prog_name or "regtrack", complete_var, extra)
        if standalone_mode:
            sys.exit(code)
        return code


def _guarded(
    group: TyperGroup,
    args: list[str] | None,
    prog_name: str,
    complete_var: str | None,
    extra: dict[str, Any],
) -> int:
    from regtrack.inputs import clear

    clear()  # this command's inputs only
    refused = _unusable(args if args is not None else sys.argv[1:])
    if refused:
        _err(f"regtrack: error: {refused}")
        return ExitCode.USAGE
    previous = _on_terminate()
    try:
        return _run(group, args, prog_name, complete_var, extra)
    finally:
        if previous is not None:
            import signal

            signal.signal(signal.SIGTERM, previous)


class _Terminated(BaseException):
    """SIGTERM, raised where the program is, so that `finally` blocks run (a temporary file
    beside the organisation file is removed, issue 27) before the process ends with 143."""


def _on_terminate() -> Any:
    """SIGTERM raises _Terminated; the handler it replaced (None outside the main thread, where
    Python lets no handler be set)."""
    import signal

    def raised(signum: int, frame: object) -> None:
        raise _Terminated

    try:
        return signal.signal(signal.SIGTERM, raised)
    except ValueError:  # not the main thread
        return None


def _run(
    group: TyperGroup,
    args: list[str] | None,
    prog_name: str,
    complete_var: str | None,
    extra: dict[str, Any],
) -> int:
    try:
        result = TyperGroup.main(
            group,
            args=args,
            prog_name=prog_name,
            complete_var=complete_var,
            standalone_mode=False,
            **extra,
        )
        if result == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into Exit(130), silently
            _err("regtrack: interrupted")
        return int(result) if isinstance(result, int) else ExitCode.OK
    except RegtrackError as error:
        located = isinstance(error, InvalidRegistry)  # lines start with FILE:LINE:COL
        lines = error.lines()
        for line in lines[:MAX_PROBLEMS]:
            _err(line if located else f"regtrack: error: {line}")
        if len(lines) > MAX_PROBLEMS:
            _err(f"regtrack: {len(lines)} problems (the first {MAX_PROBLEMS} shown)")
        elif len(lines) > 1:
            _err(f"regtrack: {len(lines)} problems")
        return error.exit_code
    except (KeyboardInterrupt, typer.Abort):
        _err("regtrack: interrupted")
        return ExitCode.INTERRUPTED
    except _Terminated:
        _err("regtrack: terminated")
        return ExitCode.TERMINATED
    except (BrokenPipeError, ReaderGone):
        # The reader went away (`regtrack upcoming | head`): not an error of ours.
        from regtrack.cli.common import silence_stdout

        silence_stdout()
        return ExitCode.OK
    except Exception as error:
        kinds = _click_kinds(error)
        if "NoArgsIsHelpError" in kinds:
            ctx = getattr(error, "ctx", None)
            sys.stdout.write(ctx.get_help() + "\n" if ctx else "")
            return ExitCode.USAGE
        if "UsageError" in kinds:
            ctx = getattr(error, "ctx", None)
            command = ctx.command_path if ctx else prog_name
            message = " ".join(error.format_message().split())  # type: ignore[attr-defined]
            _err(f"regtrack: error: {message} (see '{command} --help')")
            return ExitCode.USAGE
        if "ClickException" in kinds:
            _err(f"regtrack: error: {' '.join(error.format_message().split())}")  # type: ignore[attr-defined]
            return ExitCode.USAGE
        # the last resort: a bug
        _err(f"regtrack: internal error: {type(error).__name__}: {error}")
        _err(
            f"regtrack: this is a bug in regtrack {__version__}; please report it with the "
            f"command you ran at {ISSUES_URL} (set REGTRACK_DEBUG=1 for the traceback)"
        )
        if os.environ.get("REGTRACK_DEBUG"):
            import traceback

            traceback.print_exc()
        return ExitCode.INTERNAL


def _click_kinds(error: BaseException) -> set[str]:
    """The names of click's exception classes `error` is an instance of. typer vendors click
    from 0.26 (as typer._click) and used the click package before: matching by class name
    reads both without importing a private module of typer (issue 28)."""
    return {
        cls.__name__
        for cls in type(error).__mro__
        if cls.__module__.split(".")[-1] == "exceptions" and "click" in cls.__module__
    }


def _unusable(args: list[str]) -> str:
    """Why the command cannot start, or "": an argument that is not UTF-8 (Python hands it on
    with lone surrogates, which no file, feed or mail can hold), or a working folder that was
    deleted under the shell (issue 27: both were exit 3)."""
    for index, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return f"argument {index} is not valid UTF-8 text"
    try:
        os.getcwd()  # noqa: PTH109 (pathlib would import more at start-up)
    except OSError:
        return "the current folder no longer exists; cd to another one and run again"
    return ""


def _reflowed(text: str | None) -> str | None:
    """A docstring's paragraphs each on one line: typer's help keeps the line breaks of the
    source inside a paragraph, and a terminal then wraps them raggedly."""
    if not text:
        return text
    import inspect  # already loaded by typer

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def _err(line: str) -> None:
    """Every message of the error boundary, escaped: it echoes keys, values, paths and reasons
    from input (issue 14)."""
    from regtrack.errors import visible

    try:
        sys.stderr.write(visible(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or full: nowhere to say it
        pass


app = typer.Typer(
    cls=_Group,
    name="regtrack",
    help="Track compliance deadlines: GDPR, AI Act, NIS2, DORA, EHDS and more.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"regtrack {__version__} (built-in registry of {_registry_date()})\n")
        raise typer.Exit()


def _registry_date() -> str:
    """The built-in registry's date: the last day any of its dates was checked or recorded
    (issue 26), so that a user can tell which state of the law a copy of regtrack knows."""
    from regtrack.registry import builtin_path, load

    try:
        registry = load([builtin_path()])
    except RegtrackError:  # a broken install: the version still prints
        return "unknown"
    days = [
        day
        for o in registry.obligations
        for m in o.milestones
        for day in (m.verified, m.added)
        if day is not None
    ]
    return max(days).isoformat() if days else "unknown"


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Track compliance deadlines: GDPR, AI Act, NIS2, DORA, EHDS and more."""
