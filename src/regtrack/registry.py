"""Registry files and the other input files, read from disk: sizes, encodings, the parse cache.
The YAML itself is read by regtrack.parse, imported only when a file is not in the cache, so a
warm start imports neither PyYAML nor the parser."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from regtrack.errors import InvalidRegistry, Problem
from regtrack.models import Obligation, Registry

if TYPE_CHECKING:
    from regtrack.orgmodels import Event, OrgConfig, Waiver

MAX_FILE_BYTES = 16 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """A file's bytes; an unreadable or oversized file is a Problem."""
    file = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InvalidRegistry(
            [Problem(file, 0, 0, "", f"cannot read: {error.strerror or error}")]
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidRegistry(
            [Problem(file, 0, 0, "", f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; refused")]
        )
    return data


def decode(data: bytes, file: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); anything else is a Problem with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidRegistry([Problem(file, line, 1, "", "not UTF-8 text")]) from None


def read_text(path: Path) -> str:
    """A file's text; an unreadable, oversized or non-UTF-8 file is a Problem."""
    return decode(read_bytes(path), str(path))


def load(paths: Sequence[Path]) -> Registry:
    """Every obligation of these files; InvalidRegistry lists every problem of every file."""
    from regtrack.cache import cached

    problems: list[Problem] = []
    obligations: list[Obligation] = []
    for path in paths:
        try:
            data = read_bytes(path)
        except InvalidRegistry as error:
            problems.extend(error.problems)
            continue
        file = str(path)

        def parse(
            data: bytes = data, file: str = file
        ) -> tuple[tuple[list[Obligation], list[Problem]], bool]:
            from regtrack.parse import parse_text

            try:
                found = parse_text(decode(data, file), file)
            except InvalidRegistry as error:
                return ([], list(error.problems)), False
            return found, not found[1]

        found, file_problems = cached(file, data, parse)
        obligations.extend(found)
        problems.extend(file_problems)
    first: dict[str, Obligation] = {}
    for obligation in obligations:
        if obligation.id in first:
            other = first[obligation.id]
            problems.append(
                Problem(
                    obligation.file,
                    obligation.line,
                    1,
                    f"obligations[{obligation.id}].id",
                    f"duplicate id (first at {other.file}:{other.line})",
                )
            )
        else:
            first[obligation.id] = obligation
    if problems:
        raise InvalidRegistry(problems)
    return Registry(tuple(obligations))


def load_text(text: str, file: str) -> Registry:
    """The obligations of one registry document given as text (e.g. from `git show`)."""
    from regtrack.parse import parse_text

    obligations, problems = parse_text(text, file)
    if problems:
        raise InvalidRegistry(problems)
    return Registry(tuple(obligations))


def load_config(path: Path) -> OrgConfig:
    """An organisation's `regtrack.yaml` (through the parse cache)."""
    from regtrack.cache import cached

    data = read_bytes(path)
    file = str(path)

    def parse() -> tuple[OrgConfig, bool]:
        from regtrack.parse import parse_config

        return parse_config(decode(data, file), file), True

    return cached(file, data, parse)


def load_waivers(path: Path) -> list[Waiver]:
    """The `waivers:` of a file; InvalidRegistry lists every problem with file and line."""
    from regtrack.parse import parse_waivers

    return parse_waivers(read_text(path), str(path))


def load_events(path: Path) -> list[Event]:
    """The `events:` of a file; InvalidRegistry lists every problem with file and line."""
    from regtrack.parse import parse_events

    return parse_events(read_text(path), str(path))


def builtin_path() -> Path:
    """The built-in registry: inside the installed package (the wheel puts data/obligations.yaml
    there), or data/ in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "obligations.yaml"
    return packaged if packaged.is_file() else here.parents[1] / "data" / "obligations.yaml"
