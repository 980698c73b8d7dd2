"""Whole-process benchmarks of regtrack: start-up against the import floor, and the main commands
on synthetic registries of 100, 1,000 and 10,000 obligations, with a cold and a warm parse cache.

Usage: .venv/bin/python bench/run.py [--runs N] [--sizes 100,1000,10000|none] > bench/RESULTS.md
Each timing is the median of N whole runs (after one warm-up for warm-cache rows).
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
sys.path.insert(0, str(HERE))

from generate import registry  # noqa: E402

PY = sys.executable
REGTRACK = str(Path(PY).parent / "regtrack")
TODAY = ["--today", "2026-11-27"]


def run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def median(
    argv: list[str], runs: int, env: dict[str, str], cold_cache: Path | None = None
) -> float:
    times = []
    if cold_cache is None:
        run(argv, env)  # warm-up: fills the parse cache and the OS file cache
    for _ in range(runs):
        if cold_cache is not None:
            shutil.rmtree(cold_cache, ignore_errors=True)
        times.append(run(argv, env))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--sizes", default="100,1000,10000")
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

    print("\n## Synthetic registries\n")
    print("| obligations | command | cold cache ms | warm cache ms |")
    print("|---:|---|---:|---:|")
    warm_upcoming: dict[int, float] = {}
    for size in sizes:
        path = work / f"registry-{size}.yaml"
        path.write_text(registry(size), encoding="utf-8")
        commands = {
            "upcoming": ["upcoming", *TODAY],
            "upcoming --no-overdue": ["upcoming", "--no-overdue", *TODAY],
            "list --format json": ["list", "-f", "json", *TODAY],
            "check --exit-zero": ["check", "--exit-zero", *TODAY],
            "export ics": ["export", "ics", *TODAY],
            "validate": ["validate", str(path)],
        }
        for name, args in commands.items():
            argv = (
                [REGTRACK, *args]
                if name == "validate"
                else [REGTRACK, *args, "--no-builtin", "--registry", str(path)]
            )
            cold = median(
                argv, max(1, min(runs, 3) if size >= 10000 else runs), env, cold_cache=cache
            )
            warm = median(argv, runs, env)
            if name == "upcoming":
                warm_upcoming[size] = warm
            print(f"| {size:,} | `{name}` | {cold * 1000:.0f} | {warm * 1000:.0f} |")
    if 1000 in warm_upcoming and 10000 in warm_upcoming:
        ratio = warm_upcoming[10000] / warm_upcoming[1000]
        print(f"\n`upcoming`, 10,000 / 1,000 obligations (warm): {ratio:.1f} (target at most 10).")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
