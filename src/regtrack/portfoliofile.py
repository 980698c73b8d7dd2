"""Writing a portfolio file: `init --client` adds a client, `init --remove-client` removes one.

As for the organisation file (regtrack.orgfile), nothing the consultant wrote may be lost: the
file is never re-serialised. A client is added as one line at the end of the `clients:` block
list, with the list's own indentation; a client is removed by taking out the lines of its own
item only. The result is read back and compared with the file before the change (the same
clients, but the one added or removed, the same firm and baseline); the write is atomic, under
the folder's lock, and a file that changed on disk meanwhile is not overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from regtrack.atomic import CannotWrite, ChangedOnDisk, locked, write_atomic
from regtrack.orgmodels import Client

HEADER = """\
# regtrack portfolio file (README, "Consultancies"): the client organisations, each with its own
# organisation file, and the baseline every client inherits. `regtrack init --client NAME` adds
# a client; regtrack keeps your comments when it writes.
schema: 1
# Your firm: its name heads the firm's digest, which `regtrack digest --mail-contacts` mails to
# its contacts after each client's digest to the client's contacts.
# firm: {name: Your Firm, contacts: [dpo-team@example.org]}
clients:
"""


def _item(indent: int, client: Client) -> str:
    """One client as one line: a flow mapping whose values are JSON strings (valid YAML,
    escaped: nothing in them can add a key or a line)."""
    fields = [f"name: {client.name}", f"config: {json.dumps(client.config)}"]
    if client.contacts:
        fields.append(f"contacts: [{', '.join(json.dumps(c) for c in client.contacts)}]")
    if client.tags:
        fields.append(f"tags: [{', '.join(json.dumps(t) for t in client.tags)}]")
    return f"{' ' * indent}- {{{', '.join(fields)}}}\n"


def with_client(text: str, client: Client) -> str:
    """`text` with `client` added at the end of its top-level `clients:` list; ValueError when
    that list is written inline with items in it, where a line cannot be added."""
    from regtrack.parse import locate_key

    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    value = locate_key(text, "clients")
    if value is None:
        return "".join(lines) + "clients:\n" + _item(2, client)
    if value.empty_flow:  # `clients: []` becomes a block list
        line = lines[value.line]
        lines[value.line] = (line[: value.column] + line[value.end_column :]).rstrip(" \n") + "\n"
        item = _item(value.key_column + 2, client)
        return "".join([*lines[: value.line + 1], item, *lines[value.line + 1 :]])
    if value.items_column is None:
        raise ValueError(
            "its clients: list is written inline ([...]); write it as a block list (one '- ' "
            "item a line) so that regtrack can add to it"
        )
    item = _item(value.items_column, client)
    return "".join([*lines[: value.end_line], item, *lines[value.end_line :]])


def without_client(text: str, name: str) -> str:
    """`text` without the lines of client `name`'s item; ValueError when it is not there or
    shares its lines with other text (an inline list)."""
    from regtrack.parse.layout import item_lines

    found = item_lines(text, "clients", "name", name)
    if found is None:
        raise ValueError(f"no client {name!r} in it")
    lines = text.splitlines(keepends=True)
    lines = lines[: found[0]] + lines[found[1] :]
    from regtrack.parse import locate_key

    left = locate_key("".join(lines), "clients")
    if left is not None and left.empty_flow and "[" not in lines[left.line]:
        # the last client gone: `clients:` alone would read as no list at all
        head, hash_, comment = lines[left.line].rstrip("\n").partition("#")
        lines[left.line] = f"{head.rstrip()} []" + (f"  {hash_}{comment}" if hash_ else "") + "\n"
    return "".join(lines)


def _update(
    path: Path,
    change: str,
    client: Client | None,
    name: str,
    before_write: Callable[[], None] | None = None,
) -> None:
    from regtrack.parse.portfolio import portfolio_of
    from regtrack.parse.reader import Reader, compose
    from regtrack.registry import decode, read_bytes

    def read(text: str) -> tuple[Client, ...]:
        reader = Reader(str(path), text)
        node = compose(text, str(path))
        portfolio = portfolio_of(reader, node) if node is not None else None
        if reader.problems or portfolio is None:
            raise CannotWrite(path, f"{reader.problems[0] if reader.problems else 'empty'}")
        return tuple(c._replace(file="", line=0) for c in portfolio.clients)

    before = read_bytes(path) if path.exists() else b""
    text = decode(before, str(path)) if before else HEADER
    old = read(text) if before else ()
    try:
        updated = with_client(text, client) if client is not None else without_client(text, name)
    except ValueError as error:
        raise CannotWrite(path, str(error)) from None
    expected = (*old, client) if client is not None else tuple(c for c in old if c.name != name)
    if read(updated) != expected:
        raise CannotWrite(path, f"the client could not be {change} safely; nothing written")
    if path.exists() and read_bytes(path) != before:
        raise ChangedOnDisk(path)
    if before_write is not None:  # what goes with the change (the client's own file)
        before_write()
    write_atomic(path, updated.encode("utf-8"))


def add_client(path: Path, client: Client, before_write: Callable[[], None]) -> None:
    """Add `client` to the portfolio file at `path` (created when there is none), under the
    folder's lock; `before_write` (writing the client's organisation file) runs once the change
    is known to be safe, and nothing is written if it fails."""
    with locked(path):
        _update(path, "added", client, client.name, before_write)


def remove_client(path: Path, name: str) -> None:
    """Remove client `name` from the portfolio file at `path`, under the folder's lock."""
    with locked(path):
        _update(path, "removed", None, name)
