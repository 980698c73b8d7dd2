"""Output formats: one module per format, one interface, chosen through `FORMATS`.

Each format module is pure: it turns selected values into text and never prints. Modules are
imported only when their format is asked for, so `--format json` never pays for rich.
"""

# Annotations are evaluated here (no `from __future__ import annotations`): typing.NamedTuple
# compiles a string annotation per field on every start (issue 29); names only imported for
# type checking, or defined later, are quoted.
import datetime as dt
import enum
import functools
import importlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar, cast

if TYPE_CHECKING:  # only for annotations: `upcoming` need not import the clocks
    from regtrack.agenda import Due
    from regtrack.changes import Changed
    from regtrack.diff import RegistryDiff
    from regtrack.models import Obligation
    from regtrack.periods import Clock

T = TypeVar("T")


class Format(enum.StrEnum):
    """The formats of `upcoming`, `list`, `show` and `diff`."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class RenderOptions(NamedTuple):
    """How the terminal looks; only the table format uses it."""

    width: int = 80
    color_system: str | None = None  # None: plain text, no escape sequences at all
    no_color: bool = False  # NO_COLOR: styles such as bold stay, colours go


# What `upcoming` and `list` render: text, or, for a large JSON document, its UTF-8 bytes in
# pieces that are written as they are made, so that the whole document is never in memory at
# once (100,000 obligations: issue 17). regtrack.cli.common.write_out takes either.
Rendered = str | Iterable[bytes]


# How many rows, lines or entries of a large output are laid out and written together: few
# enough that the output is never whole in memory (a table, a page or a feed of 100,000
# obligations took hundreds of megabytes, issue 29), enough that writing costs nothing.
PIECE = 256


def batches(items: Iterable[T]) -> Iterator[list[T]]:
    """`items` in lists of PIECE (the last one shorter), made as they are taken."""
    items = iter(items)
    while batch := list(itertools.islice(items, PIECE)):
        yield batch


def utf8_pieces(parts: Iterable[str]) -> Iterator[bytes]:
    """`parts` joined PIECE at a time, as UTF-8: a document written as it is made."""
    for batch in batches(parts):
        yield "".join(batch).encode("utf-8")


def text_of(rendered: Rendered) -> str:
    """A rendering as one string, its pieces joined (a small document, or a file's whole text)."""
    return rendered if isinstance(rendered, str) else b"".join(rendered).decode("utf-8")


# Whether an obligation applies to the organisation, and why (regtrack.organisation).
Applies = tuple[bool, Sequence[str]]
# An obligation's milestones as the agenda evaluated them (regtrack.agenda.Agenda.dates_of).
DatesOf = Callable[["Obligation"], Sequence["Due"]]


class Shown(NamedTuple):
    """One client's view of an obligation in a portfolio's `show` (issue 25): what that
    client's own `show` prints."""

    client: str  # its name in the portfolio file
    profile: str  # `Clinique A — FR · controller, deployer · health`
    obligation: "Obligation | None"  # None: the obligation is in none of its registries
    dates: "Sequence[Due]" = ()
    applies: Applies | None = None


class Span(NamedTuple):
    """The days a view shows, as of `today`: from `start` through `end` (None: no end). Every
    view says which window it shows (issue 24)."""

    today: dt.date
    start: dt.date
    end: dt.date | None = None
    overdue: bool = True  # what is overdue leads, whatever the window (`--no-overdue`: not)

    def title(self, view: str) -> str:
        """`Upcoming as of 2026-12-04: overdue, then from 2026-12-04 to 2027-03-04`."""
        lead = "overdue, then " if self.overdue else ""
        return f"{view} as of {self.today.isoformat()}: {lead}{self.text()}"

    def nothing(self) -> str:
        """What an empty view says: what it looked at."""
        lead = "Nothing is overdue, and nothing" if self.overdue else "Nothing"
        return f"{lead} is due {self.text()}."

    def text(self) -> str:
        """`from 2026-12-04 to 2027-03-04`, or `from 2026-12-04 on`."""
        if self.end is None:
            return f"from {self.start.isoformat()} on"
        return f"from {self.start.isoformat()} to {self.end.isoformat()}"


class Renderer(Protocol):
    """What every format module provides."""

    def render_upcoming(
        self, rows: "Sequence[Due]", span: Span, options: RenderOptions
    ) -> Rendered: ...

    def render_list(
        self, obligations: "Sequence[Obligation]", dates: DatesOf, options: RenderOptions
    ) -> Rendered: ...

    def render_show(
        self,
        obligation: "Obligation",
        dates: "Sequence[Due]",
        options: RenderOptions,
        applies: Applies | None = None,
    ) -> str: ...

    def render_show_clients(self, shown: Sequence[Shown], options: RenderOptions) -> str: ...

    def render_diff(self, changes: "RegistryDiff", options: RenderOptions) -> str: ...

    def render_vocabulary(self, options: RenderOptions) -> str: ...

    def render_changes(
        self, changes: "Sequence[Changed]", since: dt.date, until: dt.date, options: RenderOptions
    ) -> str: ...


FORMATS: dict[Format, str] = {
    Format.TABLE: "regtrack.formats.table",
    Format.JSON: "regtrack.formats.json",
    Format.CSV: "regtrack.formats.csv",
    Format.MARKDOWN: "regtrack.formats.markdown",
}


class CheckFormat(enum.StrEnum):
    """The formats of `check` reports."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    JUNIT = "junit"
    SARIF = "sarif"
    MARKDOWN = "markdown"


class CheckContext(NamedTuple):
    """What a check report says besides its findings."""

    today: dt.date
    warn_within: int
    fail_within: int
    root: str = ""  # registry files under this folder are named relative to it (annotations)
    # Where a finding that has no line of its own in the repository is located (SARIF results
    # must point at a file of the checkout): the organisation file's override of the obligation,
    # else the first of the organisation, waivers or events files in the repository.
    overrides: tuple[tuple[str, str, int], ...] = ()  # (obligation, file, line)
    anchor: str = ""


class CheckGroup(NamedTuple):
    """One client's findings in a portfolio's check, with its own context (SARIF locates its
    results in its own files) and the words that say whose they are."""

    organisation: str  # the client's name (`--client`)
    profile: str  # `Clinique A — FR · controller, deployer · health`
    findings: "Sequence[Due]"
    context: CheckContext


class CheckRenderer(Protocol):
    """What every check-report format module provides: one organisation's report, and a
    portfolio's, every item of it naming its organisation (issue 25)."""

    def render_check(self, findings: "Sequence[Due]", context: CheckContext) -> Rendered: ...

    def render_portfolio(self, groups: Sequence[CheckGroup]) -> Rendered: ...


CHECK_FORMATS: dict[CheckFormat, str] = {
    CheckFormat.TEXT: "regtrack.formats.text",
    CheckFormat.JSON: "regtrack.formats.json",
    CheckFormat.GITHUB: "regtrack.formats.github",
    CheckFormat.JUNIT: "regtrack.formats.junit",
    CheckFormat.SARIF: "regtrack.formats.sarif",
    CheckFormat.MARKDOWN: "regtrack.formats.markdown",
}


def check_renderer(fmt: CheckFormat) -> CheckRenderer:
    """The module that renders a check report as `fmt`, imported on first use."""
    return cast(CheckRenderer, importlib.import_module(CHECK_FORMATS[fmt]))


@functools.lru_cache(maxsize=256)
def relative_file(file: str, root: str) -> str:
    """A registry file named relative to `root` when it lies under it, else "" (a file outside
    the repository cannot carry an annotation). Kept per file for the run: a report names the
    same few files once per entry, and resolving a path asks the file system for each of its
    folders (two thirds of a 10,000-obligation JUnit report's time, issue 29)."""
    from pathlib import Path

    if not root or not file:
        return ""
    path, base = Path(file).resolve(), Path(root).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else ""


def located(row: "Due", root: str) -> tuple[str, int]:
    """The file of the repository under `root`, and the line, that an entry's annotation points
    at: the waiver that covers it (what a reviewer changes to renew or end it), else its own
    line in a registry or events file; ("", 0) when neither is in the repository."""
    o, m = row.obligation, row.milestone
    if row.waiver is not None and (waived := relative_file(row.waiver.file, root)):
        return waived, row.waiver.line or 1
    if own := relative_file(o.file, root):
        return own, m.line or o.line or 1
    return "", 0


class ClockFormat(enum.StrEnum):
    """The formats of `clock`."""

    TABLE = "table"
    JSON = "json"
    ICS = "ics"


class ClockRenderer(Protocol):
    """What every clock format module provides."""

    def render_clock(self, clock: "Clock", options: RenderOptions) -> str: ...


CLOCK_FORMATS: dict[ClockFormat, str] = {
    ClockFormat.TABLE: "regtrack.formats.table",
    ClockFormat.JSON: "regtrack.formats.json",
    ClockFormat.ICS: "regtrack.formats.ics",
}


def clock_renderer(fmt: ClockFormat) -> ClockRenderer:
    """The module that renders a clock as `fmt`, imported on first use."""
    return cast(ClockRenderer, importlib.import_module(CLOCK_FORMATS[fmt]))


def renderer(fmt: Format) -> Renderer:
    """The module that renders `fmt`, imported on first use."""
    return cast(Renderer, importlib.import_module(FORMATS[fmt]))


def changes_title(since: dt.date, until: dt.date) -> str:
    """`Changes known from 2026-11-01 to 2026-12-04`: every view of `changes` says its days."""
    return f"Changes known from {since.isoformat()} to {until.isoformat()}"
