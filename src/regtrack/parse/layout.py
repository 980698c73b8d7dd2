"""Where a top-level key's value stands in a file's text, for writers that insert lines instead
of re-serialising the document (regtrack.orgfile keeps every other byte)."""

from __future__ import annotations

from typing import NamedTuple

import yaml

from regtrack.parse.reader import children, compose


class KeyPlace(NamedTuple):
    """Where a top-level key's value stands in a file (0-based lines and columns), for writers
    that insert text instead of re-serialising the document."""

    key_column: int
    line: int
    column: int
    end_column: int
    empty_flow: bool  # `key: []` (or nothing)
    items_column: int | None  # a block list: the column of its `-`
    end_line: int  # a block list: the line after its last item's content


def locate_key(text: str, key: str) -> KeyPlace | None:
    """Where the value of top-level `key` stands; None when the key is absent."""
    node = compose(text, "")
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.value == key):
            continue
        key_column, start, end = key_node.start_mark.column, value.start_mark, value.end_mark
        # (a plain scalar's style is None from PyYAML's Python parser, "" from libyaml's)
        if isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style:
            # `done:` with nothing after it: the value "stands" at the end of the key's line
            line = key_node.start_mark.line
            end_of_line = len(text.splitlines()[line])
            return KeyPlace(key_column, line, end_of_line, end_of_line, True, None, 0)
        empty = isinstance(value, yaml.SequenceNode) and value.flow_style and not value.value
        block = isinstance(value, yaml.SequenceNode) and not value.flow_style and bool(value.value)
        column = start.column
        if empty or block:
            # An anchor or a tag (`done: &ledger`) is where the node starts, not its `[` or
            # its first `-` (issue 27: items were added at the anchor's column)
            found = _indicator_column(text, value) if block else _bracket(text, start)
            if found is None:
                return KeyPlace(key_column, start.line, column, column, False, None, 0)
            column = found
        return KeyPlace(
            key_column,
            start.line,
            column,
            end.column if end.line == start.line else column,
            bool(empty),
            column if block else None,
            _last_content_line(value) if block else start.line,
        )
    return None


def _bracket(text: str, start: yaml.Mark) -> int | None:
    """The column of the `[` of a flow sequence that starts at `start` (after its properties)."""
    line = text.splitlines()[start.line]
    found = line.find("[", start.column)
    return found if found >= 0 else None


def _indicator_column(text: str, sequence: yaml.SequenceNode) -> int | None:
    """The column of a block sequence's `-`: the one before its first item, on the item's line
    (None when the item starts on a line of its own, a layout regtrack does not add to)."""
    first = sequence.value[0].start_mark
    line = text.splitlines()[first.line][: first.column].rstrip(" ")
    return len(line) - 1 if line.endswith("-") and line[:-1].strip() == "" else None


def _last_content_line(node: yaml.Node) -> int:
    """The line after the last character of a node's content (comments after it excluded)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return end.line if end.column == 0 else end.line + 1
    below = children(node)
    return max((_last_content_line(child) for child in below), default=node.start_mark.line + 1)


def item_lines(text: str, key: str, field: str, value: str) -> tuple[int, int] | None:
    """The lines (0-based, the end excluded) of the item of top-level block list `key` whose
    `field` is `value`; None when there is none; ValueError when the list is written inline or
    the item shares a line with other text, where lines cannot be taken out alone."""
    node = compose(text, "")
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, items in node.value:
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.value == key):
            continue
        if not isinstance(items, yaml.SequenceNode):
            return None
        if items.flow_style and items.value:
            raise ValueError(
                f"its {key}: list is written inline ([...]); write it as a block list (one '- ' "
                "item a line) so that regtrack can change it"
            )
        for item in items.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            named = [
                v.value
                for k, v in item.value
                if isinstance(k, yaml.ScalarNode) and k.value == field
                and isinstance(v, yaml.ScalarNode)
            ]  # fmt: skip
            if named != [value]:
                continue
            first, end = item.start_mark.line, item.end_mark
            lines = text.splitlines()
            if lines[first][: item.start_mark.column].strip() not in ("-", ""):
                raise ValueError(f"{value!r} shares its line with other text")
            if end.column == 0:  # a block mapping: up to its last value, not the comments after
                last = _last_content_line(item)
            else:  # a flow mapping ends on its own line, with nothing but a comment after it
                rest = lines[end.line][end.column :] if end.line < len(lines) else ""
                if rest.split("#", 1)[0].strip():
                    raise ValueError(f"{value!r} shares its line with other text")
                last = end.line + 1
            return first, last
    return None
