"""The one error family of regtrack, and the exit codes of the whole CLI.

Core modules raise these; only the CLI's error boundary turns them into a message and an exit code.
"""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import enum
import functools
import re
from collections.abc import Sequence
from typing import NamedTuple


class ExitCode(enum.IntEnum):
    """Exit codes of every regtrack command (documented in `--help` and the README)."""

    OK = 0
    FINDINGS = 1  # a check found what it gates on
    USAGE = 2  # usage error or invalid input
    INTERNAL = 3  # a bug in regtrack
    OUTPUT = 4  # the output could not be written (stdout closed, disk full)
    DELIVERY = 5  # a digest could not be delivered (server unreachable, refused, answered an error)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + 15), once every temporary file is removed


class Problem(NamedTuple):
    """One thing wrong with an input file, located as `FILE:LINE:COL: field: message`."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


# What no message may carry to a terminal or a CI log: C0 and C1 controls (escape sequences,
# line breaks that start a new workflow command), DEL, bidirectional overrides, line and
# paragraph separators, zero-width and other invisible format characters, noncharacters.
_UNSHOWN = (
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufdd0-\ufdef\ufff9-\uffff]"
)


@functools.cache
def _unshown() -> re.Pattern[str]:
    # compiled when first needed: 0.9 ms of every start, and most runs echo no input
    return re.compile(_UNSHOWN)


def visible(text: str) -> str:
    """`text` with every character that could change what a terminal or a CI log shows written
    as an escape (`\\x1b`, `\\n`, `\\u202e`), and no workflow command (see `inert`): echoing
    input is output, and escaped like it."""
    return inert(_unshown().sub(lambda m: ascii(m.group())[1:-1], text))


# What a GitHub Actions runner runs as a workflow command in any line of a job's output, stdout
# or stderr (actions/runner, ActionCommand.TryParseV2 and TryParse): `::` that begins the line
# once leading white space is trimmed, and the legacy `##[command]` anywhere in it.
_COMMAND = r"^([^\S\n]*):(?=:)|##\["


@functools.cache
def _command() -> re.Pattern[str]:
    # compiled when first needed (0.2 ms of every start): most text holds neither `::` nor `##[`
    return re.compile(_COMMAND, re.MULTILINE)


def inert(text: str) -> str:
    """`text`, of any number of lines, with every workflow command written as an escape (`\\x3a:`
    for a line's leading `::`, `\\x23#[` for `##[`): a registry title that a terminal table
    wraps can begin a line, and a file's name begins a message."""
    if "::" not in text and "##[" not in text:  # two scans in C: a large table pays no regex
        return text
    return _command().sub(lambda m: "\\x23#[" if m.group(1) is None else m.group(1) + "\\x3a", text)


class RegtrackError(Exception):
    """Base of every error regtrack reports to its user; carries the exit code to use."""

    exit_code: ExitCode = ExitCode.USAGE

    def lines(self) -> list[str]:
        """The message, one line per problem."""
        return [str(self)]


class InvalidRegistry(RegtrackError):
    """A registry (or other input) file has one or more problems; all are reported at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.problems)} problem(s)")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class InvalidOption(RegtrackError):
    """A command-line option has a value regtrack cannot use."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        self.message = message
        super().__init__(f"{option}: {message}")


class UnknownId(RegtrackError):
    """An obligation id that is in no loaded registry; suggests the closest ones."""

    def __init__(self, wanted: str, suggestions: Sequence[str]) -> None:
        self.wanted = wanted
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"unknown obligation id {wanted!r}{hint}")


class OutputError(RegtrackError):
    """The command's output could not be written: standard output closed, a full disk."""

    exit_code = ExitCode.OUTPUT

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"cannot write the output to {where}: {reason}")


class ReaderGone(Exception):
    """Standard output's reader went away (`regtrack upcoming | head`): exit 0, quietly.

    Not an OSError: typer turns a broken pipe raised inside a command into exit 1, and a large
    output, written in pieces, meets it there (regtrack.cli.common.write_bytes_out)."""


class DeliveryError(RegtrackError):
    """A digest could not be delivered: the server was unreachable, refused the login or the
    message, or answered an error. The message carries the server's answer, never a secret."""

    exit_code = ExitCode.DELIVERY

    def __init__(self, message: str, *, this_message_only: bool = False) -> None:
        super().__init__(message)
        # True when the server refused this message (a recipient, its content) and may take
        # the next one; False when it refused the connection, the TLS or the login, which a
        # run of many messages must not retry once per message (an account locks after a few
        # failed logins)
        self.this_message_only = this_message_only
