"""Files regtrack reads, YAML text → typed models, every problem located as
`FILE:LINE:COL: field: message`; one module per kind of file on a shared reader:

- reader: safe composition, limits, typed scalars (shared by every kind);
- kinds: what a file is, from its top-level keys;
- registry, organisation, waivers, events, portfolio: each kind's fields;
- layout: where a key's value stands, for the organisation-file writer.

The only package that imports yaml; regtrack.registry imports it only when a file is not in the
parse cache.
"""

from __future__ import annotations

from regtrack.errors import InvalidRegistry, Problem
from regtrack.kinds import Document, FileKind
from regtrack.parse.events import event, parse_events
from regtrack.parse.kinds import detect
from regtrack.parse.layout import KeyPlace, locate_key
from regtrack.parse.organisation import config_of, parse_config
from regtrack.parse.reader import (
    MAX_FILE_PROBLEMS,
    MAX_NODES,
    SCHEMA_VERSION,
    SLUG,
    Reader,
    TooLarge,
    TooManyProblems,
    compose,
    jurisdiction_code,
    list_of,
)
from regtrack.parse.registry import obligations_of, parse_text
from regtrack.parse.waivers import parse_waivers, waiver

__all__ = [
    "MAX_NODES",
    "SCHEMA_VERSION",
    "SLUG",
    "KeyPlace",
    "jurisdiction_code",
    "locate_key",
    "parse_config",
    "parse_events",
    "parse_text",
    "parse_waivers",
    "read_document",
]

_EMPTY = {
    FileKind.REGISTRY: "the file is empty (expected schema: and obligations:)",
    FileKind.ORGANISATION: "the file is empty (run regtrack init)",
    FileKind.PORTFOLIO: "the file is empty (expected clients:)",
}


def read_document(text: str, file: str, expected: FileKind) -> Document:
    """A file's text read as what its content says it is (`expected` when nothing says), with
    every problem found in it; never raises for bad input."""
    try:
        node = compose(text, file)
    except InvalidRegistry as error:
        return Document(expected, file, problems=error.problems)
    if node is None:
        if expected in _EMPTY:
            return Document(expected, file, problems=(Problem(file, 1, 1, "", _EMPTY[expected]),))
        return Document(expected, file)
    kind, evidence, line = detect(node, expected)
    r = Reader(file, text)
    found: dict[str, object] = {}
    try:
        if kind is FileKind.REGISTRY:
            found["obligations"] = tuple(obligations_of(r, node))
        elif kind is FileKind.ORGANISATION:
            config = config_of(r, node)
            found.update(config=config, waivers=config.waivers, events=config.events)
        elif kind is FileKind.PORTFOLIO:
            from regtrack.parse.portfolio import portfolio_of

            found["portfolio"] = portfolio_of(r, node)
        elif kind is FileKind.WAIVERS:
            found["waivers"] = tuple(list_of(r, node, "waivers", waiver))
        else:
            found["events"] = tuple(list_of(r, node, "events", event))
    except TooLarge:
        r.problems.append(Problem(file, 0, 0, "", f"more than {MAX_NODES} values; refused"))
        found = {}
    except TooManyProblems:
        r.problems.append(
            Problem(file, 0, 0, "", f"stopped reading after {MAX_FILE_PROBLEMS} problems")
        )
        found = {}
    except RecursionError:
        r.problems.append(Problem(file, 0, 0, "", "nested too deeply"))
        found = {}
    return Document(
        kind,
        file,
        problems=tuple(r.problems),
        evidence=evidence,
        line=line,
        **found,  # type: ignore[arg-type]
    )
