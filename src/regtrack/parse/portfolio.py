"""Portfolio files (`portfolio.yaml`): a consultancy's client organisations, each an organisation
file of its own, and the firm's baseline that every client inherits."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import yaml

from regtrack.orgmodels import Client, Portfolio
from regtrack.parse.organisation import override
from regtrack.parse.reader import Reader, Shape, schema_version, words
from regtrack.parse.registry import obligation
from regtrack.parse.waivers import waiver

T = TypeVar("T")

# The fields of each mapping of a portfolio file (its JSON Schema lists the same).
PORTFOLIO = Shape(("clients",), ("schema", "firm", "baseline"))
FIRM = Shape((), ("name", "contacts"))
CLIENT = Shape(("name", "config"), ("contacts", "tags"))
BASELINE = Shape((), ("obligations", "overrides", "waivers"))
# One bare address: what a digest is sent to (delivery checks it again, fully).
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def address(text: str) -> str:
    if not _ADDRESS.fullmatch(text):
        raise ValueError(f"{text!r} is not an e-mail address (name@example.org)")
    return text


def _contacts(r: Reader, node: yaml.Node, path: str) -> tuple[str, ...]:
    return tuple(r.sequence(node, path, lambda n, p: r.parsed(n, p, address)))


def _client(r: Reader, node: yaml.Node, path: str) -> Client | None:
    fields = r.shaped(node, path, CLIENT)
    if fields is None or "name" not in fields or "config" not in fields:
        return None
    name = r.slug(fields["name"], f"{path}.name")
    config = r.text(fields["config"], f"{path}.config")
    contacts = _contacts(r, fields["contacts"], f"{path}.contacts") if "contacts" in fields else ()
    tags = words(r, fields["tags"], f"{path}.tags") if "tags" in fields else ()
    if name is None or config is None:
        return None
    return Client(name, config, contacts, tags, r.file, node.start_mark.line + 1)


def portfolio_of(r: Reader, node: yaml.Node) -> Portfolio:
    """The portfolio of a document's root node."""
    fields = r.shaped(node, "", PORTFOLIO) or {}
    if "schema" in fields:
        schema_version(r, fields["schema"])
    name, contacts = "", tuple[str, ...]()
    if "firm" in fields:
        firm = r.shaped(fields["firm"], "firm", FIRM) or {}
        name = (r.text(firm["name"], "firm.name") or "") if "name" in firm else ""
        contacts = _contacts(r, firm["contacts"], "firm.contacts") if "contacts" in firm else ()
    located = (
        r.located(fields["clients"], "clients", lambda n, p: _client(r, n, p))
        if "clients" in fields
        else []
    )
    seen: dict[str, int] = {}
    for item, where, client in located:
        if client.name in seen:
            r.fail(item, f"{where}.name", f"duplicate client {client.name!r} (first at line "
                   f"{seen[client.name]})")  # fmt: skip
        seen.setdefault(client.name, client.line)
    baseline: dict[str, yaml.Node] = {}
    if "baseline" in fields:
        baseline = r.shaped(fields["baseline"], "baseline", BASELINE) or {}

    def listed(key: str, item: Callable[[Reader, yaml.Node, str], T | None]) -> tuple[T, ...]:
        if key not in baseline:
            return ()
        return tuple(r.sequence(baseline[key], f"baseline.{key}", lambda n, p: item(r, n, p)))

    return Portfolio(
        file=r.file,
        name=name,
        contacts=contacts,
        clients=tuple(client for _, _, client in located),
        obligations=listed("obligations", obligation),
        overrides=listed("overrides", override),
        waivers=listed("waivers", waiver),
    )
