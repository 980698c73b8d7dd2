"""The command line (regtrack.cli): options, exit codes, the error boundary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from regtrack.errors import ExitCode
from tests.helpers import FIXTURE, TODAY, generated, run


def test_upcoming_honours_today_and_within() -> None:
    result = run(
        "upcoming",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        TODAY,
        "--within",
        "90d",
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    assert [row["id"] for row in json.loads(result.out)] == [
        "test-deadline-amended",
        "test-quarter-expected",
    ]


def test_regtrack_today_environment_variable() -> None:
    args = (
        "upcoming",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "-w",
        "1d",
        "-f",
        "json",
        "--no-overdue",
    )
    result = run(*args, env={"REGTRACK_TODAY": "2026-08-02"})
    assert result.code == 0, result.err
    assert [row["id"] for row in json.loads(result.out)] == ["test-applies-day"]
    # --today wins over the environment
    result = run(*args, "--today", "2026-08-03", env={"REGTRACK_TODAY": "2026-08-02"})
    assert json.loads(result.out) == []


def test_the_json_contract_of_upcoming() -> None:
    result = run(
        "upcoming",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        TODAY,
        "-w",
        "1y",
        "-f",
        "json",
    )
    rows = json.loads(result.out)
    quarter = next(row for row in rows if row["id"] == "test-quarter-expected")
    required = {
        "id",
        "title",
        "regulation",
        "citation",
        "jurisdiction",
        "kind",
        "status",
        "date",
        "date_end",
        "precision",
        "days_left",
        "sources",
    }
    assert required <= quarter.keys()
    assert (quarter["date"], quarter["date_end"], quarter["precision"]) == (
        "2026-04-01",
        "2026-06-30",
        "quarter",
    )
    assert quarter["days_left"] == 81 and quarter["regulation"] == "CNIL/HAS"
    assert quarter["sources"] == ["https://www.cnil.fr/"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("upcoming", "--today", "2026-02-30"),
            "--today: '2026-02-30' is not a real calendar date",
        ),
        (
            ("upcoming", "--today", "tomorrow"),
            "--today: 'tomorrow' is not a date (expected YYYY-MM-DD)",
        ),
        (("upcoming", "--within", "soon"), "--within: 'soon' is not a duration"),
        (("upcoming", "--format", "xml"), "Invalid value for '--format'"),
        (("upcoming", "--status", "maybe"), "Invalid value for '--status'"),
        (("upcoming", "--nope"), "No such option: --nope"),
        (("frobnicate",), "No such command 'frobnicate'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = (
        run(*args, "--no-builtin", "--registry", str(FIXTURE))
        if args[0] == "upcoming"
        else run(*args)
    )
    assert result.code == ExitCode.USAGE
    assert result.err.count("\n") == 1, result.err
    assert message in result.err
    assert result.out == ""


def test_regtrack_today_that_is_not_a_date_is_a_usage_error() -> None:
    result = run(
        "upcoming", "--no-builtin", "--registry", str(FIXTURE), env={"REGTRACK_TODAY": "2026-13-01"}
    )
    assert result.code == 2
    # named as the variable it came from: a CI job's command line shows no --today
    assert "--today (REGTRACK_TODAY): '2026-13-01'" in result.err
    flag = run("upcoming", "--today", "2026-13-01", env={"REGTRACK_TODAY": "2026-08-02"})
    assert flag.code == 2 and "--today: '2026-13-01'" in flag.err
    now = run("digest", env={"REGTRACK_NOW": "soon"})
    assert now.code == 2 and "--now (REGTRACK_NOW): 'soon'" in now.err


def test_show_prints_one_obligation_in_full() -> None:
    result = run(
        "show",
        "test-deadline-amended",
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        TODAY,
    )
    assert result.code == 0, result.err
    assert "Moved from 2026-01-15 to 2026-03 by Amending Regulation 2025/1" in result.out
    assert "https://eur-lex.europa.eu/eli/reg/2016/679/oj" in result.out


def test_show_keeps_urls_whole_and_wrapped_text_indented() -> None:
    # At 40 columns every source URL is longer than the line: it must still print whole on one
    # line (a terminal's click and copy need it), and a wrapped note stays under its heading.
    from regtrack.registry import builtin_path, load

    obligation = load([builtin_path()]).get("cnil-has-ai-health-recommendation")
    assert obligation is not None
    result = run("show", obligation.id, "--today", "2026-11-27", env={"COLUMNS": "40"})
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    for source in obligation.sources:
        assert f"    {source.url}" in lines
    note = lines.index(next(line for line in lines if line.startswith("    Note: ")))
    assert lines[note + 1].startswith("    ") and lines[note + 1].strip()


def test_show_an_unknown_id_suggests_the_closest() -> None:
    result = run("show", "test-applies-dya", "--no-builtin", "--registry", str(FIXTURE))
    assert result.code == 2
    assert "unknown obligation id 'test-applies-dya' (did you mean: test-applies-day" in result.err


def test_list_filters_and_formats() -> None:
    result = run("list", "--no-builtin", "--registry", str(FIXTURE), "-j", "uk", "-f", "json")
    assert result.code == 0
    [obligation] = json.loads(result.out)
    assert obligation["id"] == "test-year-review"
    assert obligation["milestones"][0]["precision"] == "year"
    result = run("list", "--no-builtin", "--registry", str(FIXTURE), "-f", "json")
    standing = next(o for o in json.loads(result.out) if o["id"] == "test-standing-duty")
    assert standing["periods"][0]["duration"] == "PT72H"
    assert standing["periods"][1]["after"] == "notify"


def test_an_invalid_registry_option_names_the_file() -> None:
    result = run("upcoming", "--no-builtin", "--registry", "missing.yaml")
    assert result.code == 2
    assert result.err.startswith("missing.yaml: cannot read")


def test_internal_errors_exit_3_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import regtrack.cli.read

    def broken(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(regtrack.cli.read, "renderer", broken)
    result = run("upcoming", "--no-builtin", "--registry", str(FIXTURE), "--today", TODAY)
    assert result.code == ExitCode.INTERNAL
    assert "internal error: ZeroDivisionError: boom" in result.err
    assert "please report it" in result.err
    assert "Traceback" not in result.err


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import regtrack.cli.read

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(regtrack.cli.read, "renderer", interrupted)
    result = run("upcoming", "--no-builtin", "--registry", str(FIXTURE), "--today", TODAY)
    assert result.code == ExitCode.INTERRUPTED


def test_help_documents_the_exit_codes() -> None:
    result = run("--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "0 success; 1 a check found what it gates on; 2 usage error or invalid input" in text
    assert "130 interrupted" in text


@pytest.mark.parametrize("command", ["show", "init", "done", "diff", "validate", "clock"])
def test_help_paragraphs_fill_the_terminal(command: str) -> None:
    # A docstring's own line breaks must not survive into help: at 80 columns they left lines
    # of one or two words ("organisation" / "file, whether ...").
    result = run(command, "--help")
    assert result.code == 0
    description = result.out.split("Usage:", 1)[1].split("╭", 1)[0]
    paragraphs: list[list[str]] = [[]]
    for line in description.splitlines()[1:]:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    assert len(paragraphs) >= 2, description  # the summary, then at least one paragraph
    for lines in paragraphs:
        for line in lines[:-1]:  # every line but a paragraph's last is filled
            assert len(line.rstrip()) > 60, (command, line)


def test_version() -> None:
    from regtrack import __version__

    assert run("--version").out == f"regtrack {__version__} (built-in registry of 2026-12-04)\n"


def test_schema_is_json_schema_and_accepts_the_builtin_registry() -> None:
    import jsonschema
    import yaml

    result = run("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    jsonschema.Draft202012Validator.check_schema(schema)

    class PlainLoader(yaml.SafeLoader):
        """YAML 1.2 as editors read it: dates stay strings."""

    PlainLoader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    from regtrack.registry import builtin_path

    for path in (builtin_path(), FIXTURE):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=PlainLoader)
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    broken = yaml.load(FIXTURE.read_text(encoding="utf-8"), Loader=PlainLoader)
    broken["obligations"][0]["milestones"][0]["kind"] = "starts"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_python_dash_m_and_no_heavy_imports_for_json(tmp_path: Path) -> None:
    code = (
        "import sys, runpy; sys.argv = ['regtrack', 'upcoming', '--format', 'json', '--today', '2026-01-01'];"
        "\ntry:\n    runpy.run_module('regtrack', run_name='__main__')\nexcept SystemExit as e:\n"
        "    heavy = sorted(m for m in ('rich', 'icalendar', 'holidays', 'ruamel') if m in sys.modules)\n"
        "    print('EXIT', e.code, 'HEAVY', heavy, file=sys.stderr)"
    )
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert "EXIT 0 HEAVY []" in done.stderr, done.stderr
    assert isinstance(json.loads(done.stdout), list)


def test_read_commands_write_nothing(tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_bytes(FIXTURE.read_bytes())
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    for args in (
        ("upcoming",),
        ("list",),
        ("show", "test-year-review"),
        ("validate", str(registry)),
    ):
        extra = () if args[0] == "validate" else ("--no-builtin", "--registry", str(registry))
        assert run(*args, *extra).code == 0
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def test_stale_builtin_data_is_said_once_quietly_and_only_to_people() -> None:
    later = ("upcoming", "--today", "2028-01-10", "-w", "1d")
    told = run(*later, env={"CI": ""})
    assert told.code == 0
    assert told.err.count("regtrack: registry data as of ") == 1
    assert "upgrade regtrack for newer dates" in told.err
    for quiet in (
        run(*later, "-f", "json", env={"CI": ""}),  # machine-readable output
        run(*later, env={"CI": "true"}),  # a CI log
        run(*later, env={"CI": "", "REGTRACK_QUIET": "1"}),
        run("upcoming", "--today", "2026-12-10", "-w", "1d", env={"CI": ""}),  # fresh data
    ):
        assert quiet.code == 0 and "registry data as of" not in quiet.err


@pytest.mark.parametrize(
    "command",
    [("list", "-f", "json"), ("upcoming", "-f", "json", "--within", "15y"), ("export", "ics")],
)
def test_a_reader_that_stops_early_is_not_an_error(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """`regtrack ... | head`: a large output is written in pieces (issue 17), and the reader's
    going away mid-way must end the command quietly with 0, as it does for a small one (typer
    would turn the broken pipe into exit 1)."""
    registry = generated(tmp_path, 600)
    regtrack = str(Path(sys.executable).parent / "regtrack")
    args = [*command, "--no-builtin", "--registry", str(registry), "--today", "2026-11-27"]
    env = {**os.environ, "REGTRACK_CACHE_DIR": str(tmp_path / "cache")}
    assert len(subprocess.run([regtrack, *args], capture_output=True, env=env).stdout) > 2**17
    process = subprocess.Popen(
        [regtrack, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)  # more than a pipe holds is still to come
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""


@pytest.mark.parametrize("fmt", ["junit", "json", "github"])
def test_a_gate_whose_reader_stops_early_keeps_its_verdict(tmp_path: Path, fmt: str) -> None:
    """`regtrack check | head` in a CI job: the reader leaving ends the output, not the
    verdict; a failing check still exits 1 (it exited 0, and a `pipefail` job passed), and
    its --junit file is still written."""
    registry = generated(tmp_path, 1500)
    regtrack = str(Path(sys.executable).parent / "regtrack")
    junit = tmp_path / "junit.xml"
    args = ["check", "-f", fmt, "--junit", str(junit), "--no-builtin", "--registry",
            str(registry), "--all", "--today", "2026-11-27"]  # fmt: skip
    env = {**os.environ, "REGTRACK_CACHE_DIR": str(tmp_path / "cache")}
    whole = subprocess.run([regtrack, *args], capture_output=True, env=env)
    assert whole.returncode == 1 and len(whole.stdout) > 2**17
    junit.unlink()
    process = subprocess.Popen(
        [regtrack, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)  # more than a pipe holds is still to come
    process.stdout.close()
    assert process.wait(timeout=60) == 1
    assert process.stderr.read() == b""
    assert junit.stat().st_size > 2**17
