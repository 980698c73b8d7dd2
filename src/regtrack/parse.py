"""Registry, organisation, waiver and event files: YAML text → typed models, every problem located
as `FILE:LINE:COL: field: message`.

The only module that imports yaml; regtrack.registry imports it only when a file is not in the
parse cache. Files are composed into YAML nodes with a safe loader (never a full or unsafe one)
and typed by this module, field by field, so that YAML 1.1's implicit typing never decides what a
value means: `2026-08-02` stays text until it is read as a date, `no` is the
word "no" where text is expected and is refused where a boolean is, `1e3` is not a number.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, TypeVar

import yaml

from regtrack.dates import WINDOW_FORMS, parse_day, parse_duration, parse_rrule, parse_window
from regtrack.errors import InvalidRegistry, Problem
from regtrack.models import (
    Change,
    Duration,
    Kind,
    Milestone,
    Obligation,
    Period,
    Regulation,
    Source,
    Status,
    Window,
)
from regtrack.orgmodels import (
    Completion,
    Event,
    OrgConfig,
    Override,
    Profile,
    Progress,
    Recurrence,
    Waiver,
)

try:  # libyaml's parser is several times faster on large registries
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))


class _Loader(_Parser):
    """Composes nodes only (nothing is constructed: no Python object is ever built from a tag),
    and resolves no implicit types: every plain scalar is text until this module reads it as
    what its field expects. Skipping PyYAML's regex-based resolver halves the composing time."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


SCHEMA_VERSION = 1
# Aliases make a small file stand for a huge tree ("billion laughs"); we walk nodes, not text, so
# the walk itself is bounded.
MAX_NODES = 2_000_000

# Where an alias (`*name`) can stand: after a space, a flow indicator, or at a line's start.
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s,\[\]{}]", re.MULTILINE)
_YAML_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
SLUG = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
_JURISDICTION = re.compile(r"[A-Z]{2,3}(?:-[A-Z0-9]{1,3})?")
_URL = re.compile(r"https?://[^\s<>\"'`]+")
# C0/C1 controls (terminal escapes) and bidirectional overrides (CVE-2021-42574) never belong in a
# registry: they could rewrite what a terminal, a calendar or a CI log shows.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORBIDDEN_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


class _TooLarge(Exception):
    """The walk met more nodes than MAX_NODES."""


class _Reader:
    """Walks one file's nodes, collecting problems instead of stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
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

    def visit(self) -> None:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise _TooLarge

    # -- structure -------------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, path: str, required: Iterable[str], optional: Iterable[str]
    ) -> dict[str, yaml.Node] | None:
        """The fields of a mapping node; unknown, duplicate and missing fields are problems."""
        self.visit()
        if not isinstance(node, yaml.MappingNode) or node.tag != "tag:yaml.org,2002:map":
            self.fail(node, path, f"expected a mapping, got {_describe(node)}")
            return None
        required = tuple(required)
        known = (*required, *optional)
        fields: dict[str, yaml.Node] = {}
        seen: dict[str, yaml.Node] = {}  # each key's first node, for duplicate messages
        for key_node, value_node in node.value:
            self.visit()
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "a key must be plain text")
                continue
            key = key_node.value
            if key in known and key not in seen and key_node.tag == _STR:
                fields[key] = value_node  # the common case: no path built for it
                seen[key] = key_node
                continue
            where = f"{path}.{key}" if path else key
            if key == "<<" or key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, where, "merge keys (<<) are not supported; write the fields")
            elif key in seen:
                first = seen[key].start_mark.line + 1
                self.fail(key_node, where, f"duplicate key (first at line {first})")
            elif key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"expected one of {', '.join(known)}"
                )
                self.fail(key_node, where, f"unknown field ({hint})")
            else:
                fields[key] = value_node
            seen.setdefault(key, key_node)
        for key in required:
            if key not in seen:
                self.fail(node, f"{path}.{key}" if path else key, "is required")
        return fields

    def sequence(
        self, node: yaml.Node, path: str, item: Callable[[yaml.Node, str], T | None]
    ) -> list[T]:
        """The items of a sequence node read by `item`; items with problems are left out."""
        return [value for _, _, value in self.located(node, path, item)]

    def located(
        self, node: yaml.Node, path: str, item: Callable[[yaml.Node, str], T | None]
    ) -> list[tuple[yaml.Node, str, T]]:
        """Like `sequence`, each item with its node and path, for checks across items."""
        self.visit()
        if not isinstance(node, yaml.SequenceNode) or node.tag != "tag:yaml.org,2002:seq":
            self.fail(node, path, f"expected a list, got {_describe(node)}")
            return []
        out: list[tuple[yaml.Node, str, T]] = []
        for index, child in enumerate(node.value):
            where = f"{path}[{index}]"
            value = item(child, where)
            if value is not None:
                out.append((child, where, value))
        return out

    # -- scalars ---------------------------------------------------------------------------

    def text(self, node: yaml.Node, path: str, *, multiline: bool = False) -> str | None:
        """Non-empty text, as written; control characters are refused."""
        self.visit()
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, path, f"expected text, got {_describe(node)}")
            return None
        if node.tag not in _YAML_TAGS:
            self.fail(node, path, f"YAML tag {node.tag!r} is not allowed")
            return None
        value = str(node.value).strip()
        if not value or (node.style is None and value in ("~", "null", "Null", "NULL")):
            self.fail(node, path, "must not be empty")
            return None
        forbidden = (_FORBIDDEN if multiline else _FORBIDDEN_ONE_LINE).search(value)
        if forbidden:
            code = f"U+{ord(forbidden.group()):04X}"
            what = (
                "a control or bidirectional"
                if multiline
                else "a line break, control or bidirectional"
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
        try:
            return enum_type(value.lower())
        except ValueError:
            names = ", ".join(str(m.value) for m in enum_type)
            self.fail(node, path, f"{value!r} is not allowed (expected one of {names})")
            return None

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
        children = _children(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return float("inf")
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                return float("inf")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None:
        return "nothing"
    return f"{getattr(node, 'value', '')!r}"


def jurisdiction_code(text: str) -> str:
    value = text.upper()
    if not _JURISDICTION.fullmatch(value):
        raise ValueError(f"{text!r} is not a jurisdiction code (expected e.g. EU, FR, UK, DE-BY)")
    return value


def _window(text: str) -> Window:
    try:
        return parse_window(text)
    except ValueError as error:
        raise ValueError(f"{error} (expected {WINDOW_FORMS})") from None


# -- the schema, field by field -----------------------------------------------------------------


def _source(r: _Reader, node: yaml.Node, path: str) -> Source | None:
    fields = r.mapping(node, path, ("url", "title"), ("official",))
    if fields is None:
        return None
    url = r.url(fields["url"], f"{path}.url") if "url" in fields else None
    title = r.text(fields["title"], f"{path}.title") if "title" in fields else None
    official = r.boolean(fields["official"], f"{path}.official") if "official" in fields else True
    if url is None or title is None or official is None:
        return None
    return r.share(Source(url, title, official))


def _sources(r: _Reader, node: yaml.Node, path: str) -> tuple[Source, ...] | None:
    sources = r.sequence(node, path, lambda n, p: _source(r, n, p))
    if isinstance(node, yaml.SequenceNode) and not node.value:
        r.fail(node, path, "needs at least one source")
        return None
    return tuple(sources)


def _change(r: _Reader, node: yaml.Node, path: str) -> Change | None:
    fields = r.mapping(node, path, ("from", "to", "act", "source"), ())
    if fields is None or len(fields) < 4:
        return None
    old = r.parsed(fields["from"], f"{path}.from", _window)
    new = r.parsed(fields["to"], f"{path}.to", _window)
    act = r.text(fields["act"], f"{path}.act")
    source = r.url(fields["source"], f"{path}.source")
    if old is None or new is None or act is None or source is None:
        return None
    if old == new:
        r.fail(fields["to"], f"{path}.to", f"is the same date as 'from' ({old.text})")
        return None
    return Change(old, new, act, source)


def _milestone(r: _Reader, node: yaml.Node, path: str) -> Milestone | None:
    fields = r.mapping(
        node,
        path,
        ("id", "kind", "date", "status", "verified"),
        ("title", "note", "sources", "history", "owed_by"),
    )
    if fields is None:
        return None
    values = {
        "id": r.slug(fields["id"], f"{path}.id") if "id" in fields else None,
        "kind": r.choice(fields["kind"], f"{path}.kind", Kind) if "kind" in fields else None,
        "window": r.parsed(fields["date"], f"{path}.date", _window) if "date" in fields else None,
        "status": (
            r.choice(fields["status"], f"{path}.status", Status) if "status" in fields else None
        ),
        "verified": (
            r.parsed(fields["verified"], f"{path}.verified", parse_day)
            if "verified" in fields
            else None
        ),
    }
    title = r.text(fields["title"], f"{path}.title") if "title" in fields else ""
    note = r.text(fields["note"], f"{path}.note", multiline=True) if "note" in fields else ""
    sources = _sources(r, fields["sources"], f"{path}.sources") if "sources" in fields else ()
    owed_by = _words(r, fields["owed_by"], f"{path}.owed_by") if "owed_by" in fields else ()
    history: tuple[Change, ...] = ()
    if "history" in fields:
        history = tuple(
            r.sequence(fields["history"], f"{path}.history", lambda n, p: _change(r, n, p))
        )
    status = values["status"]
    if status is Status.AMENDED and "history" not in fields:
        r.fail(
            fields["status"],
            f"{path}.status",
            "an amended date needs a history (from, to, act, source)",
        )
        return None
    if any(v is None for v in values.values()) or None in (title, note, sources):
        return None
    assert isinstance(values["kind"], Kind) and isinstance(status, Status)
    assert isinstance(values["window"], Window) and isinstance(values["verified"], dt.date)
    return Milestone(
        id=str(values["id"]),
        kind=values["kind"],
        window=values["window"],
        status=status,
        verified=values["verified"],
        title=title or "",
        note=note or "",
        sources=sources or (),
        history=history,
        line=node.start_mark.line + 1,
        owed_by=owed_by,
    )


def _period(r: _Reader, node: yaml.Node, path: str) -> Period | None:
    fields = r.mapping(
        node,
        path,
        ("id", "title", "duration", "verified"),
        ("citation", "from", "after", "extension", "status"),
    )
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    title = r.text(fields["title"], f"{path}.title") if "title" in fields else None
    duration = (
        r.parsed(fields["duration"], f"{path}.duration", parse_duration)
        if "duration" in fields
        else None
    )
    verified = (
        r.parsed(fields["verified"], f"{path}.verified", parse_day)
        if "verified" in fields
        else None
    )
    citation = r.text(fields["citation"], f"{path}.citation") if "citation" in fields else ""
    start = r.text(fields["from"], f"{path}.from") if "from" in fields else ""
    after = r.slug(fields["after"], f"{path}.after") if "after" in fields else ""
    extension: Duration | None = None
    if "extension" in fields:
        extension = r.parsed(fields["extension"], f"{path}.extension", parse_duration)
        if extension is None:
            return None
    status = (
        r.choice(fields["status"], f"{path}.status", Status) if "status" in fields else Status.FIXED
    )
    if ("from" in fields) == ("after" in fields):
        r.fail(node, f"{path}.from", "give exactly one of 'from' (an event) or 'after' (a period)")
        return None
    if None in (ident, title, duration, verified, citation, start, after, status):
        return None
    assert ident and title and isinstance(duration, Duration) and isinstance(verified, dt.date)
    assert isinstance(status, Status)
    return Period(
        ident,
        title,
        duration,
        verified,
        citation or "",
        start or "",
        after or "",
        extension,
        status,
        node.start_mark.line + 1,
    )


def _words(r: _Reader, node: yaml.Node, path: str) -> tuple[str, ...]:
    return tuple(r.sequence(node, path, lambda n, p: r.slug(n, p)))


def _unique(r: _Reader, items: Sequence[tuple[yaml.Node, str, Milestone | Period]]) -> None:
    first: dict[str, int] = {}
    for node, path, item in items:
        if item.id in first:
            r.fail(node, f"{path}.id", f"duplicate id {item.id!r} (first at line {first[item.id]})")
        first.setdefault(item.id, node.start_mark.line + 1)


def _check_chains(r: _Reader, items: Sequence[tuple[yaml.Node, str, Period]]) -> None:
    """Every `after` names a period of the same obligation, and no chain loops."""
    by_id = {period.id: period for _, _, period in items}
    for node, path, period in items:
        if not period.after:
            continue
        if period.after not in by_id:
            r.fail(node, f"{path}.after", f"no period {period.after!r} in this obligation")
            continue
        seen, current = {period.id}, by_id[period.after]
        while current.after in by_id:
            if current.after in seen:
                r.fail(node, f"{path}.after", "periods run after each other in a loop")
                break
            seen.add(current.id)
            current = by_id[current.after]


def _obligation(r: _Reader, node: yaml.Node, path: str) -> Obligation | None:
    problems_before = len(r.problems)  # before the mapping: a missing field is a problem too
    fields = r.mapping(
        node,
        path,
        ("id", "title", "regulation", "citation", "jurisdiction", "summary", "sources"),
        ("authority", "tags", "roles", "sectors", "milestones", "periods", "recurrence"),
    )
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    label = f"obligations[{ident}]" if ident else path
    title = r.text(fields["title"], f"{label}.title") if "title" in fields else None
    regulation = (
        _regulation(r, fields["regulation"], f"{label}.regulation")
        if "regulation" in fields
        else None
    )
    citation = r.text(fields["citation"], f"{label}.citation") if "citation" in fields else None
    jurisdiction = (
        r.parsed(fields["jurisdiction"], f"{label}.jurisdiction", jurisdiction_code)
        if "jurisdiction" in fields
        else None
    )
    summary = (
        r.text(fields["summary"], f"{label}.summary", multiline=True)
        if "summary" in fields
        else None
    )
    sources = _sources(r, fields["sources"], f"{label}.sources") if "sources" in fields else None
    authority = r.text(fields["authority"], f"{label}.authority") if "authority" in fields else ""
    tags = _words(r, fields["tags"], f"{label}.tags") if "tags" in fields else ()
    roles = _words(r, fields["roles"], f"{label}.roles") if "roles" in fields else ()
    sectors = _words(r, fields["sectors"], f"{label}.sectors") if "sectors" in fields else ()
    recurrence = (
        _recurrence(r, fields["recurrence"], f"{label}.recurrence")
        if "recurrence" in fields
        else None
    )
    milestones: list[tuple[yaml.Node, str, Milestone]] = []
    if "milestones" in fields:
        milestones = r.located(
            fields["milestones"], f"{label}.milestones", lambda n, p: _milestone(r, n, p)
        )
        _unique(r, milestones)
        for m_node, m_path, milestone in milestones:
            strangers = [role for role in milestone.owed_by if role not in roles]
            if strangers:  # owed_by narrows the obligation's roles; it cannot add to them
                r.fail(
                    m_node,
                    f"{m_path}.owed_by",
                    f"{', '.join(strangers)} not among the obligation's roles "
                    f"({', '.join(roles) or 'none'})",
                )
    periods: list[tuple[yaml.Node, str, Period]] = []
    if "periods" in fields:
        periods = r.located(fields["periods"], f"{label}.periods", lambda n, p: _period(r, n, p))
        _unique(r, periods)
        _check_chains(r, periods)
    if len(r.problems) > problems_before:
        return None
    assert ident and title and regulation and citation and jurisdiction and summary and sources
    return Obligation(
        id=ident,
        title=title,
        regulation=regulation,
        citation=citation,
        jurisdiction=jurisdiction,
        summary=summary,
        sources=sources,
        authority=authority or "",
        tags=tags,
        roles=roles,
        milestones=tuple(m for _, _, m in milestones),
        periods=tuple(p for _, _, p in periods),
        sectors=sectors,
        recurrence=recurrence,
        file=r.file,
        line=node.start_mark.line + 1,
    )


_ADJUST = ("next-working-day", "previous-working-day")


def _region(text: str) -> str:
    """A country or region whose public holidays the `holidays` package knows (`FR`, `DE-BY`,
    `GB-ENG`): checked here, so that a typo is an input error with its line, not a failure
    later when a deadline is counted."""
    from regtrack.periods import working_days

    working_days(text)
    return text.strip().upper()


def _recurrence(r: _Reader, node: yaml.Node, path: str) -> Recurrence | None:
    fields = r.mapping(node, path, ("rule", "start"), ("kind", "adjust", "country"))
    if fields is None or "rule" not in fields or "start" not in fields:
        return None
    start = r.parsed(fields["start"], f"{path}.start", parse_day)
    kind = r.choice(fields["kind"], f"{path}.kind", Kind) if "kind" in fields else Kind.REVIEW
    adjust = r.text(fields["adjust"], f"{path}.adjust") if "adjust" in fields else ""
    country = r.parsed(fields["country"], f"{path}.country", _region) if "country" in fields else ""
    if adjust and adjust not in _ADJUST:
        r.fail(
            fields["adjust"],
            f"{path}.adjust",
            f"{adjust!r} is not allowed (expected one of {', '.join(_ADJUST)})",
        )
        return None
    if start is None or kind is None or adjust is None or country is None:
        return None
    rule = r.parsed(fields["rule"], f"{path}.rule", lambda text: parse_rrule(text, start))
    if rule is None:
        return None
    return Recurrence(rule, start, kind, adjust, country)


def _regulation(r: _Reader, node: yaml.Node, path: str) -> Regulation | None:
    fields = r.mapping(node, path, ("short", "name", "identifier"), ())
    if fields is None:
        return None
    values = [
        r.text(fields[k], f"{path}.{k}") if k in fields else None
        for k in ("short", "name", "identifier")
    ]
    if None in values:
        return None
    short, name, identifier = (str(v) for v in values)
    return r.share(Regulation(short, name, identifier))


def _document(r: _Reader, node: yaml.Node) -> list[Obligation]:
    fields = r.mapping(node, "", ("schema", "obligations"), ())
    if fields is None:
        return []
    if "schema" in fields:
        version = r.text(fields["schema"], "schema")
        if version is not None and version != str(SCHEMA_VERSION):
            r.fail(
                fields["schema"],
                "schema",
                f"{version!r} is not supported (expected {SCHEMA_VERSION})",
            )
    if "obligations" not in fields:
        return []
    return r.sequence(fields["obligations"], "obligations", lambda n, p: _obligation(r, n, p))


# -- files ----------------------------------------------------------------------------------------


def parse_text(text: str, file: str) -> tuple[list[Obligation], list[Problem]]:
    """The obligations of one registry document, and every problem found in it."""
    try:
        node = _compose(text, file)
    except InvalidRegistry as error:
        return [], list(error.problems)
    if node is None:
        return [], [
            Problem(file, 1, 1, "", "the file is empty (expected schema: and obligations:)")
        ]
    r = _Reader(file)
    try:
        obligations = _document(r, node)
    except _TooLarge:
        r.problems.append(Problem(file, 0, 0, "", f"more than {MAX_NODES} values; refused"))
        return [], r.problems
    except RecursionError:
        return [], [Problem(file, 0, 0, "", "nested too deeply")]
    return obligations, r.problems


def _waiver(r: _Reader, node: yaml.Node, path: str) -> Waiver | None:
    fields = r.mapping(node, path, ("id", "by", "reason", "until"), ("milestone",))
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    milestone = r.slug(fields["milestone"], f"{path}.milestone") if "milestone" in fields else ""
    by = r.text(fields["by"], f"{path}.by") if "by" in fields else None
    reason = (
        r.text(fields["reason"], f"{path}.reason", multiline=True) if "reason" in fields else None
    )
    until = r.parsed(fields["until"], f"{path}.until", parse_day) if "until" in fields else None
    if ident is None or milestone is None or by is None or reason is None or until is None:
        return None
    return Waiver(ident, milestone, by, reason, until, r.file, node.start_mark.line + 1)


def _event(r: _Reader, node: yaml.Node, path: str) -> Event | None:
    fields = r.mapping(
        node, path, ("id", "obligation", "at"), ("tz", "country", "reference", "closed")
    )
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    obligation = (
        r.slug(fields["obligation"], f"{path}.obligation") if "obligation" in fields else None
    )
    at = r.parsed(fields["at"], f"{path}.at", _instant) if "at" in fields else None
    zone_name = r.text(fields["tz"], f"{path}.tz") if "tz" in fields else "UTC"
    country = r.parsed(fields["country"], f"{path}.country", _region) if "country" in fields else ""
    reference = r.text(fields["reference"], f"{path}.reference") if "reference" in fields else ""
    closed = r.parsed(fields["closed"], f"{path}.closed", parse_day) if "closed" in fields else None
    if ident is None or obligation is None or at is None or zone_name is None or country is None:
        return None
    from regtrack.periods import time_zone

    try:
        zone = time_zone(zone_name)
    except ValueError as error:
        r.fail(fields["tz"], f"{path}.tz", str(error))
        return None
    aware = at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
    return Event(
        ident,
        obligation,
        aware,
        zone_name,
        country or "",
        reference or "",
        closed,
        r.file,
        node.start_mark.line + 1,
    )


def _instant(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time (expected e.g. 2026-03-27T10:17)"
        ) from None


def parse_waivers(text: str, file: str) -> list[Waiver]:
    """The `waivers:` list of a file's text; every problem with file and line."""
    return _list_file(text, file, "waivers", _waiver)


def parse_events(text: str, file: str) -> list[Event]:
    """The `events:` list of a file's text; every problem with file and line."""
    return _list_file(text, file, "events", _event)


def _list_file(
    text: str, file: str, key: str, item: Callable[[_Reader, yaml.Node, str], T | None]
) -> list[T]:
    """The items of a file's `key:` list; every problem with file and line."""
    node = _compose(text, file)
    if node is None:
        return []
    r = _Reader(file)
    fields = r.mapping(node, "", (key,), ())
    items: list[T] = []
    if fields and key in fields:
        items = r.sequence(fields[key], key, lambda n, p: item(r, n, p))
    if r.problems:
        raise InvalidRegistry(r.problems)
    return items


def _profile(r: _Reader, node: yaml.Node, path: str) -> Profile | None:
    fields = r.mapping(node, path, (), ("name", "jurisdictions", "roles", "sectors"))
    if fields is None:
        return None
    name = r.text(fields["name"], f"{path}.name") if "name" in fields else ""
    places = (
        tuple(
            r.sequence(
                fields["jurisdictions"],
                f"{path}.jurisdictions",
                lambda n, p: r.parsed(n, p, jurisdiction_code),
            )
        )
        if "jurisdictions" in fields
        else ()
    )
    roles = _words(r, fields["roles"], f"{path}.roles") if "roles" in fields else ()
    sectors = _words(r, fields["sectors"], f"{path}.sectors") if "sectors" in fields else ()
    return Profile(name or "", places, roles, sectors)


def _override(r: _Reader, node: yaml.Node, path: str) -> Override | None:
    fields = r.mapping(node, path, ("id",), ("applicable", "reason", "owner", "tags", "status"))
    if fields is None or "id" not in fields:
        return None
    ident = r.slug(fields["id"], f"{path}.id")
    applicable = (
        r.boolean(fields["applicable"], f"{path}.applicable") if "applicable" in fields else True
    )
    reason = (
        r.text(fields["reason"], f"{path}.reason", multiline=True) if "reason" in fields else ""
    )
    owner = r.text(fields["owner"], f"{path}.owner") if "owner" in fields else ""
    tags = _words(r, fields["tags"], f"{path}.tags") if "tags" in fields else ()
    progress = (
        r.choice(fields["status"], f"{path}.status", Progress) if "status" in fields else None
    )
    if ident is None or applicable is None or reason is None or owner is None:
        return None
    if "status" in fields and progress is None:
        return None
    if not applicable and not reason:
        r.fail(node, f"{path}.reason", "say why the obligation does not apply")
        return None
    return Override(
        ident, applicable, reason, owner, tags, r.file, node.start_mark.line + 1, progress
    )


def _completion(r: _Reader, node: yaml.Node, path: str) -> Completion | None:
    fields = r.mapping(node, path, ("id", "milestone", "on", "by", "evidence"), ())
    if fields is None or len(fields) < 5:
        return None
    ident = r.slug(fields["id"], f"{path}.id")
    milestone = r.text(fields["milestone"], f"{path}.milestone")
    on = r.parsed(fields["on"], f"{path}.on", parse_day)
    by = r.text(fields["by"], f"{path}.by")
    evidence = r.text(fields["evidence"], f"{path}.evidence", multiline=True)
    if ident is None or milestone is None or on is None or by is None or evidence is None:
        return None
    return Completion(ident, milestone, on, by, evidence, r.file, node.start_mark.line + 1)


def _config(r: _Reader, node: yaml.Node) -> OrgConfig:
    fields = (
        r.mapping(
            node,
            "",
            ("schema",),
            ("profile", "registries", "obligations", "overrides", "waivers", "events", "done"),
        )
        or {}
    )
    if "schema" in fields:
        version = r.text(fields["schema"], "schema")
        if version is not None and version != str(SCHEMA_VERSION):
            r.fail(
                fields["schema"],
                "schema",
                f"{version!r} is not supported (expected {SCHEMA_VERSION})",
            )
    profile = _profile(r, fields["profile"], "profile") if "profile" in fields else None
    builtin = True
    files: tuple[str, ...] = ()
    if "registries" in fields:
        registries = r.mapping(fields["registries"], "registries", (), ("builtin", "files")) or {}
        if "builtin" in registries:
            builtin = r.boolean(registries["builtin"], "registries.builtin") is not False
        if "files" in registries:
            files = tuple(
                r.sequence(registries["files"], "registries.files", lambda n, p: r.text(n, p))
            )

    def listed(key: str, item: Callable[[_Reader, yaml.Node, str], T | None]) -> tuple[T, ...]:
        if key not in fields:
            return ()
        return tuple(r.sequence(fields[key], key, lambda n, p: item(r, n, p)))

    return OrgConfig(
        file=r.file,
        profile=profile,
        builtin=builtin,
        registries=files,
        obligations=listed("obligations", _obligation),
        overrides=listed("overrides", _override),
        waivers=listed("waivers", _waiver),
        events=listed("events", _event),
        done=listed("done", _completion),
    )


def _compose(text: str, file: str) -> yaml.Node | None:
    """The document's node tree (safe loader); a YAML error or an alias bomb is a Problem."""
    try:
        loader = _Loader(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = error.problem or error.context or "invalid YAML"
        raise InvalidRegistry(
            [Problem(file, line, column, "", f"invalid YAML: {reason}")]
        ) from None
    except yaml.YAMLError as error:
        raise InvalidRegistry([Problem(file, 0, 0, "", f"invalid YAML: {error}")]) from None
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


def parse_config(text: str, file: str) -> OrgConfig:
    """An organisation file's text; InvalidRegistry lists every problem with its line."""
    node = _compose(text, file)
    if node is None:
        raise InvalidRegistry([Problem(file, 1, 1, "", "the file is empty (run regtrack init)")])
    r = _Reader(file)
    config = _config(r, node)
    if r.problems:
        raise InvalidRegistry(r.problems)
    return config


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
    node = _compose(text, "")
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
    children = _children(node)
    return max((_last_content_line(child) for child in children), default=node.start_mark.line + 1)
