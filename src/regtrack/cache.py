"""A parse cache for registry files, so that a large registry is read in milliseconds the second
time. Its invalidation is exact: an entry holds the file's path and bytes, how it was read (the
kind of file asked for), regtrack's version and Python's, and is used only when all of them are
equal to the file being read, byte for byte, so any change to the file (or to regtrack) misses
the cache. There is one entry per file and reading (named by a checksum of the path, the reading
and the versions; hashlib, at several milliseconds to import, is not needed for that): a changed
file replaces its entry, so the cache does not grow with every edit.

Entries live in REGTRACK_CACHE_DIR, else $XDG_CACHE_HOME/regtrack, else ~/.cache/regtrack;
REGTRACK_NO_CACHE=1 turns the cache off. A missing, unreadable or corrupt entry is simply parsed
again: the cache can make regtrack faster, never wrong. It is the only thing a read command
writes, and never beside the user's files.

Nothing in an entry can run code (issue 14): entries are JSON of regtrack's own values, read by a
decoder that only builds data (regtrack.cache_format). The folder is created 0700 and used only
when it is a real folder owned by the user and writable by nobody else; otherwise regtrack warns
once and does without. Entries are written under unpredictable temporary names created
exclusively (never through a planted link) and renamed into place; they are read without
following links.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from regtrack import __version__

T = TypeVar("T")
_FORMAT = 12  # 12: the grammar of instants, regions and durations (issue 28); 11: nulls (29)
_MAGIC = b"regtrack parse cache\n"
_SUFFIX = ".json"
_warned: set[str] = set()


def folder() -> Path | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("REGTRACK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("REGTRACK_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(base) / "regtrack" if base else Path.home() / ".cache" / "regtrack"


def _warn(where: Path, why: str) -> None:
    """One line on stderr, once per folder and process: the cache is off, and why."""
    if str(where) in _warned:
        return
    _warned.add(str(where))
    shown = ascii(str(where))[1:-1]
    sys.stderr.write(f"regtrack: warning: not using the parse cache in {shown}: {why}\n")


def _owned(info: os.stat_result) -> bool:
    uid = getattr(os, "geteuid", None)
    return uid is None or info.st_uid == uid()


def usable(where: Path, create: bool) -> bool:
    """Whether `where` may hold entries: a real folder (not a link), the user's own, writable by
    nobody else. With `create`, a missing folder is made, 0700."""
    try:
        info = os.lstat(where)
    except FileNotFoundError:
        if not create:
            return False
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            where.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
        return usable(where, create=False)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        _warn(where, "it is not a folder (a link or a file)")
        return False
    if not _owned(info):
        _warn(where, "it belongs to another user")
        return False
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        _warn(where, "others may write to it (chmod 700 it to use it)")
        return False
    return True


def _label(name: str, reading: str = "") -> bytes:
    """What an entry depends on besides the file's bytes: the file's path, how it was read
    (the kind of file asked for), regtrack's version and Python's."""
    parts = (str(_FORMAT), __version__, sys.version, reading, name)
    return "\0".join(parts).encode("utf-8", "surrogateescape")


def key(name: str, reading: str = "") -> str:
    """The entry's file name: a checksum of the path, reading and versions (the entry itself
    holds them in full, and they are compared before use)."""
    return f"{zlib.crc32(_label(name, reading)):08x}"


def _prefix(name: str, data: bytes, reading: str = "") -> bytes:
    """The start of an entry, up to the file's bytes: the magic, the label and the lengths."""
    label = _label(name, reading)
    return b"%s%d\n%s%d\n" % (_MAGIC, len(label), label, len(data))


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while decoding: the tens of thousands of new objects would
    otherwise trigger collections that find nothing (a third of the load time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_entry(entry: Path) -> bytes | None:
    """An entry's bytes, read without following a link and only from a regular file of ours."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(entry, flags)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or not _owned(info):
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    except OSError:
        return None
    finally:
        os.close(handle)


def _lookup(entry: Path, prefix: bytes, data: bytes) -> tuple[bool, object]:
    """(True, value) when `entry` was made from exactly `prefix` and `data`, else (False, None)."""
    return matched(_read_entry(entry), prefix, data)


def matched(
    blob: bytes | None,
    prefix: bytes,
    data: bytes,
    read: Callable[[memoryview], object] | None = None,
) -> tuple[bool, object]:
    """(True, value) when `blob` is `prefix`, `data` and a value that `read` (the cache's
    JSON, regtrack.cache_format.loads, unless given) makes of the rest, else (False, None);
    regtrack.cache_format.Corrupt when the value is not one the format writes."""
    # startswith compares in C without copying: a fraction of a millisecond for megabytes
    if blob is None or not blob.startswith(prefix) or not blob.startswith(data, len(prefix)):
        return False, None
    from regtrack.cache_format import loads

    with _no_gc():
        return True, (read or loads)(memoryview(blob)[len(prefix) + len(data) :])


def cached(name: str, data: bytes, build: Callable[[], tuple[T, bool]], reading: str = "") -> T:
    """The value for (`name`, `data`, `reading`) from the cache, else `build()`; `build` says
    whether its value may be kept (a file with problems is not). `reading` names what the value
    is (the kind of file read), so one reading's value is never handed to another."""
    where = folder()
    entry = where / f"{key(name, reading)}{_SUFFIX}" if where else None
    prefix = _prefix(name, data, reading)
    if entry is not None and where is not None and usable(where, create=False):
        with contextlib.suppress(Exception):  # a bad entry is a miss, never an error
            found, value = _lookup(entry, prefix, data)
            if found:
                return value  # type: ignore[return-value]
    built, keep = build()
    if entry is not None and where is not None and keep and usable(where, create=True):
        _store(entry, b"".join((prefix, data)), built)
    return built


def _store(entry: Path, head: bytes, value: object) -> None:
    """Write an entry under a fresh, unpredictable name, then rename it into place (a link
    planted at the entry's name is replaced, never followed)."""
    import tempfile

    from regtrack.cache_format import dumps

    try:
        payload = dumps(value)
    except (TypeError, ValueError, RecursionError):
        return
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(
            prefix=entry.stem + ".", suffix=".tmp", dir=entry.parent
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(head)
                stream.write(payload)
            Path(temporary).replace(entry)
        finally:
            Path(temporary).unlink(missing_ok=True)
