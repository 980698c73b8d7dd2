"""Fuzzing the readers with hypothesis: mutated registries, organisation files and event files
end in a result or a clean, located error — never an exception, a traceback or a hang."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regtrack.errors import InvalidRegistry
from regtrack.orgfile import template
from regtrack.orgmodels import Profile
from regtrack.parse import parse_config, parse_text
from tests.helpers import FIXTURE, run

REGISTRY_LINES = FIXTURE.read_text(encoding="utf-8").splitlines()
ORG_LINES = template(Profile("Org", ("FR",), ("controller",), ("health",))).splitlines()

NASTY = [
    "2026-02-30",
    "2026-Q5",
    "2026-13",
    "0000-01-01",
    "9" * 400,
    "-1",
    "1e3",
    "no",
    "yes",
    "~",
    "null",
    "''",
    '""',
    "[]",
    "{}",
    "[[[[[[[[[[]]]]]]]]]]",
    "&a [*a]",
    "*undefined",
    "!!python/object:os.system",
    "!!binary aGVsbG8=",
    "\u202eevil",
    "日本語のテキスト",
    "🩺" * 50,
    "a: b: c",
    "- - -",
    "|",
    ">-",
    "{a: 1, a: 2}",
    "true",
    "P99999999999Y",
    "PT",
    "https://",
    "\t",
    "%TAG ! tag:x",
    "---",
    "...",
]


@st.composite
def mutated(draw: st.DrawFn, lines: list[str]) -> str:
    """A document with a few random edits: values replaced, lines dropped, doubled, shuffled or
    garbled, deep nesting or aliases inserted, or the text cut short."""
    out = list(lines)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        index = draw(st.integers(0, len(out) - 1))
        action = draw(st.integers(0, 7))
        line = out[index]
        if action == 0 and ":" in line:
            key = line.split(":", 1)[0]
            out[index] = f"{key}: {draw(st.sampled_from(NASTY))}"
        elif action == 1:
            del out[index]
        elif action == 2:
            out.insert(index, line)
        elif action == 3:
            out[index] = draw(st.text(max_size=40))
        elif action == 4:
            out.insert(index, "x: " + "[" * draw(st.integers(1, 3000)))
        elif action == 5:
            out[index] = line.replace(": ", ": &anchor ", 1) + "\nalias: *anchor"
        elif action == 6:
            out = out[:index]
        else:
            out[index] = " " * draw(st.integers(0, 7)) + line.lstrip()
    return "\n".join(out) + "\n"


def located(problems: list) -> bool:  # type: ignore[type-arg]
    return all(p.file and p.line >= 0 and p.column >= 0 and str(p) for p in problems)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(REGISTRY_LINES))
def test_mutated_registries(text: str) -> None:
    obligations, problems = parse_text(text, "fuzz.yaml")
    assert located(problems)
    if not problems:
        assert all(o.id for o in obligations)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(ORG_LINES))
def test_mutated_organisation_files(text: str) -> None:
    try:
        parse_config(text, "regtrack.yaml")
    except InvalidRegistry as error:
        assert error.problems and located(list(error.problems))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_binary_garbage(data: bytes) -> None:
    from regtrack.registry import decode

    try:
        text = decode(data, "garbage.yaml")
    except InvalidRegistry as error:
        assert error.problems[0].message == "not UTF-8 text"
        return
    _obligations, problems = parse_text(text, "garbage.yaml")
    assert located(problems)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutated(REGISTRY_LINES))
def test_the_cli_never_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    for args in (
        ("validate", str(path)),
        ("upcoming", "--registry", str(path), "--today", "2026-01-10", "-f", "json"),
    ):
        result = run(*args)
        assert result.code in (0, 2), result.err
        assert "Traceback" not in result.err and "internal error" not in result.err
        if result.code == 2:
            assert result.err.strip()


def test_an_oversized_file_is_refused_with_a_message(tmp_path: Path) -> None:
    from regtrack import registry

    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(registry.MAX_FILE_BYTES + 1)
    result = run("validate", str(path))
    assert result.code == 2 and "larger than 16 MiB; refused" in result.err
