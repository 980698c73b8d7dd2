"""Atomic file writes: a crash or a kill mid-write leaves the previous file whole (STYLE.md, 6)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from regtrack.errors import RegtrackError


class CannotWrite(RegtrackError):
    """An output file could not be written; the previous one, if any, is untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over
    `path` (rename is atomic on POSIX and on Windows' os.replace); the folder is synced too."""
    folder = path.parent
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise CannotWrite(path, error.strerror or str(error)) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file 0600; give it the mode the file had, or the usual 0666 - umask.
        temporary.chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        temporary.replace(path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError):
            raise CannotWrite(path, error.strerror or str(error)) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
