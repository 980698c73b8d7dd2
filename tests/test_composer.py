"""The compiled YAML composer (src/regtrack/parse/_composer.c, issue 29) makes PyYAML's tree:
the same node classes, tags, values, styles and positions, the same nodes shared by aliases,
and, for any file it declines, PyYAML's own message, line and column. Compared on every YAML
file of the project and on fuzzed documents; `.ci/sanitize` runs this module again with the
composer built under AddressSanitizer and UndefinedBehaviorSanitizer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from regtrack.errors import InvalidRegistry
from regtrack.parse import reader
from tests.helpers import HERE, compiled_composer
from tests.test_fuzz import NASTY, ORG_LINES, REGISTRY_LINES, fuzz, mutated

ROOT = HERE.parent
COMPILED = compiled_composer()

Flat = list[tuple[object, ...]]


def flat(node: yaml.Node | None) -> Flat:
    """The tree in document order: each node's class, tag, value (a collection's length), style
    and both marks; a node met again (an alias) as the index of its first visit."""
    out: Flat = []
    seen: dict[int, int] = {}
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if id(n) in seen:
            out.append(("alias", seen[id(n)]))
            continue
        seen[id(n)] = len(seen)
        marks = [(m.name, m.index, m.line, m.column) for m in (n.start_mark, n.end_mark)]
        if isinstance(n, yaml.ScalarNode):
            out.append((type(n), n.tag, n.value, n.style, *marks))
            continue
        out.append((type(n), n.tag, len(n.value), getattr(n, "flow_style", "none"), *marks))
        children = (
            [c for pair in n.value for c in pair] if isinstance(n, yaml.MappingNode) else n.value
        )
        stack.extend(reversed(children))
    return out


def both(text: str) -> tuple[object, object]:
    """reader.compose's outcome with the compiled composer and with PyYAML's: a flat tree, or
    the problems of the InvalidRegistry it raised."""
    outcomes: list[object] = []
    for composer in (COMPILED, None):
        original = reader.COMPOSER
        reader.COMPOSER = composer
        try:
            outcomes.append(flat(reader.compose(text, "t.yaml")))
        except InvalidRegistry as error:
            outcomes.append(error.problems)
        finally:
            reader.COMPOSER = original
    return outcomes[0], outcomes[1]


def declines(text: str) -> bool:
    """Whether the compiled composer leaves this text to PyYAML."""
    try:
        COMPILED.compose(text, reader.MAX_NODES)
    except COMPILED.Decline:
        return True
    except reader.TooLarge:
        pass
    return False


def project_yaml() -> Iterator[Path]:
    for folder in ("data", "tests", "docs", "bench"):
        for path in sorted((ROOT / folder).rglob("*.y*ml")):
            if "node_modules" not in path.parts:
                yield path


def test_every_yaml_file_of_the_project_composes_to_the_same_tree() -> None:
    paths = list(project_yaml())
    assert len(paths) >= 4
    for path in paths:
        text = path.read_text(encoding="utf-8")
        compiled, pyyaml = both(text)
        assert compiled == pyyaml, path
        assert not declines(text), path


CASES = {
    "empty": "",
    "comments only": "# nothing\n",
    "an empty document": "---\n",
    "an empty document, ended": "--- \n...\n",
    "a scalar": "plain\n",
    "every scalar style": "a: plain\nb: 'single'\nc: \"double\\u00e9\"\nd: |\n  lit\ne: >\n  fold\n",
    "flow and block": "a: [1, {b: c}]\nd:\n  - e\n  - {f: [g]}\n",
    "explicit tags": "a: !!int 5\nb: !local x\nc: ! x\nd: !!map {e: !!seq [f]}\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\na: !e!x y\n",
    "yaml directive": "%YAML 1.1\n---\na: b\n",
    "aliases": "a: &x [1, &y two]\nb: *x\nc: *y\nd: &z {e: *y}\nf: [*z, *z]\n",
    "an alias to itself": "a: &x [1, *x]\n",
    "a mapping alias to itself": "&x {a: *x}\n",
    "an undefined alias": "a: *nowhere\n",
    "a duplicate anchor": "a: &x 1\nb: &x 2\n",
    "a duplicate anchor after its alias": "a: &x 1\nb: *x\nc: &x 3\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "two documents, the second broken": "a: 1\n---\nb: [\n",
    "a broken flow list": "a: [1, 2\n",
    "a tab": "a:\tb\n\tc: d\n",
    "a control character": "a: b\x07\n",
    "an escaped control character": 'a: "b\\x07"\n',
    "a byte-order mark": "\ufeffa: b\n",
    "CRLF": "a: b\r\nc: |\r\n  d\r\n",
    "NEL and line separators": "a: b\x85c: d\u2028e\n",
    "non-ASCII": "titre: Délibération n° 2020-081\n日本: 語\n😀: 🎉\n",
    "astral and wide": "a: '\U0001f600 \u4e00'\n",
    "a key without a value": "? a\n: b\n? c\n",
    "a complex key": "? [a, b]\n: c\n? {d: e}\n: f\n",
    "an explicit key closing a flow list": "[ ? foo ]\n",
    "an explicit key and value in a flow list": "[ ? foo : bar ]\n",
    "a merge key": "a: &x {b: 1}\nc:\n  <<: *x\n",
    "a long plain scalar": "a: " + "word " * 5000 + "\n",
    "nesting 499 deep": "[" * 499 + "]" * 499 + "\n",
    "nesting 500 deep": "[" * 500 + "]" * 500 + "\n",
    "nesting 501 deep": "[" * 501 + "]" * 501 + "\n",
    "nesting 1001 deep": "[" * 1001 + "]" * 1001 + "\n",
    "block nesting": "".join(" " * i + "a:\n" for i in range(600)) + " " * 600 + "b\n",
    "a document end then text": "a: b\n...\nc\n",
    "a stray directive": "a: b\n%YAML 1.1\n",
    "a quote left open": "a: 'b\n",
    "null words": "a: ~\nb: null\nc: Null\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_known_cases_compose_alike(text: str) -> None:
    compiled, pyyaml = both(text)
    assert compiled == pyyaml


def test_an_alias_is_the_anchored_node_itself() -> None:
    node = COMPILED.compose("a: &x [1]\nb: *x\nc: &y [*y]\n", reader.MAX_NODES)
    (_, first), (_, second), (_, loop) = node.value
    assert first is second
    assert loop.value[0] is loop


def test_errors_and_deep_documents_are_left_to_pyyaml() -> None:
    for name in ("an undefined alias", "a duplicate anchor", "two documents", "a tab"):
        assert declines(CASES[name]), name
    assert declines(CASES["nesting 501 deep"]) and not declines(CASES["nesting 500 deep"])
    problems = both(CASES["a broken flow list"])[0]
    assert isinstance(problems, tuple) and str(problems[0]).startswith("t.yaml:2:1: invalid YAML")


@pytest.mark.parametrize("limit", [1, 2, 4, 5, 6, 9])
def test_the_node_limit_counts_as_pyyaml_s_resolver_does(
    limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resolved nodes only: an explicitly tagged one is not counted (PyYAML's CParser calls
    the resolver only for a node without a tag), an alias makes none."""
    monkeypatch.setattr(reader, "MAX_NODES", limit)
    text = "a: &x [!!str b, c]\nd: *x\n"  # 5 resolved: the mapping, a, the list, c, d
    compiled, pyyaml = both(text)
    assert compiled == pyyaml
    message = compiled[0].message if isinstance(compiled, tuple) else ""
    counted = message.endswith(" values; refused") and "aliases" not in message
    assert counted is (limit < 5)


TREES = st.recursive(
    st.one_of(
        st.integers(-5, 5),
        st.sampled_from(["", "a b", "- x", "x: y", "~", "'", '"', "#", "&a", "*a", "é", "\n"]),
        st.text(max_size=8),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=6), st.dictionaries(st.text(max_size=4), children, max_size=6)
    ),
    max_leaves=60,
)


@fuzz(600)
@given(TREES, st.booleans(), st.sampled_from([None, "'", '"', "|", ">"]), st.booleans())
def test_dumped_documents_compose_alike(
    tree: object, flow: bool, style: str | None, shared: bool
) -> None:
    """Documents PyYAML writes, in every style, with anchors where a value is used twice."""
    data = {"a": tree, "b": tree} if shared else tree
    text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, allow_unicode=True)
    compiled, pyyaml = both(text)
    assert compiled == pyyaml


EDITS = "[]{},:-?&*!|>'\"#%@`\\ \t\n\r\x85\u2028\ufeff\x00\x07é~0"


@fuzz(1500)
@given(
    st.one_of(mutated(REGISTRY_LINES), mutated(ORG_LINES)),
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 3), st.text(EDITS, max_size=3)), max_size=3
    ),
)
@example("a: &x 1\nb: &x 2\n", [])
@example("x: " + "[" * 3000 + "\n", [])
@example("[ ? foo ]\n", [])
def test_fuzzed_documents_compose_alike(text: str, edits: list[tuple[int, int, str]]) -> None:
    """Registries and organisation files edited at random: characters YAML gives a meaning to
    inserted, text cut, values replaced by hostile ones (tests/test_fuzz.py's NASTY)."""
    assert NASTY  # the mutations' values
    for where, cut, inserted in edits:
        at = where % (len(text) + 1)
        text = text[:at] + inserted + text[at + cut :]
    compiled, pyyaml = both(text)
    assert compiled == pyyaml


KEYS = st.sampled_from(["id", "title", "date", "note", "unknown", "<<", ""])


@st.composite
def pairs(draw: st.DrawFn) -> list[tuple[yaml.Node, yaml.Node]]:
    """A mapping's pairs: keys of every kind the reader meets (text, tagged, a list, a
    subclass of ScalarNode) naming known and unknown fields, some twice."""

    class Sub(yaml.ScalarNode):
        pass

    out: list[tuple[yaml.Node, yaml.Node]] = []
    mark = yaml.Mark("t", 0, 0, 0, "", 0)
    for _ in range(draw(st.integers(0, 8))):
        name = draw(KEYS)
        shape = draw(st.integers(0, 5))
        key: yaml.Node
        if shape == 0:
            key = yaml.ScalarNode("tag:yaml.org,2002:int", name, mark, mark)
        elif shape == 1:
            key = yaml.SequenceNode(reader._SEQ, [], mark, mark)
        elif shape == 2:
            key = Sub(reader._STR, name, mark, mark)
        else:  # the common case, with an equal tag that is not the same object
            tag = reader._STR if shape < 5 else "".join(reader._STR)
            key = yaml.ScalarNode(tag, name, mark, mark)
        out.append((key, yaml.ScalarNode(reader._STR, f"value {len(out)}", mark, mark)))
    return out


@fuzz(500)
@given(pairs())
def test_the_compiled_fields_are_the_reader_s(
    given_pairs: list[tuple[yaml.Node, yaml.Node]],
) -> None:
    """The mapping's common case in C (`fields`) reads the same leading pairs as the reader's
    Python loop (`known_fields`), the same value nodes."""
    names = frozenset(("id", "title", "date", "note"))
    compiled = COMPILED.fields(given_pairs, names)
    python = reader.known_fields(given_pairs, names)
    assert [(k, id(v)) for k, v in compiled.items()] == [(k, id(v)) for k, v in python.items()]


@pytest.mark.parametrize(
    "text",
    [
        FIXTURE_TEXT := (HERE / "fixtures" / "registry.yaml").read_text(encoding="utf-8"),
        CASES["aliases"],
        CASES["an alias to itself"],  # a cycle: freed by the collector, not by counts
        CASES["a broken flow list"],  # declined half-way, collections open
        CASES["a duplicate anchor"],
        CASES["nesting 501 deep"],
        CASES["non-ASCII"],
    ],
    ids=["registry", "aliases", "cycle", "broken", "duplicate anchor", "deep", "non-ASCII"],
)
def test_composing_keeps_no_memory(text: str) -> None:
    """Every object the composer makes is freed with its tree, whether it composed the text,
    declined it half-way or stopped at the node limit: Python's count of allocated blocks is
    where it was after 30 more runs (a reference leaked per node would add thousands)."""
    import contextlib
    import gc
    import sys

    def once() -> None:
        for limit in (reader.MAX_NODES, 3):
            with contextlib.suppress(COMPILED.Decline, reader.TooLarge):
                COMPILED.compose(text, limit)
        gc.collect()

    once()
    before = sys.getallocatedblocks()
    for _ in range(30):
        once()
    assert sys.getallocatedblocks() - before < 30


def test_a_signal_while_composing_is_not_held_nor_swallowed() -> None:
    """A signal's handler runs while a large file is composed, and what it raises (Ctrl-C's
    KeyboardInterrupt, regtrack's SIGTERM) leaves the composer as it is: not held until the
    end of the file, not turned into a decline that PyYAML would then parse again. (A timer's
    signal, as another process's would come: a thread of this one cannot run while the
    composer holds the interpreter.)"""
    import gc
    import signal

    class Stop(BaseException):
        pass

    def stop(signum: int, frame: object) -> None:
        raise Stop

    # about 2 s to compose, and a node over the limit at its very end: a composer that ran to
    # the end raises TooLarge, and the signal's Stop would only come after, outside
    items = 1_500_000
    text = "[" + "1, " * items + "]\n"
    previous = signal.signal(signal.SIGALRM, stop)
    stopped_inside = False
    # as the CLI composes: without collections, whose callbacks (hypothesis installs one) would
    # run the handler inside the collector, which swallows what it raises
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(20):  # until the signal comes while composing
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            try:
                COMPILED.compose(text, items)  # the list and its items: one node too many
            except Stop:
                stopped_inside = True
                break
            except reader.TooLarge:
                continue
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if collecting:
            gc.enable()
    assert stopped_inside
