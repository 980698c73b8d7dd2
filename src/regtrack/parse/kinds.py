"""What a file is, from its content: the top-level keys that only one kind of file has."""

from __future__ import annotations

import yaml

from regtrack.kinds import FileKind

# Keys only an organisation file has; `obligations:` beside `waivers:` or `events:` is one too
# (a registry holds obligations only, a waivers or events file its one list).
_ORGANISATION_ONLY = ("profile", "registries", "overrides", "done")
# Keys only a portfolio file has.
_PORTFOLIO_ONLY = ("clients", "firm", "baseline")


def detect(node: yaml.Node, expected: FileKind) -> tuple[FileKind, str, int]:
    """The kind of a document's root node, the keys that show it and the line of the first;
    `expected` (what the command was asked to read) when no key says, so that a file of
    misspelt keys is reported in the terms of the kind it was meant to be."""
    if not isinstance(node, yaml.MappingNode):
        return expected, "", 0
    lines: dict[str, int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str):
            lines.setdefault(key.value, key.start_mark.line + 1)

    def shown(kind: FileKind, *keys: str) -> tuple[FileKind, str, int]:
        present = [k for k in keys if k in lines]
        first = min(present, key=lines.__getitem__)
        listed = ", ".join(f"{k}:" for k in present)
        return kind, f"{listed} at line {lines[first]}", lines[first]

    if any(key in lines for key in _PORTFOLIO_ONLY):
        return shown(FileKind.PORTFOLIO, *_PORTFOLIO_ONLY)
    if any(key in lines for key in _ORGANISATION_ONLY):
        return shown(FileKind.ORGANISATION, *_ORGANISATION_ONLY)
    lists = [key for key in ("obligations", "waivers", "events") if key in lines]
    if len(lists) > 1:
        return shown(FileKind.ORGANISATION, *lists)
    if lists == ["obligations"]:
        return shown(FileKind.REGISTRY, "obligations")
    if lists == ["waivers"]:
        return shown(FileKind.WAIVERS, "waivers")
    if lists == ["events"]:
        return shown(FileKind.EVENTS, "events")
    return expected, "", 0
