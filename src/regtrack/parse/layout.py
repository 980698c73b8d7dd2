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
        if isinstance(value, yaml.ScalarNode) and value.value == "" and value.style is None:
            # `done:` with nothing after it: the value "stands" at the end of the key's line
            line = key_node.start_mark.line
            column = len(text.splitlines()[line])
            return KeyPlace(key_column, line, column, column, True, None, 0)
        empty = isinstance(value, yaml.SequenceNode) and value.flow_style and not value.value
        block = isinstance(value, yaml.SequenceNode) and not value.flow_style and bool(value.value)
        return KeyPlace(
            key_column,
            start.line,
            start.column,
            end.column if end.line == start.line else start.column,
            bool(empty),
            start.column if block else None,
            _last_content_line(value) if block else start.line,
        )
    return None


def _last_content_line(node: yaml.Node) -> int:
    """The line after the last character of a node's content (comments after it excluded)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return end.line if end.column == 0 else end.line + 1
    below = children(node)
    return max((_last_content_line(child) for child in below), default=node.start_mark.line + 1)
