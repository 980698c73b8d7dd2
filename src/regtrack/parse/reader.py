"""The reader every file kind shares: safe composition of YAML nodes, limits, and typed
scalars, every problem located as `FILE:LINE:COL: field: message`.

Files are composed into YAML nodes with a safe loader (never a full or unsafe one) and typed
field by field, so that YAML 1.1's implicit typing never decides what a value means:
`2026-08-02` stays text until it is read as a date, `no` is the word "no" where text is
expected and is refused where a boolean is, `1e3` is not a number.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import NamedTuple, TypeVar

import yaml

from regtrack import vocabulary
from regtrack.dates import WINDOW_FORMS, parse_window
from regtrack.errors import InvalidRegistry, Problem
from regtrack.models import Window

try:  # libyaml's parser is several times faster on large registries
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader as YamlReader
    from yaml.scanner import Scanner

    class _Parser(YamlReader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            YamlReader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))


class _Loader(_Parser):
    """Composes nodes only (nothing is constructed: no Python object is ever built from a tag),
    and resolves no implicit types: every plain scalar is text until this module reads it as
    what its field expects. Skipping PyYAML's regex-based resolver halves the composing time."""

    nodes = 0

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        # Called once for every node composed (an alias makes none): the node limit is counted
        # here, so that a dense file stops after MAX_NODES nodes, with no parse of its own
        # before (which cost a legal file of 1.6 M values 2 s more, issue 27).
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TooLarge
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


def _compiled_composer() -> ModuleType | None:
    """regtrack's compiled composer (regtrack/parse/_composer.c, issue 29), when the wheel has
    it and its libyaml and PyYAML's are both 0.2.5 or later (the parser changes since are the
    nesting limit, which the composer leaves to PyYAML, and what 0.2.5 refuses, which PyYAML
    then composes); None otherwise, and PyYAML composes every file."""
    try:
        from regtrack.parse import _composer
    except ImportError:
        return None
    if not getattr(yaml, "__with_libyaml__", False):
        return None  # PyYAML's pure parser is the reference then, not libyaml

    def version(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", text)[:3])

    floor = (0, 2, 5)
    if version(_composer.libyaml_version()) < floor:
        return None
    if version(yaml._yaml.get_version_string()) < floor:
        return None
    _composer.configure(
        yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode, _STR, _SEQ, _MAP, TooLarge
    )
    return _composer


SCHEMA_VERSION = 1
# Aliases make a small file stand for a huge tree ("billion laughs"); we walk nodes, not text, so
# the walk itself is bounded.
MAX_NODES = 2_000_000
# The longest key a message quotes whole.
_LONGEST_SHOWN = 80

# Where an alias (`*name`) can stand: after a space, a flow indicator, or at a line's start
# (a line feed is a space). The expression starts with the asterisk, so that the regex engine
# jumps from one asterisk to the next: led by the alternative of what precedes it, it tried
# every position of the file (170 ms of a 10,000-obligation file's 2 s, issue 17).
_ALIAS = re.compile(r"\*(?<![^\s\[{,]\*)[^\s,\[\]{}]")
_YAML_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
# YAML 1.1's words for null, which a plain scalar cannot be read as text
_NULLS = frozenset(("~", "null", "Null", "NULL"))
SLUG = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
# What a ledger entry or a waiver names: an obligation, or an event's deadlines
# (`obligation@event`).
_TARGET = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*(?:@[a-z0-9]+(?:[-.][a-z0-9]+)*)?")
_URL = re.compile(r"https?://[^\s<>\"'`]+")
# C0/C1 controls (terminal escapes) and bidirectional overrides (CVE-2021-42574) never belong in a
# registry: they could rewrite what a terminal, a calendar or a CI log shows. Nor do invisible
# characters that change what text matches without changing how it looks (a zero-width space
# in `GD\u200bPR` escapes `-r GDPR`; soft hyphen, joiners, word joiner, byte-order mark), or
# noncharacters (Unicode §23.7: U+FFFE in a title made JUnit XML no parser accepts).
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufdd0-\ufdef\ufff9-\uffff"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
    )
)
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
_FORBIDDEN_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}\u2028\u2029]")
# A file none of whose characters is forbidden anywhere (a line feed aside), and without a
# backslash, cannot hold a forbidden character in any value: a value's characters are the
# file's, or a double-quoted escape's (which needs a backslash), or the line feeds and spaces
# of YAML's line folding (libyaml turns CR, CRLF and NEL into a line feed; none of them is in
# such a file). Such a file's text values need only the line-feed test (issue 17: the
# per-value search was a fifth of the typing walk); any other file has every value searched.
_UNCLEAN = re.compile(f"[\\\\\x00-\x09\x0b-\x1f\x7f-\x9f{_INVISIBLE}\u2028\u2029]")


# What `clean` must look for in ASCII text: every character but a line feed and printable
# ASCII other than the backslash. Each is looked for on its own, with the string's own search
# (a memchr): 9 ms for 8 MB, where a regular expression of a few ranges took 60 ms and
# `_UNCLEAN`'s hundred ranges a quarter of a second (issue 29).
_ASCII_UNCLEAN = tuple(chr(code) for code in (*range(0x0A), *range(0x0B, 0x20), ord("\\"), 0x7F))


def clean(text: str) -> bool:
    """Whether no value of this file's text can hold a forbidden character but a line feed."""
    if text.isascii():  # known without a scan: CPython keeps it with the string
        return not any(char in text for char in _ASCII_UNCLEAN)
    # Each distinct character once: memory bounded by the alphabet, whatever the file (a list
    # of its non-ASCII characters took 400 MB for 16 MiB of Japanese text).
    return not any(_UNCLEAN.match(char) for char in set(text))


E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


class Shape(NamedTuple):
    """The fields of one kind of mapping: what the parser reads, and what the JSON Schemas must
    list (tests/test_schema.py compares them field for field, so that the two cannot drift)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


class TooLarge(Exception):
    """The walk met more nodes than MAX_NODES."""


# The compiled composer, or None (see _compiled_composer).
COMPOSER = _compiled_composer()


class TooManyProblems(Exception):
    """The file had more problems than MAX_FILE_PROBLEMS: reading it further would only cost
    time and memory (two million wrong items made two million problems; issue 27)."""


# A file's problems kept before reading stops: far more than anyone reads (the error boundary
# prints 100), far fewer than a hostile file can make.
MAX_FILE_PROBLEMS = 1000


@functools.cache
def _fields(
    required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """A mapping's required fields, all its fields in order (for messages), and all as a set
    (for the walk, which looks up every key of every mapping)."""
    known = (*required, *optional)
    return required, known, frozenset(known)


def known_fields(
    pairs: list[tuple[yaml.Node, yaml.Node]], names: frozenset[str]
) -> dict[str, yaml.Node]:
    """The leading pairs of a mapping whose key is text (a ScalarNode tagged str) naming one
    of `names` for the first time, by name; the compiled composer's `fields` does the same."""
    found: dict[str, yaml.Node] = {}
    scalar = yaml.ScalarNode
    for key_node, value_node in pairs:
        if key_node.__class__ is scalar and key_node.tag == _STR:
            key = key_node.value
            if key in names and key not in found:
                found[key] = value_node
                continue
        break
    return found


# known_fields, compiled where the composer is (a fifth of the walk's time in Python, issue 29)
FIELDS: Callable[[list[tuple[yaml.Node, yaml.Node]], frozenset[str]], dict[str, yaml.Node]] = (
    known_fields if COMPOSER is None else COMPOSER.fields
)


@functools.cache
def _members(enum_type: type[E]) -> dict[object, E]:
    """An enum's members by value: a dict lookup where calling the enum costs three calls."""
    return {member.value: member for member in enum_type}


class Reader:
    """Walks one file's nodes, collecting problems instead of stopping at the first."""

    def __init__(self, file: str, text: str | None = None) -> None:
        self.file = file
        # None: the text is unknown, every value is searched (see `clean`)
        self.clean = text is not None and clean(text)
        self.problems: list[Problem] = []
        self.visits = 0
        # Equal values read once are one object: a registry repeats its dates, regulations and
        # sources thousands of times, and the parse cache then stores and loads each once.
        self.shared: dict[object, object] = {}

    def share(self, value: T) -> T:
        """The one object equal to `value` in this file."""
        # keyed by type too: named tuples of different types with equal fields compare equal
        return self.shared.setdefault((type(value), value), value)  # type: ignore[return-value]

    def fail(self, node: yaml.Node, field: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, field, message))
        if len(self.problems) >= MAX_FILE_PROBLEMS:
            raise TooManyProblems

    def visit(self, nodes: int = 1) -> None:
        """Count `nodes` more nodes walked. A container counts itself and its children when it
        is read, so that a scalar costs no call (a third of a registry's nodes are keys and
        most of the rest text)."""
        self.visits += nodes
        if self.visits > MAX_NODES:
            raise TooLarge

    # -- structure -------------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, path: str, required: Iterable[str], optional: Iterable[str]
    ) -> dict[str, yaml.Node] | None:
        """The fields of a mapping node; unknown, duplicate and missing fields are problems."""
        if not isinstance(node, yaml.MappingNode) or node.tag != "tag:yaml.org,2002:map":
            self.visit()
            self.fail(node, path, f"expected a mapping, got {describe(node, path)}")
            return None
        pairs = node.value
        self.visit(1 + 2 * len(pairs))
        required, known, names = _fields(tuple(required), tuple(optional))
        # The common case, every key a known field once: no path built, no key node kept. Each
        # pair read there adds one field, so the first other pair is the len(fields)-th.
        fields = FIELDS(pairs, names)
        if len(fields) < len(pairs):
            self._unusual(pairs, len(fields), path, known, fields)
        for key in required:
            if key not in fields:
                self.fail(node, f"{path}.{key}" if path else key, "is required")
        return fields

    def _unusual(
        self,
        pairs: list[tuple[yaml.Node, yaml.Node]],
        start: int,
        path: str,
        known: tuple[str, ...],
        fields: dict[str, yaml.Node],
    ) -> None:
        """The pairs of a mapping from the first that is not a known field's first (see
        `mapping`): keys that are not text, merge keys, duplicates and unknown fields are
        problems; a known field's value joins `fields`."""
        scalar = yaml.ScalarNode
        # each key's first node, for duplicate messages
        seen: dict[str, yaml.Node] = {k.value: k for k, _ in pairs[:start]}
        for key_node, value_node in pairs[start:]:
            if not isinstance(key_node, scalar):
                self.fail(key_node, path, "a key must be plain text")
                continue
            key = key_node.value
            # a message names the key, but never a megabyte of it (issue 27)
            shown = key if len(key) <= _LONGEST_SHOWN else f"{key[:40]}… ({len(key)} characters)"
            where = f"{path}.{shown}" if path else shown
            if key == "<<" or key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, where, "merge keys (<<) are not supported; write the fields")
            elif key in seen:
                first = seen[key].start_mark.line + 1
                self.fail(key_node, where, f"duplicate key (first at line {first})")
            elif key not in known:
                # (difflib's cost grows with the key's length: a long key gets no guess)
                close = (
                    difflib.get_close_matches(key, known, n=1) if len(key) <= _LONGEST_SHOWN else []
                )
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"expected one of {', '.join(known)}"
                )
                self.fail(key_node, where, f"unknown field ({hint})")
            else:
                fields[key] = value_node
            seen.setdefault(key, key_node)

    def shaped(self, node: yaml.Node, path: str, shape: Shape) -> dict[str, yaml.Node] | None:
        """The fields of a mapping of this shape (see `mapping`)."""
        return self.mapping(node, path, shape.required, shape.optional)

    def sequence(
        self, node: yaml.Node, path: str, item: Callable[[yaml.Node, str], T | None]
    ) -> list[T]:
        """The items of a sequence node read by `item`; items with problems are left out."""
        out: list[T] = []
        for index, child in enumerate(self._items(node, path)):
            value = item(child, f"{path}[{index}]")
            if value is not None:
                out.append(value)
        return out

    def located(
        self, node: yaml.Node, path: str, item: Callable[[yaml.Node, str], T | None]
    ) -> list[tuple[yaml.Node, str, T]]:
        """Like `sequence`, each item with its node and path, for checks across items."""
        out: list[tuple[yaml.Node, str, T]] = []
        for index, child in enumerate(self._items(node, path)):
            where = f"{path}[{index}]"
            value = item(child, where)
            if value is not None:
                out.append((child, where, value))
        return out

    def _items(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        """A sequence node's items, counted; none, and a problem, for any other node. (`sequence`
        keeps no node or path per item: most lists are read without checks across items.)"""
        if not isinstance(node, yaml.SequenceNode) or node.tag != "tag:yaml.org,2002:seq":
            self.visit()
            self.fail(node, path, f"expected a list, got {describe(node, path)}")
            return []
        self.visit(1 + len(node.value))
        items: list[yaml.Node] = node.value
        return items

    # -- scalars ---------------------------------------------------------------------------

    def text(self, node: yaml.Node, path: str, *, multiline: bool = False) -> str | None:
        """Non-empty text, as written; control characters are refused."""
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, path, f"expected text, got {describe(node, path)}")
            return None
        tag = node.tag
        if tag is not _STR and tag not in _YAML_TAGS:  # `is`: the tag nearly every value has
            self.fail(node, path, f"YAML tag {tag!r} is not allowed")
            return None
        written: str = node.value  # a scalar's value is text
        value = written.strip()
        # a plain scalar's style is None from PyYAML's Python parser and "" from libyaml's, which
        # regtrack uses: `title: ~` was read as the text "~" (issue 29)
        if not value:
            self.fail(node, path, "must not be empty")
            return None
        if value in _NULLS and not node.style:
            self.fail(node, path, f"must not be empty ({value} is YAML's null; quote it for text)")
            return None
        if self.clean and (multiline or "\n" not in value):
            return value
        forbidden = (_FORBIDDEN if multiline else _FORBIDDEN_ONE_LINE).search(value)
        if forbidden:
            code = f"U+{ord(forbidden.group()):04X}"
            what = (
                "a control, invisible or bidirectional"
                if multiline
                else "a line break, control, invisible or bidirectional"
            )
            self.fail(node, path, f"contains {what} character ({code}), which is not allowed")
            return None
        return value

    def parsed(self, node: yaml.Node, path: str, parse: Callable[[str], T]) -> T | None:
        """Text read by `parse`; its ValueError becomes the problem's message."""
        value = self.text(node, path)
        if value is None:
            return None
        memo = (parse, value)
        if memo in self.shared:
            return self.shared[memo]  # type: ignore[return-value]
        try:
            result = self.shared[memo] = parse(value)
        except ValueError as error:
            self.fail(node, path, str(error))
            return None
        return result

    def boolean(self, node: yaml.Node, path: str) -> bool | None:
        """`true` or `false` only: YAML 1.1's yes/no/on/off are refused, not guessed."""
        value = self.text(node, path)
        if value is None:
            return None
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        self.fail(node, path, f"{value!r} is not a boolean (expected true or false)")
        return None

    def choice(self, node: yaml.Node, path: str, enum_type: type[E]) -> E | None:
        """A member of a closed set, by its value."""
        value = self.text(node, path)
        if value is None:
            return None
        member = _members(enum_type).get(value.lower())
        if member is None:
            names = ", ".join(str(m.value) for m in enum_type)
            self.fail(node, path, f"{value!r} is not allowed (expected one of {names})")
        return member

    def matching(
        self, node: yaml.Node, path: str, pattern: re.Pattern[str], what: str
    ) -> str | None:
        """Text that `pattern` matches whole; otherwise a problem saying it is not `what`."""
        value = self.text(node, path)
        if value is not None and not pattern.fullmatch(value):
            self.fail(node, path, f"{value!r} is not {what}")
            return None
        return value

    def slug(self, node: yaml.Node, path: str) -> str | None:
        """A lowercase identifier such as `gdpr-art-33-breach`."""
        return self.matching(node, path, SLUG, "a slug (expected lowercase a-z, 0-9 and -)")

    def target(self, node: yaml.Node, path: str) -> str | None:
        """An obligation id, or `obligation@event` for the deadlines an event started."""
        return self.matching(node, path, _TARGET, "an obligation id (or obligation@event)")

    def url(self, node: yaml.Node, path: str) -> str | None:
        """An http(s) URL without spaces or quotes."""
        return self.matching(node, path, _URL, "a URL (expected https://...)")


def _expanded_size(root: yaml.Node) -> float:
    """How many nodes the document has once every alias is expanded, counted without expanding
    (each distinct node once, post-order); a recursive alias counts as infinite."""
    sizes: dict[int, float] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        below = children(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in below)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return float("inf")
        open_nodes.add(key)
        stack.append((node, True))
        for child in below:
            if id(child) in open_nodes:
                return float("inf")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def describe(node: yaml.Node, path: str = "") -> str:
    """What a node is, for "expected X, got Y". A file's whole content (the root) is never
    quoted: a path that names /etc/passwd or a .env file by mistake must not print it into a CI
    log (issue 14). Other values are quoted short."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style:
        return "nothing"
    if not path:
        return "plain text: is this a regtrack file?"
    value = str(getattr(node, "value", ""))
    return repr(value if len(value) <= 40 else value[:37] + "...")


def jurisdiction_code(text: str) -> str:
    """A known jurisdiction (regtrack.vocabulary); ValueError with a suggestion otherwise."""
    return vocabulary.jurisdiction(text)


def window_of(text: str) -> Window:
    try:
        return parse_window(text)
    except ValueError as error:
        raise ValueError(f"{error} (expected {WINDOW_FORMS})") from None


def words(r: Reader, node: yaml.Node, path: str) -> tuple[str, ...]:
    """A list of free slugs (tags)."""
    return tuple(r.sequence(node, path, lambda n, p: r.slug(n, p)))


def roles(r: Reader, node: yaml.Node, path: str) -> tuple[str, ...]:
    """A list of roles of the closed vocabulary (regtrack.vocabulary.ROLES)."""
    return tuple(r.sequence(node, path, lambda n, p: r.parsed(n, p, vocabulary.role)))


def sectors(r: Reader, node: yaml.Node, path: str) -> tuple[str, ...]:
    """A list of sectors of the closed vocabulary (regtrack.vocabulary.SECTORS)."""
    return tuple(r.sequence(node, path, lambda n, p: r.parsed(n, p, vocabulary.sector)))


ADJUST = ("next-working-day", "previous-working-day")


def region(text: str) -> str:
    """A country or region whose public holidays the `holidays` package knows (`FR`, `DE-BY`,
    `GB-ENG`): checked here, so that a typo is an input error with its line, not a failure
    later when a deadline is counted."""
    from regtrack.periods import working_days

    working_days(text)
    return text.strip().upper()


def instant(text: str) -> dt.datetime:
    """A date and time (ISO 8601), in the years regtrack reads."""
    from regtrack.dates import check_year
    from regtrack.parse.grammar import INSTANT_RE

    try:
        # the grammar first: Python's fromisoformat also takes week dates, `2026-03-27x10:17`
        # and other forms no schema would (issue 28)
        if not INSTANT_RE.fullmatch(text):
            raise ValueError
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time (expected e.g. 2026-03-27T10:17)"
        ) from None
    check_year(moment.year, text)
    return moment


def list_of(
    r: Reader,
    node: yaml.Node,
    key: str,
    item: Callable[[Reader, yaml.Node, str], T | None],
) -> list[T]:
    """The items of a file's top-level `key:` list (the file may also say `schema: 1`)."""
    fields = r.mapping(node, "", (key,), ("schema",))
    if fields is not None and "schema" in fields:
        schema_version(r, fields["schema"])
    if not fields or key not in fields:
        return []
    return r.sequence(fields[key], key, lambda n, p: item(r, n, p))


def parse_list(
    text: str, file: str, key: str, item: Callable[[Reader, yaml.Node, str], T | None]
) -> list[T]:
    """The items of the `key:` list of a file's text; InvalidRegistry lists every problem."""
    node = compose(text, file)
    if node is None:
        return []
    r = Reader(file, text)
    items = list_of(r, node, key, item)
    if r.problems:
        raise InvalidRegistry(r.problems)
    return items


def schema_version(r: Reader, node: yaml.Node) -> None:
    """`schema: 1`, the only version there is."""
    version = r.text(node, "schema")
    if version is not None and version != str(SCHEMA_VERSION):
        r.fail(node, "schema", f"{version!r} is not supported (expected {SCHEMA_VERSION})")


def _nodes(text: str) -> yaml.Node | None:
    """The document's nodes, from the compiled composer when there is one (twice as fast as
    PyYAML's, the same tree), else PyYAML's; a file the compiled one declines (an error in
    it) is composed again by PyYAML, whose exception then says what and where."""
    if COMPOSER is not None:
        try:
            composed: yaml.Node | None = COMPOSER.compose(text, MAX_NODES)
            return composed
        except COMPOSER.Decline:
            pass
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def compose(text: str, file: str) -> yaml.Node | None:
    """The document's node tree (safe loader); a YAML error, too many nodes or an alias bomb is
    a Problem."""
    try:
        node = _nodes(text)
    except TooLarge:
        raise InvalidRegistry(
            [Problem(file, 1, 1, "", f"more than {MAX_NODES} values; refused")]
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = error.problem or error.context or "invalid YAML"
        raise InvalidRegistry(
            [Problem(file, line, column, "", f"invalid YAML: {reason}")]
        ) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, unescaped
        position = error.position or 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        code = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        raise InvalidRegistry(
            [Problem(file, line, column, "", f"invalid YAML: {code} is not allowed")]
        ) from None
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        raise InvalidRegistry([Problem(file, 0, 0, "", f"invalid YAML: {message}")]) from None
    except RecursionError:
        raise InvalidRegistry(
            [Problem(file, 0, 0, "", "invalid YAML: nested too deeply")]
        ) from None
    if node is not None and _ALIAS.search(text) and _expanded_size(node) > MAX_NODES:
        message = (
            f"aliases expand to more than {MAX_NODES} values (or refer to themselves); refused"
        )
        raise InvalidRegistry([Problem(file, 1, 1, "", message)])
    return node
