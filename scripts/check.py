"""Every check CI runs, in one command: formatting, lint, types, the built-in registry's
validation and the tests. Run it in the project environment: `.venv/bin/python scripts/check.py`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

STEPS = [
    [str(BIN / "ruff"), "format", "--check", "src", "tests", "scripts", "bench"],
    [str(BIN / "ruff"), "check", "src", "tests", "scripts", "bench"],
    [str(BIN / "mypy")],
    [str(BIN / "regtrack"), "validate", "--strict", "data/obligations.yaml"],
    # every core (two on CI): the tests are independent, each in a folder of its own
    [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "auto"],
]


def main() -> int:
    """Run each step; stop at the first that fails, with its exit code."""
    for step in STEPS:
        print(
            "$",
            " ".join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step)),
            flush=True,
        )
        done = subprocess.run(step, cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"check failed: {' '.join(step)} (exit {done.returncode})", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
