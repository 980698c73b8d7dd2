"""Registry files and the other input files, read from disk: sizes, encodings, the parse cache.
The YAML itself is read by regtrack.parse, imported only when a file is not in the cache, so a
warm start imports neither PyYAML nor the parser."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from regtrack.errors import InvalidRegistry, Problem
from regtrack.kinds import Document, FileKind
from regtrack.models import Obligation, Registry

if TYPE_CHECKING:
    from regtrack.orgmodels import Event, OrgConfig, Portfolio, Waiver

MAX_FILE_BYTES = 16 * 1024 * 1024


def read_bytes(path: Path, *, record: bool = True) -> bytes:
    """A regular file's bytes; an unreadable, oversized or non-regular file (a FIFO, a device,
    /dev/stdin: reading one could block for ever) is a Problem, and is never read. The file is
    remembered as an input (`record`) unless it is the previous state of the output itself
    (`export ics --previous` of the calendar it rewrites)."""
    import os
    import stat

    file = str(path)

    def refused(reason: str) -> InvalidRegistry:
        return InvalidRegistry([Problem(file, 0, 0, "", reason)])

    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise refused(f"cannot read: {error.strerror or error}") from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise refused("cannot read: it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise refused("cannot read: not a regular file (a FIFO, a device or a socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise refused(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; refused")
        if record:  # no output may replace it (issue 27)
            from regtrack.inputs import READ

            READ.add((info.st_dev, info.st_ino))
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise refused(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(handle)
    if len(data) > MAX_FILE_BYTES:
        raise refused(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; refused")
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


def read(path: Path, expected: FileKind) -> Document:
    """A file read as what its content says it is (through the parse cache); problems, an
    unreadable file's included, are in the Document."""
    from regtrack.cache import cached

    file = str(path)
    try:
        data = read_bytes(path)
    except InvalidRegistry as error:
        return Document(expected, file, problems=error.problems)

    def parse() -> tuple[Document, bool]:
        from regtrack.parse import read_document

        try:
            document = read_document(decode(data, file), file, expected)
        except InvalidRegistry as error:
            return Document(expected, file, problems=error.problems), False
        return document, not document.problems

    def fresh() -> Document:
        if expected is FileKind.REGISTRY and _is_builtin(path):
            return _builtin(path, data)  # never through the user's cache (issue 29)
        # The kind asked for is part of the entry's key: a file whose keys do not say what it
        # is is read as that kind, and must never be handed to a command that asked for another.
        return cached(file, data, parse, expected.name)

    if _READ is None:
        return fresh()
    key = (file, expected.name, data)
    document = _READ.get(key)
    if document is None:
        document = _READ[key] = fresh()
        # A file whose content said it was another kind is that kind whatever was asked:
        # `validate` asks for a registry, then reads a waivers file again as waivers.
        _READ.setdefault((file, document.kind.name, data), document)
    return document


def _is_builtin(path: Path) -> bool:
    # only the package's own file: a parsed file planted beside a registry under review would
    # show what its YAML does not say
    return path.name == "obligations.yaml" and path.resolve() == builtin_path()


# The built-in registry as read in this process, by its bytes (tests run many commands in one).
_BUILTIN: dict[tuple[str, bytes], Document] = {}


def _builtin(path: Path, data: bytes) -> Document:
    """The built-in registry: as the package was built with it (regtrack.prebuilt), or parsed;
    never from or into the user's cache folder (issue 29)."""
    key = (str(path), data)
    document = _BUILTIN.get(key)
    if document is None:
        from regtrack.prebuilt import load

        document = load(path, data)
        if document is None:
            from regtrack.parse import read_document

            document = read_document(decode(data, str(path)), str(path), FileKind.REGISTRY)
        _BUILTIN.clear()
        _BUILTIN[key] = document
    return document


# Inside `reading_once`: the documents read so far, by file, kind asked for and bytes.
_READ: dict[tuple[str, str, bytes], Document] | None = None


@contextlib.contextmanager
def reading_once() -> Iterator[None]:
    """Within it, a file read again with the same bytes is the same document: a portfolio's
    200 clients read the built-in registry once, not 200 times from the parse cache."""
    global _READ
    outer = _READ
    _READ = {} if outer is None else outer
    try:
        yield
    finally:
        _READ = outer


def forget(document: Document) -> None:
    """Within `reading_once`, let `document` go: read again, it is read afresh (through the
    parse cache). `validate` keeps one registry's models at a time, not all (issue 29)."""
    if _READ is not None:
        for key in [key for key, kept in _READ.items() if kept is document]:
            del _READ[key]


def read_as(path: Path, *kinds: FileKind) -> Document:
    """A file that must be one of `kinds`; InvalidRegistry names its kind and the option that
    takes it otherwise, or lists its problems."""
    document = read(path, kinds[0])
    if document.kind not in kinds:
        raise InvalidRegistry([document.refused(kinds)])
    if document.problems:
        raise InvalidRegistry(document.problems)
    return document


def load(paths: Sequence[Path]) -> Registry:
    """Every obligation of these registry files; InvalidRegistry lists every problem of every
    file (a file of another kind is one problem naming what it is)."""
    return registry_of([read(path, FileKind.REGISTRY) for path in paths])


def registry_of(documents: Sequence[Document]) -> Registry:
    """The obligations of documents already read; InvalidRegistry as `load`."""
    problems: list[Problem] = []
    obligations: list[Obligation] = []
    for document in documents:
        if document.kind is not FileKind.REGISTRY:
            problems.append(document.refused((FileKind.REGISTRY,)))
            continue
        obligations.extend(document.obligations)
        problems.extend(document.problems)
    problems += duplicate_ids(obligations, {})
    if problems:
        raise InvalidRegistry(problems)
    return Registry(tuple(obligations))


def duplicate_ids(
    obligations: Iterable[Obligation], first: dict[str, tuple[str, int]]
) -> list[Problem]:
    """A problem for each obligation whose id an earlier one has: those of `first` (each id's
    file and line, which this adds to), then those before it here. `validate` calls it file by
    file, keeping only `first` of the files before (issue 29)."""
    problems: list[Problem] = []
    for obligation in obligations:
        other = first.get(obligation.id)
        if other is None:
            first[obligation.id] = (obligation.file, obligation.line)
        else:
            problems.append(
                Problem(
                    obligation.file,
                    obligation.line,
                    1,
                    f"obligations[{obligation.id}].id",
                    f"duplicate id (first at {other[0]}:{other[1]})",
                )
            )
    return problems


def load_text(text: str, file: str) -> Registry:
    """The obligations of one registry document given as text (e.g. from `git show`)."""
    from regtrack.parse import parse_text

    obligations, problems = parse_text(text, file)
    if problems:
        raise InvalidRegistry(problems)
    return Registry(tuple(obligations))


def load_config(path: Path) -> OrgConfig:
    """An organisation file (`regtrack.yaml`), through the parse cache."""
    config = read_as(path, FileKind.ORGANISATION).config
    assert config is not None  # an organisation file without problems has one
    return config


def load_portfolio(path: Path, *, whole: bool = True) -> Portfolio:
    """A portfolio file (`portfolio.yaml`), through the parse cache; every client's organisation
    file must exist (a Problem at the client's line otherwise), unless `whole` is False: then
    `missing_files` says which clients lack theirs."""
    portfolio = read_as(path, FileKind.PORTFOLIO).portfolio
    assert portfolio is not None  # a portfolio file without problems has one
    if whole:
        problems = [problem for _, problem in missing_files(portfolio)]
        if problems:
            raise InvalidRegistry(problems)
    return portfolio


def missing_files(portfolio: Portfolio) -> list[tuple[str, Problem]]:
    """The clients whose organisation file is not there, each with the Problem at its line."""
    folder = Path(portfolio.file).parent
    missing = []
    for index, client in enumerate(portfolio.clients):
        where = folder / client.config
        if not where.is_file():
            missing.append(
                (
                    client.name,
                    Problem(
                        portfolio.file,
                        client.line,
                        1,
                        f"clients[{index}].config",
                        f"{client.name}: no organisation file {client.config} (from "
                        f"{folder or '.'}: {'a folder' if where.is_dir() else 'not found'})",
                    ),
                )
            )
    return missing


def load_waivers(path: Path) -> tuple[Waiver, ...]:
    """The waivers of a waivers file or of an organisation file's `waivers:`."""
    return read_as(path, FileKind.WAIVERS, FileKind.ORGANISATION).waivers


def load_events(path: Path) -> tuple[Event, ...]:
    """The events of an events file or of an organisation file's `events:`."""
    return read_as(path, FileKind.EVENTS, FileKind.ORGANISATION).events


def builtin_path() -> Path:
    """The built-in registry: inside the installed package (the wheel puts data/obligations.yaml
    there), or data/ in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "obligations.yaml"
    return packaged if packaged.is_file() else here.parents[1] / "data" / "obligations.yaml"
