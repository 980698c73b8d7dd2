"""The files a run read as its inputs (issue 27): no output of the run may replace one.

Kept by device and inode, so that `./regtrack.yaml`, a symbolic link to it and a hard link are
the same file. Cleared at the start of every command (regtrack.cli.app), so that a process that
runs several commands (a test suite, an embedding program) never carries one run's inputs into
the next."""

from __future__ import annotations

READ: set[tuple[int, int]] = set()


def clear() -> None:
    """Forget the inputs of the previous command."""
    READ.clear()
