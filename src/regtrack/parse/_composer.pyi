"""Types of the compiled YAML composer (_composer.c, issue 29)."""

import yaml

class Decline(Exception):
    """The composer leaves this text to PyYAML (an error in it, or a document it does not
    compose)."""

class Mark:
    name: str
    index: int
    line: int
    column: int
    buffer: None
    pointer: None
    def get_snippet(self) -> None: ...

def configure(
    scalar: type[yaml.ScalarNode],
    sequence: type[yaml.SequenceNode],
    mapping: type[yaml.MappingNode],
    str_tag: str,
    seq_tag: str,
    map_tag: str,
    too_large: type[Exception],
    /,
) -> None: ...
def compose(text: str, limit: int, /) -> yaml.Node | None: ...
def fields(
    pairs: list[tuple[yaml.Node, yaml.Node]], names: frozenset[str], /
) -> dict[str, yaml.Node]: ...
def libyaml_version() -> str: ...
