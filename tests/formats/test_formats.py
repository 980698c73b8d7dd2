"""The format registry (regtrack.formats): every Format has a module with the whole interface."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import signal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regtrack.formats import FORMATS, Format, Renderer, RenderOptions, renderer, text_of
from regtrack.registry import load
from tests.helpers import FIXTURE, generated


def test_every_format_has_a_renderer() -> None:
    assert set(FORMATS) == set(Format)
    for fmt in Format:
        module = renderer(fmt)
        for name in [n for n in dir(Renderer) if n.startswith("render_")]:
            expected = inspect.signature(getattr(Renderer, name))
            actual = inspect.signature(getattr(module, name))
            assert list(actual.parameters) == [p for p in expected.parameters if p != "self"], (
                fmt,
                name,
            )


def test_every_format_renders_every_command_deterministically() -> None:
    obligations = load([FIXTURE]).obligations
    day = dt.date(2026, 1, 10)
    from regtrack.agenda import Agenda, Moment
    from regtrack.formats import Span

    agenda = Agenda(obligations, Moment.start_of(day))
    rows = agenda.window(day, dt.date(2027, 12, 31))
    span = Span(day, day, dt.date(2027, 12, 31))
    dates = agenda.dates_of(obligations[2])
    for fmt in Format:
        module = renderer(fmt)
        outputs = [
            module.render_upcoming(rows, span, RenderOptions()),
            module.render_list(obligations, agenda.dates_of, RenderOptions()),
            module.render_show(obligations[2], dates, RenderOptions()),
        ]
        again = [
            module.render_upcoming(rows, span, RenderOptions()),
            module.render_list(obligations, agenda.dates_of, RenderOptions()),
            module.render_show(obligations[2], dates, RenderOptions()),
        ]
        texts = [text_of(text) for text in outputs]
        assert texts == [text_of(text) for text in again]
        assert all(text.endswith("\n") for text in texts), fmt


TEXT_CHARS = st.characters(exclude_categories=["Cs"])  # any character a str of JSON can hold
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.text(TEXT_CHARS),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(st.text(TEXT_CHARS, max_size=8), children, max_size=6),
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(JSON_VALUES)
def test_orjson_writes_the_standard_library_s_bytes(value: object) -> None:
    """formats/json.py uses orjson for large documents: the bytes must be the same either way."""
    import json

    import orjson

    assert orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8") == json.dumps(
        value, ensure_ascii=False, indent=2
    )


def test_large_json_is_the_same_with_and_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from regtrack.formats import json as json_format

    rows = [{"id": f"x-{i}", "text": 'é\u2028\t"q"', "n": i, "ok": None} for i in range(400)]
    fast = json_format._dump(rows)
    monkeypatch.setitem(sys.modules, "orjson", None)  # not installed
    assert json_format._dump(rows) == fast


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks here")
def test_ctrl_c_is_held_back_while_orjson_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An interrupt in the middle of orjson's import crashed the process (SIGSEGV) instead of
    # regtrack's one line and 130: the import runs with SIGINT blocked, then it is delivered.
    import sys

    from regtrack.formats import json as json_format

    mask = tmp_path / "mask"
    (tmp_path / "orjson.py").write_text(  # a stand-in: records the mask, then is "not installed"
        "import pathlib, signal\n"
        "held = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])\n"
        f"pathlib.Path({str(mask)!r}).write_text(str(held))\n"
        "raise ImportError('not installed')\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "orjson", raising=False)
    rows = [{"id": f"x-{i}"} for i in range(400)]
    assert json_format._dump(rows) == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    assert mask.read_text() == "True"  # held back during the import
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # free again after


# 60 examples: generating these documents is most of the test's time (200 took 20 s of a test
# run that must stay under five minutes on two cores); the nested-document test below covers the
# same writer at every depth.
@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.dictionaries(st.text(TEXT_CHARS, max_size=8), JSON_VALUES, max_size=5)))
def test_a_streamed_array_is_the_standard_library_s_bytes(records: list[dict[str, object]]) -> None:
    """A large `upcoming`/`list` JSON document is written a record at a time (issue 17): its
    pieces must join into exactly the standard library's indented document, empty lists and
    nested containers included."""
    import json

    import orjson

    from regtrack.formats.json import Lazy, _pieces

    expected = (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert b"".join(_pieces(orjson, Lazy(len(records), iter(records)))) == expected


class _Marked(list):  # type: ignore[type-arg]
    """In a generated document: an array to be given as a Lazy one."""


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _lazy(value: object) -> object:
    from regtrack.formats.json import Lazy

    if isinstance(value, _Marked):
        return Lazy(len(value), iter([_plain(v) for v in value]))
    if isinstance(value, dict):
        return {k: _lazy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lazy(v) for v in value]
    return value


# Documents whose arrays may be given lazily at any depth (a SARIF log's results are in an
# object in an array in an object), next to ordinary arrays and objects, empty ones included.
LAZY_DOCUMENTS = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(TEXT_CHARS, max_size=5)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(_Marked),
        st.dictionaries(st.text(TEXT_CHARS, max_size=6), children, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(LAZY_DOCUMENTS)
def test_a_streamed_document_is_the_standard_library_s_bytes(value: object) -> None:
    """formats.json.document writes large documents in pieces (issue 17): joined, they must be
    the standard library's indented document, whatever the nesting of the lazy arrays."""
    import orjson

    from regtrack.formats.json import _pieces

    expected = (json.dumps(_plain(value), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert b"".join(_pieces(orjson, _lazy(value))) == expected


def test_a_large_list_is_streamed_with_the_bytes_of_a_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the CLI, on a generated registry large enough to be streamed: the same output as
    the standard library's encoder of the whole document."""
    import sys

    from tests.helpers import run

    path = generated(tmp_path, 600)
    args = ["--no-builtin", "--registry", str(path), "--today", "2026-11-27", "-f", "json"]
    from regtrack.agenda import Agenda, Moment
    from regtrack.formats import json as json_format

    rows = load([path]).obligations
    agenda = Agenda(rows, Moment.start_of(dt.date(2026, 11, 27)))
    assert not isinstance(json_format.render_list(rows, agenda.dates_of, RenderOptions()), str)

    def outputs() -> list[str]:
        return [
            run("list", *args).out,
            run("upcoming", "--within", "15y", *args).out,
            run("check", "--exit-zero", *args).out,
            run("check", "--exit-zero", *args[:-2], "-f", "sarif").out,
        ]

    streamed = outputs()
    monkeypatch.setitem(sys.modules, "orjson", None)  # the standard library's whole document
    assert streamed == outputs()
    assert len(json.loads(streamed[0])) == 600 and len(json.loads(streamed[1])) >= 300
    assert len(json.loads(streamed[2])["findings"]) >= 300
    assert len(json.loads(streamed[3])["runs"][0]["results"]) >= 300


def test_json_writes_no_legacy_workflow_command_and_the_same_data() -> None:
    # `##[` anywhere in a line of a CI log is a GitHub workflow command; `\u0023` is the same `#`
    pytest.importorskip("orjson")
    from regtrack.formats.json import Lazy, document

    rows = [{"##[key]": f"##[error]row {i}", "n": i} for i in range(400)]
    for value in (rows[:3], Lazy(len(rows), iter(rows))):  # small (whole) and large (streamed)
        rendered = document(value)
        text = rendered if isinstance(rendered, str) else b"".join(rendered).decode("utf-8")
        assert "##[" not in text
        assert json.loads(text) == (rows[:3] if isinstance(value, list) else rows)
