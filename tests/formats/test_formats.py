"""The format registry (regtrack.formats): every Format has a module with the whole interface."""

from __future__ import annotations

import datetime as dt
import inspect

from regtrack.formats import FORMATS, Format, Renderer, RenderOptions, renderer
from regtrack.registry import load
from tests.helpers import FIXTURE


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
    from regtrack.select import Filters, upcoming

    rows = upcoming(obligations, Filters(), day, dt.date(2027, 12, 31))
    for fmt in Format:
        module = renderer(fmt)
        outputs = [
            module.render_upcoming(rows, day, RenderOptions()),
            module.render_list(obligations, day, RenderOptions()),
            module.render_show(obligations[2], day, RenderOptions()),
        ]
        again = [
            module.render_upcoming(rows, day, RenderOptions()),
            module.render_list(obligations, day, RenderOptions()),
            module.render_show(obligations[2], day, RenderOptions()),
        ]
        assert outputs == again
        assert all(text.endswith("\n") for text in outputs), fmt
