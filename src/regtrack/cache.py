"""A parse cache for registry files, so that a large registry is read in milliseconds the second
time. Its invalidation is exact: an entry holds the file's path and bytes, regtrack's version and
Python's, and is used only when all of them are equal to the file being read, byte for byte, so
any change to the file (or to regtrack) misses the cache. (Entries are named by a checksum;
hashlib, at several milliseconds to import, is not needed for that.)

Entries live in REGTRACK_CACHE_DIR, else $XDG_CACHE_HOME/regtrack, else ~/.cache/regtrack, written
atomically; REGTRACK_NO_CACHE=1 turns the cache off. A missing, unreadable or corrupt entry is
simply parsed again: the cache can make regtrack faster, never wrong. It is the only thing a read
command writes, and never beside the user's files. Entries are pickles: the folder must be the
user's own (as ~/.cache is), since loading a pickle runs code.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from regtrack import __version__

T = TypeVar("T")
_FORMAT = 1


def folder() -> Path | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("REGTRACK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("REGTRACK_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(base) / "regtrack" if base else Path.home() / ".cache" / "regtrack"


def _header(name: str) -> tuple[int, str, str, str]:
    return (_FORMAT, __version__, sys.version, name)


def key(name: str, data: bytes) -> str:
    """The entry's file name (a checksum: entries are compared in full before use)."""
    label = "\0".join(str(part) for part in _header(name)).encode("utf-8")
    return f"{zlib.crc32(label):08x}-{zlib.crc32(data):08x}-{len(data)}"


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


def cached(name: str, data: bytes, build: Callable[[], tuple[T, bool]]) -> T:
    """The value for (`name`, `data`) from the cache, else `build()`; `build` says whether its
    value may be kept (a file with problems is not)."""
    where = folder()
    entry = where / f"{key(name, data)}.pickle" if where else None
    if entry is not None:
        with contextlib.suppress(Exception):  # a bad entry is a miss, never an error
            with entry.open("rb") as handle:
                value: T = pickle.load(handle)
            return value
    value, keep = build()
    if entry is not None and keep:
        with contextlib.suppress(OSError, pickle.PicklingError):
            entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(entry)
    return value
