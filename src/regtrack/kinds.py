"""The kinds of file regtrack reads, and what a file of each kind holds once read.

A file says what it is by its content (its top-level keys, parse.kinds), never by the option it
was given with: a registry has `obligations:`, an organisation file its profile, registries,
overrides or ledger, a waivers file only `waivers:`, an events file only `events:`, a portfolio
file its `clients:`. Every command
that takes a file accepts each kind that holds what it needs (an organisation file's `waivers:`
for --waivers, its `events:` for --events), and a file of another kind is one message naming
what it is and the option that takes it.
"""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import enum
from typing import TYPE_CHECKING, NamedTuple

from regtrack.errors import Problem

if TYPE_CHECKING:
    from regtrack.models import Obligation
    from regtrack.orgmodels import Event, OrgConfig, Portfolio, Waiver


class FileKind(enum.StrEnum):
    """What a file is, in the words every message uses."""

    REGISTRY = "registry"
    ORGANISATION = "organisation file"
    WAIVERS = "waivers file"
    EVENTS = "events file"
    PORTFOLIO = "portfolio file"

    @property
    def option(self) -> str:
        """How a file of this kind is passed to regtrack."""
        return _OPTIONS[self]

    @property
    def article(self) -> str:
        """`a registry`, `an organisation file`."""
        return f"{'an' if self.value[0] in 'aeiou' else 'a'} {self.value}"


_OPTIONS = {
    FileKind.REGISTRY: "--registry FILE (or registries.files in your organisation file)",
    FileKind.ORGANISATION: "--config FILE (or REGTRACK_CONFIG)",
    FileKind.WAIVERS: "--waivers FILE (or the waivers: of your organisation file)",
    FileKind.EVENTS: "--events FILE (or the events: of your organisation file)",
    FileKind.PORTFOLIO: "--portfolio FILE (or REGTRACK_PORTFOLIO)",
}


class Document(NamedTuple):
    """One file, read as what its content says it is; `problems` lists everything wrong with it
    (nothing of a file with problems is used). An organisation file's waivers and events are in
    `waivers` and `events` as well as in `config`, so that --waivers and --events take it."""

    kind: FileKind
    file: str
    obligations: "tuple[Obligation, ...]" = ()
    config: "OrgConfig | None" = None
    waivers: "tuple[Waiver, ...]" = ()
    events: "tuple[Event, ...]" = ()
    problems: tuple[Problem, ...] = ()
    evidence: str = ""  # what showed the kind: `profile:` at line 4
    line: int = 0
    portfolio: "Portfolio | None" = None

    def refused(self, wanted: tuple[FileKind, ...]) -> Problem:
        """The one problem of a file given where another kind was expected."""
        expected = " or ".join(k.article for k in wanted)
        shown = f" (it has {self.evidence})" if self.evidence else ""
        return Problem(
            self.file,
            self.line,
            1 if self.line else 0,
            "",
            f"this is {self.kind.article}{shown}, not {expected}; pass it with {self.kind.option}",
        )
