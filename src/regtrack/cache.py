"""A parse cache for registry files, so that a large registry is read in milliseconds the second
time. Its invalidation is exact: an entry holds the file's path and bytes, regtrack's version and
Python's, and is used only when all of them are equal to the file being read, byte for byte, so
any change to the file (or to regtrack) misses the cache. There is one entry per file (named by a
checksum of its path and the versions; hashlib, at several milliseconds to import, is not needed
for that): a changed file replaces its entry, so the cache does not grow with every edit.

Entries live in REGTRACK_CACHE_DIR, else $XDG_CACHE_HOME/regtrack, else ~/.cache/regtrack, written
atomically; REGTRACK_NO_CACHE=1 turns the cache off. A missing, unreadable or corrupt entry is
simply parsed again: the cache can make regtrack faster, never wrong. It is the only thing a read
command writes, and never beside the user's files. Entries hold pickles: the folder must be the
user's own (as ~/.cache is), since loading a pickle runs code.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from regtrack import __version__

T = TypeVar("T")
_FORMAT = 3
_MAGIC = b"regtrack parse cache\n"


def folder() -> Path | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("REGTRACK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("REGTRACK_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(base) / "regtrack" if base else Path.home() / ".cache" / "regtrack"


def _label(name: str, reading: str = "") -> bytes:
    """What an entry depends on besides the file's bytes: the file's path, how it was read
    (the kind of file asked for), regtrack's version and Python's."""
    parts = (str(_FORMAT), __version__, sys.version, reading, name)
    return "\0".join(parts).encode("utf-8", "surrogateescape")


def key(name: str, reading: str = "") -> str:
    """The entry's file name: a checksum of the path and versions (the entry itself holds them
    in full, and they are compared before use)."""
    return f"{zlib.crc32(_label(name, reading)):08x}"


def _prefix(name: str, data: bytes, reading: str = "") -> bytes:
    """The start of an entry, up to the file's bytes: the magic, the label and the lengths."""
    label = _label(name, reading)
    return b"%s%d\n%s%d\n" % (_MAGIC, len(label), label, len(data))


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while unpickling: the tens of thousands of new objects would
    otherwise trigger collections that find nothing (a third of the load time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lookup(entry: Path, prefix: bytes, data: bytes) -> tuple[bool, object]:
    """(True, value) when `entry` was made from exactly `prefix` and `data`, else (False, None)."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return False, None
    end = len(prefix) + len(data)
    view = memoryview(blob)
    if view[: len(prefix)] != prefix or view[len(prefix) : end] != data:
        return False, None
    # The C unpickler itself: the pure-Python `pickle` module wraps the same function but costs
    # a couple of milliseconds to import, at every start.
    try:
        from _pickle import loads
    except ImportError:  # a Python without the accelerator
        from pickle import loads
    with _no_gc():
        return True, loads(view[end:])


def cached(name: str, data: bytes, build: Callable[[], tuple[T, bool]], reading: str = "") -> T:
    """The value for (`name`, `data`, `reading`) from the cache, else `build()`; `build` says
    whether its value may be kept (a file with problems is not). `reading` names what the value
    is (the kind of file read), so one reading's value is never handed to another."""
    where = folder()
    entry = where / f"{key(name, reading)}.pickle" if where else None
    prefix = _prefix(name, data, reading)
    if entry is not None:
        with contextlib.suppress(Exception):  # a bad entry is a miss, never an error
            found, value = _lookup(entry, prefix, data)
            if found:
                return value  # type: ignore[return-value]
    built, keep = build()
    if entry is not None and keep:
        import pickle

        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        with contextlib.suppress(OSError, pickle.PicklingError):
            entry.parent.mkdir(parents=True, exist_ok=True)
            payload = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                temporary.write_bytes(b"".join((prefix, data, payload)))
                temporary.replace(entry)
            finally:
                temporary.unlink(missing_ok=True)
    return built
