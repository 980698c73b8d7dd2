"""Hostile files, values and environments (issue 14): each finding of the adversarial review,
as a test. No code runs, nothing hangs, no message carries input raw, and every input error is
one located line and exit 2, never an internal error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import FIXTURE, HERE, run, write

# The red team's surfaces (issue 27): `pytest -m hostile` runs the battery alone.
pytestmark = pytest.mark.hostile

ORGANISATION = (HERE / "fixtures" / "regtrack.yaml").read_text(encoding="utf-8")
REGISTRY = FIXTURE.read_text(encoding="utf-8")
RULE = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15"


def regtrack(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """regtrack as a process of its own (for what CliRunner cannot show: streams, signals)."""
    return subprocess.run(
        [sys.executable, "-m", "regtrack", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def assert_input_error(result: object, *words: str) -> None:
    code, err = (
        getattr(result, "code", getattr(result, "returncode", None)),
        getattr(result, "err", getattr(result, "stderr", "")),
    )
    assert code == 2, err
    assert "internal error" not in err and "Traceback" not in err
    for word in words:
        assert word in err, err


# 4. No message quotes a file the user did not mean as a registry ------------------------------


def test_a_file_named_by_mistake_is_never_printed(tmp_path: Path) -> None:
    secret = write(tmp_path, "root:x:0:0:root:/root:/bin/bash\nTOKEN=ghp_SECRET123\n", "secret")
    config = write(
        tmp_path,
        f'schema: 1\nregistries: {{builtin: false, files: ["{secret}"]}}\n',
        "regtrack.yaml",
    )
    result = run("upcoming", "--config", str(config))
    assert_input_error(result, "expected a mapping, got plain text")
    assert "SECRET123" not in result.err and "root:x" not in result.err


# 5. Every message escapes what it echoes -------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ['"\\e]0;pwned\\a"', '"x\\n::error file=a.py::forged"', '"y\\n::stop-commands::token"'],
)
def test_an_echoed_key_writes_no_escape_or_workflow_command(tmp_path: Path, key: str) -> None:
    registry = write(tmp_path, REGISTRY.replace("schema: 1\n", f"schema: 1\n{key}: 1\n"))
    result = run("validate", str(registry))
    assert_input_error(result, "unknown field")
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert not [line for line in result.err.splitlines() if line.startswith("::")]


def test_a_waiver_reason_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    waivers = write(
        tmp_path,
        "waivers:\n  - id: test-deadline-amended\n    by: x\n    until: 2026-12-31\n"
        '    reason: "ok\\n::error file=evil.py,line=1::forged\\n::stop-commands::t"\n',
        "waivers.yaml",
    )
    result = run("check", "--no-builtin", "--registry", str(FIXTURE), "--waivers", str(waivers),
                 "--today", "2026-03-20")  # fmt: skip
    assert result.code in (0, 1), result.err
    assert not [line for line in result.out.splitlines() if line.startswith("::")]
    assert "waived by x until 2026-12-31: ok ::error file=evil.py" in result.out


# 6. Bounded work for every input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number"),
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL must be a whole number"),
        ("FREQ=DAILY;BYSECOND=1,2,3,4,5,6,7,8,9", "BYSECOND is not allowed"),
        ("FREQ=DAILY;BYHOUR=1,2;BYMINUTE=1,2", "BYHOUR, BYMINUTE is not allowed"),
        # a rule that can never fall on a day validated and then made every command walk
        # dateutil's search to the year 9999 (issue 24)
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13: '13' is not a whole number from 1 to 12"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "falls on no day from 2025-12-15 to 2035-12-15"),
        ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "it never occurs"),
        ("FREQ=YEARLY;BYSETPOS=366;BYMONTH=1", "it never occurs"),
        ("FREQ=MONTHLY;BYDAY=+6MO", "'+6' is not a whole number from 1 to 5"),
        ("FREQ=YEARLY;BYEASTER=400", "BYEASTER is not RFC 5545"),
        ("FREQ=YEARLY;UNTIL=20200101", "it never occurs"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY"),
    ],
)
def test_a_runaway_recurrence_is_refused_when_read(tmp_path: Path, rule: str, says: str) -> None:
    config = write(tmp_path, ORGANISATION.replace(RULE, rule), "regtrack.yaml")
    for command in (("validate", str(config)), ("upcoming", "--config", str(config))):
        assert_input_error(run(*command), says)


def test_too_many_occurrences_are_an_input_error(tmp_path: Path) -> None:
    config = write(tmp_path, ORGANISATION.replace(RULE, "FREQ=DAILY"), "regtrack.yaml")
    assert run("upcoming", "--config", str(config), "--today", "2026-12-01").code == 0
    result = run("upcoming", "--config", str(config), "--today", "2026-12-01", "-w", "20y")
    assert_input_error(result, "falls on more than 5000 days", "regtrack.yaml:")


def test_millions_of_tiny_nodes_are_refused_after_the_limit_s_worth_of_nodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused by counting the nodes as they are made: composing stops at the limit, so a
    dense file costs no more than a legal one of MAX_NODES values (work bounded by a count,
    not by a clock; issues 27 and 28)."""
    from regtrack.parse import reader

    made = 0
    resolve = reader._Loader.resolve

    def counted(self: reader._Loader, kind: type, value: object, implicit: object) -> str:
        nonlocal made
        made += 1
        return resolve(self, kind, value, implicit)

    monkeypatch.setattr(reader, "COMPOSER", None)  # PyYAML's, whose calls can be counted
    monkeypatch.setattr(reader._Loader, "resolve", counted)
    monkeypatch.setattr(reader, "MAX_NODES", 200_000)
    dense = write(tmp_path, "schema: 1\nobligations: [" + "1," * 3_000_000 + "1]\n", "dense.yaml")
    assert_input_error(run("validate", str(dense)), "more than 200000 values; refused")
    assert made == 200_001  # not one node more than the limit, and no counting parse before


def test_composing_stops_at_the_limit_before_what_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, composer: str
) -> None:
    """Either composer stops at the node after the limit: what follows it is never read, so a
    broken text there is not reported (issue 29). The file's mapping, its two keys, `schema`'s
    value and the list are five of the nodes."""
    from regtrack.parse import reader

    monkeypatch.setattr(reader, "MAX_NODES", 1000)

    def dense(items: int) -> Path:
        body = "schema: 1\nobligations: [" + "1, " * items + "]] broken: [\n"
        return write(tmp_path, body, "dense.yaml")

    assert_input_error(run("validate", str(dense(1000 - 5))), "dense.yaml:2:", ": invalid YAML")
    assert_input_error(run("validate", str(dense(1000 - 4))), "more than 1000 values; refused")


def test_validate_parses_a_large_waivers_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate` asks for a registry and then for the waivers its content says it is: one
    parse, not two (180,000 waivers cost 26 s to the red team, issue 27, finding 10)."""
    from regtrack import parse

    parsed: list[str] = []
    read_document = parse.read_document

    def counted(text: str, file: str, expected: object) -> object:
        parsed.append(file)
        return read_document(text, file, expected)  # type: ignore[arg-type]

    monkeypatch.setattr(parse, "read_document", counted)
    monkeypatch.setenv("REGTRACK_NO_CACHE", "1")
    entry = "- {id: gdpr-art-35-dpia, by: J, reason: r, until: 2027-06-30}\n"
    waivers = write(tmp_path, "waivers:\n" + entry * 2000, "waivers.yaml")
    result = run("validate", str(waivers))
    assert result.code == 0 and "valid waivers file (2000 waivers)" in result.out
    assert parsed.count(str(waivers)) == 1


def test_a_flood_of_problems_prints_the_first_ones_and_a_count(tmp_path: Path) -> None:
    broken = write(tmp_path, "schema: 1\nobligations:\n" + "  - {id: X}\n" * 5000, "broken.yaml")
    result = run("validate", str(broken))
    assert_input_error(result)
    lines = result.err.splitlines()
    assert len(lines) == 101 and lines[-1].endswith("problems (the first 100 shown)")


@pytest.mark.parametrize("option", ["--registry", "--config", "--events", "--waivers"])
def test_a_fifo_is_refused_not_read(tmp_path: Path, option: str) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    # (a FIFO nobody writes would block a reader for ever: the 120 s is a hang guard, not a
    # measure of speed)
    result = regtrack("upcoming", option, str(fifo), timeout=120)
    assert_input_error(result, "not a regular file")


@pytest.mark.parametrize("columns", ["0", "1", "99999999"])
def test_any_terminal_width_prints_the_page_within_bounds(columns: str) -> None:
    """The width is taken between 40 and 500 columns: no line of the page is longer."""
    for command in (("show", "gdpr-art-33-breach-notification"), ("timeline",)):
        result = run(*command, "--today", "2026-11-27", env={"COLUMNS": columns})
        assert result.code == 0 and len(result.out.splitlines()) > 5, (command, result.err)
        assert max(len(line) for line in result.out.splitlines() if "://" not in line) <= 500


# 8. Edges of dates and the environment are input errors, never internal ones -------------------


@pytest.mark.parametrize(
    "args",
    [
        ["upcoming", "--today", "9999-12-31"],
        ["upcoming", "--today", "0001-01-01"],
        ["upcoming", "--within", "100000y"],
        ["upcoming", "--within", "P200Y"],
        ["timeline", "--to", "9999-12-31"],
        ["clock", "gdpr-art-33-breach-notification", "--at", "9999-12-31T23:00"],
        ["export", "ics", "--alarm", "99999w"],
    ],
)
def test_dates_at_the_edges_are_input_errors(args: list[str]) -> None:
    assert_input_error(run(*args), "")


def test_regtrack_today_at_the_edge_is_an_input_error() -> None:
    assert_input_error(run("upcoming", env={"REGTRACK_TODAY": "9999-12-31"}), "--today")


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("date: 2026-08-02", "date: 9999-12-31", "outside the years 1900 to 2999"),
        ("duration: PT72H", "duration: P100000Y", "is longer than 100 years"),
        ("title: Rules start to apply", 'title: "Rules \\uFFFE apply"', "U+FFFE"),
        ("title: Rules start to apply", "title: Rules \ufffe apply", "U+FFFE"),
        ("short: AI Act", "short: AI\u200b Act", "U+200B"),
    ],
)
def test_registry_values_at_the_edges_are_located_input_errors(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    assert old in REGISTRY
    registry = write(tmp_path, REGISTRY.replace(old, new, 1))
    result = run("validate", str(registry))
    assert_input_error(result, says, f"{registry}:")


def test_an_unusable_time_zone_falls_back_to_utc() -> None:
    result = regtrack("upcoming", "-f", "json", env={"TZ": "UTC+99"})
    assert result.returncode == 0, result.stderr
    assert "the local time zone (TZ) is unusable" in result.stderr


@pytest.mark.parametrize(
    "environment", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C"}]
)
def test_a_narrow_encoding_still_writes_everything(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    write(tmp_path, ORGANISATION.replace("Hôpital Exemple", "Hôpital Émile-Roux"), "regtrack.yaml")
    (tmp_path / ".git").mkdir()
    shown = regtrack("show", "dpia-review-triage-ai", "--today", "2026-11-27", env=environment)
    assert shown.returncode == 0, shown.stderr
    bad = regtrack("init", "--name", "Hôpital", "--role", "contrôleur", env=environment)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_ctrl_c_at_any_moment_is_one_line_and_130() -> None:
    # from the moment regtrack's code runs: before it, the interpreter itself is starting (as
    # long as `import regtrack.console` takes on this machine, measured)
    took = []
    for _ in range(3):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "import regtrack.console"], check=True)
        took.append(time.monotonic() - started)
    first = 2.5 * max(took)
    for delay in (first + step * 0.015 for step in range(10)):
        process = subprocess.Popen(
            [sys.executable, "-m", "regtrack", "upcoming"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        if process.returncode == 0 or (process.returncode == -signal.SIGINT and not err):
            continue  # it had finished (or was shutting down, its output written) already
        if process.returncode == -signal.SIGINT:  # interrupted while the interpreter shut down
            assert err == "regtrack: interrupted\n", (delay, err)
            continue
        assert process.returncode == 130, (delay, err)
        assert err.strip() == "regtrack: interrupted", (delay, err)


# 9. Text that would break consumers or filters --------------------------------------------------


def test_csv_neutralises_formulas_after_any_separator(tmp_path: Path) -> None:
    registry = write(
        tmp_path, REGISTRY.replace("title: Rules start to apply", "title: harmless;=1+1")
    )
    result = run("list", "--no-builtin", "--registry", str(registry), "-f", "csv")
    assert result.code == 0, result.err
    assert "harmless;'=1+1" in result.out and ";=1+1" not in result.out


def test_validate_prints_a_file_s_name_escaped(tmp_path: Path) -> None:
    """An OSC title sequence, U+202E and a workflow command in a file's name reach no terminal
    or CI log through `validate`'s success line (issue 27)."""
    from tests.helpers import FIXTURE

    name = "a\x1b]0;pwned\x07\u202eb\n::error ::x.yaml"
    target = tmp_path / name
    target.write_bytes(FIXTURE.read_bytes())
    result = run("validate", str(target))
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert not any(line.lstrip().startswith("::") for line in result.out.splitlines())
    assert "\\x1b]0;pwned\\x07\\u202eb\\n::error ::x.yaml: valid registry" in result.out


@pytest.mark.parametrize(
    "args",
    [
        ("report", "-o", "regtrack.yaml"),
        ("export", "ics", "-o", "regtrack.yaml"),
        ("check", "--junit", "regtrack.yaml"),
        ("check", "--sarif", "regtrack.yaml"),
        ("check", "-f", "json", "-o", "out.json", "--markdown", "regtrack.yaml"),
        ("digest", "-o", "regtrack.yaml"),
        (
            "clock",
            "gdpr-art-33-breach-notification",
            "--at",
            "2026-12-01T10:00Z",
            "-f",
            "ics",
            "-o",
            "regtrack.yaml",
        ),
        ("report", "--waivers", "waivers.yaml", "-o", "waivers.yaml"),
    ],
)
def test_no_output_replaces_an_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """`-o regtrack.yaml` replaced the organisation file and its ledger, exit 0 (issue 27)."""
    monkeypatch.chdir(tmp_path)
    assert run("init", "--name", "Clinic", "--jurisdiction", "FR", "--role", "controller").code == 0
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n  - id: gdpr-art-35-dpia\n    by: J\n    reason: r\n    until: 2027-01-01\n",
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = run(*args, *(("--today", "2026-12-04") if args[0] != "clock" else ()))
    assert result.code == 2, (result.out, result.err)
    assert "is a file this command reads; write the output to another file" in result.err
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # nothing replaced, nothing written


def test_an_argument_that_is_not_utf8_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (
        ("init", "--name", "A\udcffB", "--jurisdiction", "FR", "--role", "controller"),
        ("digest", "--feed-url", "https://x.example/\udcff", "-f", "atom"),
    ):
        result = run(*args)
        assert result.code == 2, result.err
        assert (
            result.err.startswith("regtrack: error: argument ") and "not valid UTF-8" in result.err
        )
    assert list(tmp_path.iterdir()) == []


def test_a_deleted_working_folder_is_an_input_error(tmp_path: Path) -> None:
    script = f"mkdir gone && cd gone && rmdir ../gone && exec {sys.executable} -m regtrack upcoming"
    done = subprocess.run(["sh", "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "regtrack: error: the current folder no longer exists; cd to another one and run again\n"
    )


def test_no_message_quotes_a_file_named_by_mistake(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("DB_PASSWORD=hunter2-secret\n", encoding="utf-8")
    result = run("export", "ics", "--previous", str(env), "--today", "2026-12-04")
    assert result.code == 2 and "hunter2" not in result.err and "DB_PASSWORD" not in result.err
    big = tmp_path / "big.yaml"
    big.write_text("schema: 1\nobligations:\n  - id: x\n    ? " + "k" * 1_000_000 + "\n    : 1\n")
    checked = run("validate", str(big))
    assert checked.code == 2
    assert "… (1000000 characters): unknown field" in checked.err
    assert len(checked.err) < 5_000  # a megabyte key is not echoed


def test_a_full_disk_is_exit_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    result = run("report", "--today", "2026-12-04", "-o", str(tmp_path / "r.html"))
    assert result.code == 4, result.err
    assert "No space left on device" in result.err and list(tmp_path.iterdir()) == []


def test_a_withdrawn_event_carries_nothing_of_the_previous_file(tmp_path: Path) -> None:
    """`export ics --previous` re-publishes a removed event as cancelled from what identifies
    it, not the whole of the previous file's component (issue 27)."""
    feed = tmp_path / "feed.ics"
    assert run("export", "ics", "--today", "2026-12-04", "-r", "GDPR", "-o", str(feed)).code == 0
    import icalendar

    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    event["UID"] = "withdrawn@evil.example"  # an event this export no longer has
    event.add("url", "javascript:alert(1)")
    event.add("attach", "https://evil.example/x.exe")
    event.add("x-alt-desc", "<script>alert(1)</script>", parameters={"FMTTYPE": "text/html"})
    feed.write_bytes(calendar.to_ical())
    again = run(
        "export",
        "ics",
        "--today",
        "2026-12-04",
        "-r",
        "GDPR",
        "--previous",
        str(feed),
        "-o",
        str(feed),
    )
    assert again.code == 0, again.err
    out = feed.read_text(encoding="utf-8")
    assert "UID:withdrawn@evil.example" in out and "STATUS:CANCELLED" in out
    assert "javascript:" not in out and "evil.example/x.exe" not in out and "<script>" not in out


def test_the_report_links_only_to_web_addresses() -> None:
    from regtrack.formats.html import _a

    assert (
        _a("https://eur-lex.europa.eu/x", "EUR-Lex")
        == '<a href="https://eur-lex.europa.eu/x">EUR-Lex</a>'
    )
    assert _a("javascript:alert(1)", "x<") == "x&lt;"
    assert _a("data:text/html,<script>", "t") == "t"


def test_two_million_wrong_items_stay_under_a_gigabyte(tmp_path: Path) -> None:
    """The largest file the node limit lets through, every item wrong: refused with the first
    problems, exit 2, and a memory peak under 1 GiB (measured by the kernel, not a clock)."""
    import resource

    big = tmp_path / "big.yaml"
    big.write_text("schema: 1\nobligations: [" + ",".join(["a"] * 1_990_000) + "]\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-m", "regtrack", "validate", str(big)], capture_output=True, text=True
    )
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr.endswith("regtrack: 1001 problems (the first 100 shown)\n")
    assert max(peak_kib, before) < 1024 * 1024  # KiB on Linux
