"""The one error family of regtrack, and the exit codes of the whole CLI.

Core modules raise these; only the CLI's error boundary turns them into a message and an exit code.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple


class ExitCode(enum.IntEnum):
    """Exit codes of every regtrack command (documented in `--help` and the README)."""

    OK = 0
    FINDINGS = 1  # a check found what it gates on
    USAGE = 2  # usage error or invalid input
    INTERNAL = 3  # a bug in regtrack
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


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
        super().__init__(f"{option}: {message}")


class UnknownId(RegtrackError):
    """An obligation id that is in no loaded registry; suggests the closest ones."""

    def __init__(self, wanted: str, suggestions: Sequence[str]) -> None:
        self.wanted = wanted
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"unknown obligation id {wanted!r}{hint}")
