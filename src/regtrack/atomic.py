"""Safe file writes (STYLE.md, 6; issue 14): atomic, locked, and never turning what the user
had into something else.

- A crash or a kill mid-write leaves the previous file whole: the data goes to a temporary file
  beside the target, is flushed to disk, then renamed over it.
- A symlinked file is written where the link points (the link stays a link); the file keeps its
  mode and owner; a read-only file, a file with other hard links (a rename would split them) and
  anything that is not a regular file (a folder, a device, a FIFO) are refused, not replaced.
- Read-check-write sequences hold an exclusive lock on the file's folder (`locked`), so that
  concurrent writers (parallel `regtrack done` in CI) take turns instead of losing each other's
  records.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from regtrack.errors import ExitCode, RegtrackError

LOCK_TIMEOUT = 30.0  # seconds a writer waits for another to finish


class CannotWrite(RegtrackError):
    """An output file could not be written; the previous one, if any, is untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")


class DiskFull(CannotWrite):
    """The disk (or the quota) was full: the output could not be written, exit 4 as the README
    says, not an input error (issue 27)."""

    exit_code = ExitCode.OUTPUT


# The errors that mean "no room", whatever was asked: exit 4.
_NO_ROOM = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)}


def real_target(path: Path) -> Path:
    """The file a write to `path` changes: where a symlink (or a chain of them) points."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def is_stdout(path: Path) -> bool:
    """True when `path` is `-` or names this process's standard output (/dev/stdout)."""
    if str(path) == "-":
        return True
    try:
        given, out = path.stat(), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (given.st_dev, given.st_ino) == (out.st_dev, out.st_ino)


def _checked(path: Path, target: Path) -> os.stat_result | None:
    """The target's status, or None when it does not exist yet; CannotWrite for anything regtrack
    must not replace."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CannotWrite(path, error.strerror or str(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise CannotWrite(path, "it is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise CannotWrite(
            path, "it is not a regular file (a device, a FIFO or a socket); nothing written"
        )
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        target, os.W_OK
    ):
        raise CannotWrite(path, "it is read-only; nothing written")
    if info.st_nlink > 1:
        raise CannotWrite(
            path,
            f"it has {info.st_nlink} hard links, which replacing it would split; write to a "
            "copy, or remove the other links",
        )
    uid = getattr(os, "geteuid", None)
    if uid is not None and info.st_uid != uid() and uid() != 0:
        raise CannotWrite(path, "it belongs to another user, whose file it would become ours")
    return info


def write_atomic(
    path: Path, data: bytes | Iterable[bytes], *, unchanged_since: bytes | None = None
) -> None:
    """Write `data` (bytes, or pieces of them written as they come, so that a large export is
    never whole in memory) to a temporary file beside the target, flush it to disk, then rename
    it over the target (rename is atomic on POSIX and on Windows' os.replace); the folder is
    synced too. The target keeps its mode, owner and extended attributes (ACLs among them).
    With `unchanged_since`, the target is read once more just before the rename and the write
    is abandoned (ChangedOnDisk) if another program changed it meanwhile: the window in which
    an edit could be lost is the rename itself, not the whole write (issue 27)."""
    target = real_target(path)
    info = _checked(path, target)
    folder = target.parent
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:  # regtrack makes no folder: a typo would go unnoticed
        raise CannotWrite(path, f"there is no folder {folder} (make it first)") from None
    except OSError as error:
        raise CannotWrite(path, error.strerror or str(error)) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in (data,) if isinstance(data, bytes) else data:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file 0600; give it the mode the file had, or the usual 0666 - umask.
        temporary.chmod(info.st_mode & 0o7777 if info else 0o666 & ~_umask())
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):  # only root can give a file away
                os.chown(temporary, info.st_uid, info.st_gid)
        if info is not None:
            _copy_xattrs(target, temporary)
        if unchanged_since is not None and _current(target) != unchanged_since:
            raise ChangedOnDisk(path)
        temporary.replace(target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError):
            failure = DiskFull if error.errno in _NO_ROOM else CannotWrite
            raise failure(path, error.strerror or str(error)) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


class ChangedOnDisk(RegtrackError):
    """The file changed on disk between reading and writing it; nothing was written."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed on disk while regtrack was writing it; nothing written")


def _current(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except OSError:
        return None


def _copy_xattrs(source: Path, destination: Path) -> None:
    """The extended attributes of `source` on `destination` (POSIX ACLs are kept as
    `system.posix_acl_access`): a rename would otherwise drop them. What may not be copied
    (a `security.` attribute without the right) is left."""
    names = getattr(os, "listxattr", None)
    if names is None:  # not Linux
        return
    try:
        attributes = names(source)
    except OSError:
        return
    for name in attributes:
        with contextlib.suppress(OSError):
            os.setxattr(destination, name, os.getxattr(source, name))


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock for read-check-write of `path`, held on its folder (a lock on the file
    itself would not survive the rename that replaces it). Where locks are not available
    (Windows), no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    folder = real_target(path).parent
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise CannotWrite(path, error.strerror or str(error)) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise CannotWrite(
                        path, f"another regtrack has been writing it for {timeout:.0f} s"
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
