"""Fuzzing the readers with hypothesis: mutated registries, organisation files, waiver and event
files end in a result or a clean, located error — never an exception, a traceback or a hang —
and a command that refuses a file leaves it as it was.

REGTRACK_FUZZ_SCALE multiplies the number of examples (default 1: about half a minute in all);
`REGTRACK_FUZZ_SCALE=20 pytest tests/test_fuzz.py` is a longer hunt."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regtrack.errors import InvalidRegistry
from regtrack.orgfile import template
from regtrack.orgmodels import Profile
from regtrack.parse import parse_config, parse_events, parse_text, parse_waivers
from tests.helpers import FIXTURE, HERE, Result, run

SCALE = max(1, int(os.environ.get("REGTRACK_FUZZ_SCALE", "1")))
REGISTRY_LINES = FIXTURE.read_text(encoding="utf-8").splitlines()
# An organisation file with an entry in every section, and the commented template of `init`.
ORGANISATION = HERE / "fixtures" / "regtrack.yaml"
ORG_LINES = ORGANISATION.read_text(encoding="utf-8").splitlines()
TEMPLATE_LINES = template(Profile("Org", ("FR",), ("controller",), ("health",))).splitlines()
# The events of tests/test_events.py, one of them closed.
EVENT_LINES = [
    *(HERE / "fixtures" / "events.yaml").read_text(encoding="utf-8").splitlines(),
    "    closed: 2026-11-28",
]
WAIVER_LINES = """\
waivers:
  - id: ai-act-art-113-general-application
    milestone: general-application
    by: Jane Doe (DPO)
    reason: AI inventory and transparency notices done, see PRIV-42
    until: 2026-09-30
  - {id: gdpr-art-35-dpia, by: Sam, reason: "n/a", until: 2027-01-01}
""".splitlines()


@contextlib.contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Turns a hang into a failure: a single input that takes this long is a bug."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    "2026-11-26T25:00",
    "2026-11-26T16:40+99:00",
    "Mars/Phobos",
    "../../etc/passwd",
    "ZZ",
    "FREQ=SECONDLY",
    "FREQ=YEARLY;COUNT=99999999999",
    "\x1b[31mred\x1b[0m",
    "[red]markup[/red]",
    "'=HYPERLINK(\"http://x\")'",
    "'::error::injected'",
    '"a\\r\\nEND:VEVENT"',
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


def fuzz(examples: int, *, fixture: bool = False) -> settings:
    """Hypothesis settings for a fuzz test: `examples` times REGTRACK_FUZZ_SCALE, no deadline
    (a hang is caught by `bounded`). Derandomised at the default scale, so that CI runs are
    reproducible; a longer hunt draws fresh examples each time."""
    checks = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture] if fixture else []
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        suppress_health_check=[HealthCheck.too_slow, *checks],
    )


@fuzz(2000)
@given(mutated(REGISTRY_LINES))
def test_mutated_registries(text: str) -> None:
    with bounded(10):
        obligations, problems = parse_text(text, "fuzz.yaml")
    assert located(problems)
    if not problems:
        assert all(o.id for o in obligations)


@fuzz(1000)
@given(st.one_of(mutated(ORG_LINES), mutated(TEMPLATE_LINES)))
def test_mutated_organisation_files(text: str) -> None:
    try:
        with bounded(10):
            parse_config(text, "regtrack.yaml")
    except InvalidRegistry as error:
        assert error.problems and located(list(error.problems))


@fuzz(600)
@given(st.one_of(mutated(EVENT_LINES), mutated(WAIVER_LINES)))
def test_mutated_event_and_waiver_files(text: str) -> None:
    for parse in (parse_events, parse_waivers):
        try:
            with bounded(10):
                parse(text, "list.yaml")
        except InvalidRegistry as error:
            assert error.problems and located(list(error.problems))


@fuzz(600)
@given(st.binary(max_size=2000))
def test_binary_garbage(data: bytes) -> None:
    from regtrack.registry import decode

    try:
        text = decode(data, "garbage.yaml")
    except InvalidRegistry as error:
        assert error.problems[0].message == "not UTF-8 text"
        return
    with bounded(10):
        _obligations, problems = parse_text(text, "garbage.yaml")
    assert located(problems)


def clean(result: Result, allowed: tuple[int, ...] = (0, 2)) -> None:
    """A command's result is a success or a clean input error: one message per problem on stderr,
    no traceback, no internal error."""
    code, err = result.code, result.err
    assert code in allowed, err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert err.strip()


@fuzz(200, fixture=True)
@given(mutated(REGISTRY_LINES))
def test_the_cli_never_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    for args in (
        ("validate", str(path)),
        (
            "upcoming",
            "--no-builtin",
            "--registry",
            str(path),
            "--today",
            "2026-01-10",
            "-f",
            "json",
        ),
    ):
        with bounded(20):
            clean(run(*args))


@fuzz(120, fixture=True)
@given(mutated(ORG_LINES))
def test_the_cli_never_crashes_on_an_organisation_file(tmp_path: Path, text: str) -> None:
    """Every command that reads the organisation file, and `done`, which writes it: a refused file
    is left byte for byte as it was."""
    config = tmp_path / "regtrack.yaml"
    data = text.encode("utf-8", "surrogatepass")
    config.write_bytes(data)
    today = ("--today", "2026-11-27")
    for args in (
        ("validate", "--config", str(config)),
        ("upcoming", "--config", str(config), *today, "-f", "json"),
        ("check", "--config", str(config), *today, "--exit-zero"),
        ("export", "ics", "--config", str(config), *today),
    ):
        with bounded(30):
            clean(run(*args))
    with bounded(30):
        result = run(
            "done",
            "dpia-review-triage-ai",
            "--config",
            str(config),
            "--occurrence",
            "2026-12-15",
            "--by",
            "Fuzz",
            "--evidence",
            "FUZZ-1",
            *today,
        )
    clean(result)
    if result.code != 0:
        assert config.read_bytes() == data
    else:  # the entry reads back, and the only change is a block of added lines
        after = config.read_bytes()
        last = parse_config(after.decode("utf-8"), str(config)).done[-1]
        assert (last.obligation, last.milestone, last.by) == (
            "dpia-review-triage-ai",
            "2026-12-15",
            "Fuzz",
        )
        before_lines, after_lines = data.splitlines(True), after.splitlines(True)
        added = len(after_lines) - len(before_lines)
        assert added > 0
        assert any(
            after_lines[:k] + after_lines[k + added :] == before_lines
            for k in range(len(before_lines) + 1)
        )


def test_an_oversized_file_is_refused_with_a_message(tmp_path: Path) -> None:
    from regtrack import registry

    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(registry.MAX_FILE_BYTES + 1)
    result = run("validate", str(path))
    assert result.code == 2 and "larger than 16 MiB; refused" in result.err
