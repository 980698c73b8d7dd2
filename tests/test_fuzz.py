"""Fuzzing the readers with hypothesis: mutated registries, organisation files, waiver and event
files end in a result or a clean, located error — never an exception, a traceback or a hang —
and a command that refuses a file leaves it as it was.

REGTRACK_FUZZ_SCALE multiplies the number of examples (default 1: about half a minute in all);
`REGTRACK_FUZZ_SCALE=20 pytest tests/test_fuzz.py` is a longer hunt."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regtrack.errors import InvalidRegistry
from regtrack.orgfile import template
from regtrack.orgmodels import Profile
from regtrack.parse import parse_config, parse_events, parse_text, parse_waivers
from tests.helpers import FIXTURE, HERE, MONTHLY_ORGANISATION, Result, parallel_done, run

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
    """Turns a hang into a failure: a single input that takes this long is a bug. A guard
    against hangs, not a measure of speed: every limit is many times what an input takes on a
    loaded 2-core machine (a 5-second limit failed there; issue 28)."""

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
    # the classes of issue 14: edges of dates and durations, runaway rules, invisible text
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "3000-01-01",
    "P100000Y",
    "P101Y",
    "PT999999999H",
    "FREQ=DAILY;INTERVAL=0",
    "FREQ=DAILY;INTERVAL=-1",
    "FREQ=DAILY;BYSECOND=1,2,3,4,5,6,7,8,9",
    "FREQ=DAILY;BYHOUR=1,2",
    "FREQ=DAILY",
    "GD\u200bPR",
    '"x\\uFFFEy"',
    "\u00adsoft",
    "\ufeffbom",
    "harmless;=1+1",
    '"ok\\n::error file=x::forged"',
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
    with bounded(100):
        obligations, problems = parse_text(text, "fuzz.yaml")
    assert located(problems)
    if not problems:
        assert all(o.id for o in obligations)


@fuzz(1000)
@given(st.one_of(mutated(ORG_LINES), mutated(TEMPLATE_LINES)))
def test_mutated_organisation_files(text: str) -> None:
    try:
        with bounded(100):
            parse_config(text, "regtrack.yaml")
    except InvalidRegistry as error:
        assert error.problems and located(list(error.problems))


@fuzz(600)
@given(st.one_of(mutated(EVENT_LINES), mutated(WAIVER_LINES)))
def test_mutated_event_and_waiver_files(text: str) -> None:
    for parse in (parse_events, parse_waivers):
        try:
            with bounded(100):
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
    with bounded(100):
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
        with bounded(200):
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
        with bounded(300):
            clean(run(*args))
    with bounded(300):
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


# -- issue 14: the classes the adversarial review found ------------------------------------------

EDGE_DATES = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "1899-12-31", "2999-12-31", "3000-01-01"]),
    st.text(max_size=12),
)
HORIZONS = st.one_of(
    st.builds(lambda n, u: f"{n}{u}", st.integers(0, 10**7), st.sampled_from("dwmy")),
    st.builds(lambda n, u: f"P{n}{u}", st.integers(0, 10**7), st.sampled_from("YMWD")),
    st.text(max_size=8),
)


@fuzz(500)
@given(EDGE_DATES, HORIZONS)
def test_dates_and_durations_at_the_edges_are_values_or_value_errors(day: str, span: str) -> None:
    from regtrack.dates import add_duration, parse_day, parse_horizon, parse_window

    for read in (parse_day, parse_window):
        with contextlib.suppress(ValueError):
            read(day)
    try:
        start, horizon = parse_day(day), parse_horizon(span)
    except ValueError:
        return
    add_duration(start, horizon)  # never an OverflowError: both are bounded when read
    add_duration(start - dt.timedelta(days=366), horizon)


RULE_PARTS = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "SECONDLY", "X"])},
    optional={
        "INTERVAL": st.sampled_from(["0", "-1", "1", "2", "7", "1000", "1001", "x"]),
        "BYMONTH": st.sampled_from(["1", "2,3", "13", "1,2,3,4,5,6,7,8,9,10,11,12"]),
        "BYMONTHDAY": st.sampled_from(["1", "15", "31", "-1", "1,2,3,4,5,6,7,8,9,10"]),
        "BYDAY": st.sampled_from(["MO", "MO,TU,WE,TH,FR", "1MO", "-1FR", "ZZ"]),
        "BYSETPOS": st.sampled_from(["1", "-1", "1,2,3"]),
        "COUNT": st.sampled_from(["1", "10", "99999999999"]),
        "BYHOUR": st.sampled_from(["1", "1,2,3"]),
        "BYSECOND": st.sampled_from(["1,2,3,4,5,6,7,8,9"]),
        "BYWEEKNO": st.sampled_from(["1", "53", "-1"]),
        "BYYEARDAY": st.sampled_from(["1", "366", "-1"]),
    },
)


@fuzz(400)
@given(RULE_PARTS, st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 3650))
def test_recurrence_rules_are_refused_or_expand_boundedly(
    parts: dict[str, str], start: dt.date, span: int
) -> None:
    from regtrack.dates import MAX_OCCURRENCES, occurrences, parse_rrule

    rule = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        checked = parse_rrule(rule, start)
    except ValueError:
        return
    with bounded(50):
        try:
            days = occurrences(checked, start, start, start + dt.timedelta(days=span))
        except ValueError as error:  # more than regtrack expands: an input error, named
            assert str(MAX_OCCURRENCES) in str(error)
            return
    assert len(days) <= MAX_OCCURRENCES and days == sorted(days)


def _nodes(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_nodes(k) + _nodes(v) for k, v in value.items())
    if isinstance(value, list):
        return 1 + sum(_nodes(v) for v in value)
    return 1


SMALL_TREES = st.recursive(
    st.one_of(st.integers(0, 9), st.sampled_from(["a", "b", "-", "x: y", ""])),
    lambda children: st.one_of(
        st.lists(children, max_size=30), st.dictionaries(st.text("ab", max_size=3), children)
    ),
    max_leaves=400,
)


@fuzz(150)
@given(SMALL_TREES, st.booleans(), st.integers(1, 600))
def test_the_node_limit_refuses_exactly_the_documents_over_it(
    tree: object, flow: bool, limit: int
) -> None:
    """Composing refuses a document over the limit and never one under it (the limit lowered
    here, so that small documents reach it)."""
    import yaml

    from regtrack.errors import InvalidRegistry
    from regtrack.parse import reader

    text = yaml.safe_dump({"schema": 1, "obligations": tree}, default_flow_style=flow)
    nodes = _nodes({"schema": 1, "obligations": tree})
    original = reader.MAX_NODES
    reader.MAX_NODES = limit
    try:
        try:
            reader.compose(text, "t.yaml")
            refused = False
        except InvalidRegistry as error:
            refused = "values; refused" in error.problems[0].message
        assert refused is (nodes > limit)
    finally:
        reader.MAX_NODES = original


ENVIRONMENTS = st.fixed_dictionaries(
    {},
    optional={
        "COLUMNS": st.sampled_from(["0", "1", "39", "81", "99999999", "-5", "abc"]),
        "REGTRACK_TODAY": EDGE_DATES,
        "REGTRACK_WAIVERS": st.sampled_from(["", "/nonexistent.yaml", "/dev/null", "/"]),
        "REGTRACK_EVENTS": st.sampled_from(["", "/nonexistent.yaml", "/etc/passwd"]),
        "NO_COLOR": st.sampled_from(["", "1"]),
        "FORCE_COLOR": st.sampled_from(["", "1"]),
    },
)


@fuzz(150)
@given(
    ENVIRONMENTS,
    st.sampled_from(
        [
            ("upcoming",),
            ("upcoming", "-f", "json"),
            ("check", "--exit-zero"),
            ("show", "gdpr-art-33-breach-notification"),
            ("timeline",),
            ("list", "-f", "csv"),
        ]
    ),
    HORIZONS,
)
def test_the_cli_in_any_environment(
    environment: dict[str, str], command: tuple[str, ...], within: str
) -> None:
    args = (*command, "--within", within) if command[0] == "upcoming" else command
    with bounded(300):
        result = run(*args, env=environment)
    clean(result)
    assert "\x1b" not in result.err


@fuzz(6, fixture=True)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=8))
def test_parallel_done_runs_each_land_once(tmp_path: Path, months: list[int]) -> None:
    """Parallel `done` runs, some naming the same occurrence: each distinct one lands exactly
    once, every run that said it recorded one is in the file, the others refused it."""
    config = tmp_path / f"regtrack-{len(list(tmp_path.iterdir()))}.yaml"
    config.write_text(MONTHLY_ORGANISATION, encoding="utf-8")
    results = parallel_done(config, [f"2026-{m:02d}-15" for m in months], by="fuzz")
    landed = parse_config(config.read_text(encoding="utf-8"), str(config)).done
    recorded = [c.milestone for c in landed if c.by == "fuzz"]
    assert sorted(recorded) == sorted({f"2026-{m:02d}-15" for m in months}), results
    for _, code, err in results:
        assert code in (0, 2) and "Traceback" not in err, err
        assert code == 0 or "already recorded" in err, err


def _titled(value: str) -> str:
    """The fuzzed registry with its first title written as `value` (YAML source)."""
    return "\n".join(REGISTRY_LINES).replace("title: ", f"title: {value} #", 1) + "\n"


@fuzz(1000)
@given(mutated(REGISTRY_LINES))
# what makes a value hold a character its file's text does not show: escapes, folding, breaks
@example(_titled('"x\\uFFFEy"'))
@example(_titled('"tab\\there"'))
@example(_titled('"two\\nlines"'))
@example(_titled('"\\e[31mred"'))
@example(_titled("|\n      two\n      lines\n   "))
@example(_titled("'a\tb'"))
@example(_titled("a\x85b"))
@example("\r\n".join(REGISTRY_LINES) + "\r\n")
def test_a_clean_file_reads_as_it_would_with_every_value_searched(text: str) -> None:
    """The reader skips the forbidden-character search in files that cannot need it (issue 17,
    `reader.clean`); every file must read exactly as with the search done on every value."""
    from unittest import mock

    from regtrack.parse import reader

    with bounded(100):
        fast = parse_text(text, "fuzz.yaml")
        with mock.patch.object(reader, "clean", lambda _text: False):
            searched = parse_text(text, "fuzz.yaml")
    assert fast == searched
