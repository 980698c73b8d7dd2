"""A consultancy's Monday at scale (issue 25): `regtrack check` across a portfolio of N clients of
the built-in registry, against N single runs (`regtrack check --config clients/X/regtrack.yaml`,
what a shell loop over the clients did before portfolios), as whole processes; and how the
portfolio run grows with N.

Usage: .venv/bin/python bench/portfolio.py [--clients 50,100,200] [--runs 3]
Each timing is the median of the runs (the N single runs are timed once in all, per round);
the clients cycle through six profiles (French clinics, an NHS trust, an AI device maker, a
German hospital, a Dutch insurer), each with its own organisation file made by `regtrack init`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGTRACK = str(Path(sys.executable).parent / "regtrack")
PROFILES = [
    ("FR", ("controller", "deployer")),
    ("FR", ("controller",)),
    ("UK", ("controller", "healthcare-provider")),
    ("FR", ("provider", "manufacturer")),
    ("DE", ("controller", "essential-entity")),
    ("NL", ("controller", "financial-entity")),
]
TODAY = ["--today", "2026-12-07"]


def portfolio(folder: Path, count: int, env: dict[str, str]) -> list[str]:
    """A portfolio of `count` clients in `folder`; the clients' names."""
    (folder / ".git").mkdir()
    names, entries = [], []
    for index in range(count):
        name = f"client-{index:03d}"
        place, roles = PROFILES[index % len(PROFILES)]
        own = folder / "clients" / name
        own.mkdir(parents=True)
        subprocess.run(
            [REGTRACK, "init", "-o", str(own / "regtrack.yaml"), "--name", name, "-j", place,
             *[w for role in roles for w in ("--role", role)], "--sector", "health"],
            check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        names.append(name)
        entries.append(f"  - {{name: {name}, config: clients/{name}/regtrack.yaml}}\n")
    (folder / "portfolio.yaml").write_text("schema: 1\nclients:\n" + "".join(entries), "utf-8")
    return names


def timed(argv: list[str], folder: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="50,100,200")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="regtrack-portfolio-"))
    env = {**os.environ, "REGTRACK_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(
        "| clients | `check` across the portfolio, ms | N single runs, ms | ratio | ms per client |"
    )
    print("|---:|---:|---:|---:|---:|")
    for count in (int(c) for c in options.clients.split(",")):
        folder = work / f"p{count}"
        folder.mkdir()
        names = portfolio(folder, count, env)
        across = [REGTRACK, "check", "--exit-zero", *TODAY]
        timed(across, folder, env)  # warm the parse cache
        whole, single = [], []
        for _ in range(options.runs):
            whole.append(timed(across, folder, env))
            start = time.perf_counter()
            for name in names:
                timed([REGTRACK, "check", "--exit-zero", *TODAY, "--config",
                       f"clients/{name}/regtrack.yaml"], folder, env)  # fmt: skip
            single.append(time.perf_counter() - start)
        a, b = statistics.median(whole) * 1000, statistics.median(single) * 1000
        print(f"| {count} | {a:,.0f} | {b:,.0f} | {b / a:.1f} | {a / count:.1f} |", flush=True)


if __name__ == "__main__":
    main()
