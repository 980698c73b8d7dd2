"""Whole-process start-up timings of regtrack against the import floor.

Usage: .venv/bin/python bench/startup.py [--runs N]
Runs each command N times (after one warm-up), prints medians and the ratio of each regtrack
command to the floor it is measured against (README, "Performance"; issue #8 targets).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
REGTRACK = str(Path(PY).parent / "regtrack")
TODAY = ["--today", "2026-11-27"]

FLOORS = {
    "python -c pass": [PY, "-c", "pass"],
    "import typer": [PY, "-c", "import typer"],
    "import typer, rich.console": [PY, "-c", "import typer, rich.console"],
}
COMMANDS = {
    "regtrack upcoming": ([REGTRACK, "upcoming", *TODAY], "import typer, rich.console"),
    "regtrack upcoming --format json": (
        [REGTRACK, "upcoming", "--format", "json", *TODAY],
        "import typer",
    ),
    "regtrack list --format json": ([REGTRACK, "list", "--format", "json", *TODAY], "import typer"),
    "regtrack validate": ([REGTRACK, "validate"], "import typer"),
}


def median_seconds(argv: list[str], runs: int) -> float:
    """The median wall time of `runs` runs of argv (one warm-up run first)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    times = []
    for index in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        if index:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print a Markdown table of medians and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    floors = {name: median_seconds(argv, runs) for name, argv in FLOORS.items()}
    print(f"{runs} runs each, medians; Python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    print("| command | median (ms) | floor | ratio |")
    print("|---|---:|---|---:|")
    for name, seconds in floors.items():
        print(f"| `{name}` | {seconds * 1000:.1f} | | |")
    for name, (argv, floor) in COMMANDS.items():
        seconds = median_seconds(argv, runs)
        print(f"| `{name}` | {seconds * 1000:.1f} | `{floor}` | {seconds / floors[floor]:.2f} |")


if __name__ == "__main__":
    main()
