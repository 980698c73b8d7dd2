"""Whole-process benchmarks of regtrack: start-up against the import floor, and the main commands
on synthetic registries of 1,000, 10,000 and 100,000 obligations (split into files of 10,000),
with a cold and a warm parse cache, their peak RSS, and the floors of bench/floors.py (what
libyaml, the standard library's JSON encoder and icalendar take for the same work), all
measured in the same interleaved rounds.

Usage: .venv/bin/python bench/run.py [--runs N] [--sizes 1000,10000,100000|none]
Each timing is the median of N whole runs (3 at 100,000), after one warm-up for warm-cache
rows; peak RSS is the largest of the runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


PY = sys.executable
REGTRACK = str(Path(PY).parent / "regtrack")
FLOORS = HERE / "floors.py"
TODAY = ["--today", "2026-11-27"]


def run(argv: list[str], env: dict[str, str]) -> float:
    return measure(argv, env)[0]


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """One whole run: wall-clock seconds, and the process's peak resident memory in bytes
    (its own rusage, from wait4: not the largest of every child so far)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--sizes", default="1000,10000,100000")
    options = parser.parse_args()
    runs = options.runs
    sizes = [int(s) for s in options.sizes.split(",") if s.strip() and s.strip() != "none"]
    work = Path(tempfile.mkdtemp(prefix="regtrack-bench-"))
    cache = work / "cache"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "REGTRACK_CACHE_DIR": str(cache)}
    env.pop("REGTRACK_CONFIG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: bytecode is cached

    print("# regtrack benchmarks\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}."
    )
    print(
        f"Command: `.venv/bin/python bench/run.py --runs {runs} --sizes {options.sizes}`. "
        f"Medians of {runs} whole-process runs, in milliseconds.\n"
    )

    floors = {
        "python -c pass": [PY, "-c", "pass"],
        "python -c 'import typer'": [PY, "-c", "import typer"],
        "python -c 'import typer, rich.console'": [PY, "-c", "import typer, rich.console"],
        # Not a target: the floors pay CPython's last full garbage collection at exit (~15 ms),
        # which regtrack skips (gc.freeze, regtrack/cli/__init__.py). These rows show the ratio
        # against floors that skip it too, so that nothing is hidden in the comparison.
        "python -c 'import gc, typer; gc.freeze()'": [
            PY,
            "-c",
            "import gc, typer; gc.freeze()",
        ],
        "python -c 'import gc, typer, rich.console; gc.freeze()'": [
            PY,
            "-c",
            "import gc, typer, rich.console; gc.freeze()",
        ],
    }
    rows = [
        (
            "regtrack upcoming",
            [REGTRACK, "upcoming", *TODAY],
            "python -c 'import typer, rich.console'",
        ),
        (
            "regtrack upcoming --format json",
            [REGTRACK, "upcoming", "-f", "json", *TODAY],
            "python -c 'import typer'",
        ),
        (  # issue 18: the digest's formats and delivery load only when it runs
            "regtrack digest",
            [REGTRACK, "digest", *TODAY],
            "python -c 'import typer'",
        ),
    ]
    # Interleaved: each round runs every floor and command once, so that drift on a shared
    # machine hits all of them alike; medians over the rounds.
    everything = {**floors, **{name: argv for name, argv, _ in rows}}
    for argv in everything.values():
        run(argv, env)  # warm-up: the parse cache, bytecode, the OS file cache
    samples: dict[str, list[float]] = {name: [] for name in everything}
    for _ in range(max(runs, 21)):
        for name, argv in everything.items():
            samples[name].append(run(argv, env))
    value = {name: statistics.median(times) for name, times in samples.items()}
    print(f"## Start-up (built-in registry, warm cache; {max(runs, 21)} interleaved rounds)\n")
    print("| command | median ms | floor | ratio | target |")
    print("|---|---:|---|---:|---:|")
    for name in floors:
        print(f"| `{name}` | {value[name] * 1000:.0f} | | | |")
    for name, _, against in rows:
        ratio = value[name] / value[against]
        print(f"| `{name}` | {value[name] * 1000:.0f} | `{against}` | {ratio:.2f} | 1.30 |")
    without_exit_collection = {
        "python -c 'import typer'": "python -c 'import gc, typer; gc.freeze()'",
        "python -c 'import typer, rich.console'": (
            "python -c 'import gc, typer, rich.console; gc.freeze()'"
        ),
    }
    for name, _, against in rows:
        frozen = without_exit_collection[against]
        ratio = value[name] / value[frozen]
        print(f"| `{name}` | {value[name] * 1000:.0f} | `{frozen}` | {ratio:.2f} | (none) |")
    if not sizes:
        return

    os.chdir(work)  # SARIF places results in files under the working folder: the registries'
    for size in sizes:
        scale(size, runs, work, env)
    shutil.rmtree(work, ignore_errors=True)


# Obligations per file: a generated registry of 10,000 is ~8 MB, under the 16 MiB a file may
# be (regtrack.registry.MAX_FILE_BYTES); larger registries are split, as a user would split them.
PER_FILE = 10_000


def scale(size: int, runs: int, work: Path, env: dict[str, str]) -> None:
    """Every command on one generated registry, warm and cold, with the floors of issue 17, all
    in interleaved rounds; medians of the times, the largest peak RSS."""
    parts = -(-size // PER_FILE)
    # Generated by a child process, and no output is ever read into this one: a child's peak
    # RSS as wait4 reports it starts from the highest its parent ever reached, so this process
    # must stay small (holding the generated registries and the warm-up outputs, it made every
    # command at 100,000 obligations seem to need over 500 MB). Its own is ~30 MB.
    prefix = work / f"registry-{size}"
    subprocess.run([PY, str(HERE / "generate.py"), str(size), str(parts), str(prefix)], check=True)
    files = [f"{prefix}-{index}.yaml" for index in range(parts)]
    given = ["--no-builtin"] + [arg for f in files for arg in ("--registry", f)]
    commands = {
        "upcoming": ["upcoming", *TODAY],
        "upcoming --no-overdue": ["upcoming", "--no-overdue", *TODAY],
        "upcoming --format json": ["upcoming", "-f", "json", *TODAY],
        "list --format json": ["list", "-f", "json", *TODAY],
        "check --exit-zero": ["check", "--exit-zero", *TODAY],
        "export ics": ["export", "ics", *TODAY],
        "validate": ["validate"],
        # the other outputs, for their time and memory at scale
        "list": ["list", *TODAY],
        "list --format csv": ["list", "-f", "csv", *TODAY],
        "check --format sarif": ["check", "--exit-zero", "-f", "sarif", *TODAY],
        "check --format junit": ["check", "--exit-zero", "-f", "junit", *TODAY],
        "timeline": ["timeline", *TODAY],
        "report": ["report", "-o", str(work / f"report-{size}.html"), *TODAY],
        "digest": ["digest", *TODAY],
    }
    argv = {
        name: [REGTRACK, *args, *(files if name == "validate" else given)]
        for name, args in commands.items()
    }
    listed = work / f"list-{size}.json"  # the floors' input: regtrack's own JSON of the registry
    with listed.open("wb") as out:
        subprocess.run(argv["list --format json"], stdout=out, env=env, check=True)
    floors = {
        "compose floor (libyaml nodes, no resolver)": [PY, str(FLOORS), "compose", *files],
        "yaml.load(CSafeLoader)": [PY, str(FLOORS), "csafe", *files],
        "json.dumps(indent=2) of the list": [PY, str(FLOORS), "json", str(listed)],
        "icalendar render of the milestones": [PY, str(FLOORS), "icalendar", str(listed)],
    }
    cold = ["upcoming", "upcoming --format json", "validate"]  # the parse is the same for all
    rows: list[tuple[str, str, list[str], dict[str, str]]] = []
    for name in commands:
        rows.append((name, "warm", argv[name], env))
    for name in cold:
        folder = work / f"cold-{size}-{name.replace(' ', '-')}"
        rows.append((name, "cold", argv[name], {**env, "REGTRACK_CACHE_DIR": str(folder)}))
    for name, floor in floors.items():
        rows.append((name, "floor", floor, env))
    for _, kind, command, environment in rows:
        if kind == "warm":  # fills the parse cache and the OS file cache
            done = subprocess.run(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment
            )
            if done.returncode != 0:  # a benchmark of an error message would measure nothing
                raise SystemExit(f"{' '.join(command)}: exit {done.returncode}: {done.stderr!r}")
    rounds = runs if size < 100_000 else min(runs, 3)
    times: dict[tuple[str, str], list[float]] = {(n, k): [] for n, k, _, _ in rows}
    peaks: dict[tuple[str, str], int] = {(n, k): 0 for n, k, _, _ in rows}
    for _ in range(rounds):
        for name, kind, command, environment in rows:
            if kind == "cold":
                shutil.rmtree(environment["REGTRACK_CACHE_DIR"], ignore_errors=True)
            elapsed, peak = measure(command, environment)
            times[name, kind].append(elapsed)
            peaks[name, kind] = max(peaks[name, kind], peak)
    value = {key: statistics.median(samples) for key, samples in times.items()}

    def ms(key: tuple[str, str]) -> str:
        return f"{value[key] * 1000:,.0f}"

    def mb(key: tuple[str, str]) -> str:
        return f"{peaks[key] / 1e6:,.0f}"

    print(f"\n## {size:,} obligations ({parts} file{'s' if parts > 1 else ''}, {rounds} rounds)\n")
    print("| command | cache | median ms | peak RSS MB |")
    print("|---|---|---:|---:|")
    for name, kind, _, _ in rows:
        label = f"`regtrack {name}`" if kind != "floor" else f"floor: {name}"
        print(
            f"| {label} | {kind if kind != 'floor' else ''} | {ms((name, kind))} | {mb((name, kind))} |"
        )
    json_warm = ("upcoming --format json", "warm")
    ratios = [
        (
            "`export ics` / warm `upcoming --format json`",
            ("export ics", "warm"),
            json_warm,
            "4 at 10,000",
        ),
        (
            "`list --format json` / warm `upcoming --format json`",
            ("list --format json", "warm"),
            json_warm,
            "2 at 10,000",
        ),
        (
            "cold `validate` / `yaml.load(CSafeLoader)`",
            ("validate", "cold"),
            ("yaml.load(CSafeLoader)", "floor"),
            "0.25 at 10,000",
        ),
        (
            "cold `validate` / compose floor",
            ("validate", "cold"),
            ("compose floor (libyaml nodes, no resolver)", "floor"),
            "",
        ),
        (
            "`export ics` / icalendar render",
            ("export ics", "warm"),
            ("icalendar render of the milestones", "floor"),
            "",
        ),
        (
            "`list --format json` / `json.dumps(indent=2)`",
            ("list --format json", "warm"),
            ("json.dumps(indent=2) of the list", "floor"),
            "",
        ),
    ]
    print("\n| ratio | value | target |")
    print("|---|---:|---|")
    for label, numerator, denominator, target in ratios:
        print(f"| {label} | {value[numerator] / value[denominator]:.2f} | {target} |")
    largest = max((peaks[n, k], n, k) for n, k, _, _ in rows if k != "floor")
    print(
        f"\nLargest peak RSS of a regtrack command: {largest[0] / 1e6:,.0f} MB "
        f"(`{largest[1]}`, {largest[2]} cache)."
    )


if __name__ == "__main__":
    main()
