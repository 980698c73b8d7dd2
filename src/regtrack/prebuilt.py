"""The built-in registry, parsed when the package is built (issue 29).

The wheel carries `regtrack/data/obligations.prebuilt` beside `obligations.yaml`, laid out as a
parse cache entry is (regtrack.cache): a line naming the format and regtrack's version, the YAML
it was made from, whole, and the document the reader makes of it, in the cache's data format
(values a decoder can only build regtrack's types from, regtrack.cache_format). A default run
reads it instead of parsing the YAML, so it never reads or writes a cache under the user's home
(the source of the cache's two incidents: pickles that could run code, a crash importing
orjson).

The document's lists, text and numbers are written with marshal, not JSON as a cache entry's
are: the file is part of the installed package, which only who may change its code can write
(a cache folder is not), and marshal reads them in a third of JSON's time, 1.5 ms of a 100 ms
start (issue 29). What marshal reads still goes through the same decoder, which can build
nothing but regtrack's values. The header names marshal's format version; a file written in
another is not used.

It is used only when its YAML is byte for byte the one beside it (compared in C on every run,
as cache entries are: a hash would import OpenSSL, 4 ms of a 120 ms start) and it was written
by this version in this format; anything else, a source checkout without it included, parses
the YAML as before, and no user cache is touched for the built-in registry either way.
hatch_build.py writes it; tests/test_prebuilt.py checks that it reads back equal to the parse
of its YAML.
"""

from __future__ import annotations

from pathlib import Path

from regtrack.kinds import Document

NAME = "obligations.prebuilt"
# Where the document's own file name stands in the built file: the path the YAML has when the
# package is built is not the one it has where it is installed.
_PLACEHOLDER = "\0builtin\0"


def _header(data: bytes) -> bytes:
    """The line before the YAML: the format, marshal's, the version, and the YAML's length."""
    import marshal

    from regtrack import __version__
    from regtrack.cache import _FORMAT

    return f"regtrack-prebuilt {_FORMAT} m{marshal.version} {__version__} {len(data)}\n".encode(
        "ascii"
    )


def build(data: bytes) -> bytes:
    """The built file for the built-in registry's YAML bytes; ValueError if they have problems
    (a package is never built with a registry `validate` refuses)."""
    import marshal

    from regtrack.cache_format import encoded
    from regtrack.kinds import FileKind
    from regtrack.parse import read_document
    from regtrack.registry import decode

    document = read_document(decode(data, _PLACEHOLDER), _PLACEHOLDER, FileKind.REGISTRY)
    if document.problems or document.kind is not FileKind.REGISTRY:
        first = document.problems[0] if document.problems else None
        raise ValueError(f"the built-in registry has problems: {first}")
    return _header(data) + data + marshal.dumps(encoded(document))


def load(path: Path, data: bytes) -> Document | None:
    """The built document for the YAML at `path` whose bytes are `data`, with `path` as its
    file; None when there is none beside it, or it was made from other bytes, by another
    version or in another format, or is corrupt."""
    import marshal

    from regtrack.cache import matched
    from regtrack.cache_format import built

    try:
        found, document = matched(
            path.with_name(NAME).read_bytes(),
            _header(data),
            data,
            lambda rest: built(marshal.loads(rest)),
        )
    except (OSError, EOFError, ValueError, TypeError, RecursionError):  # Corrupt is a ValueError
        return None
    if not found or not isinstance(document, Document):
        return None
    return relocated(document, str(path))


def relocated(document: Document, file: str) -> Document:
    """`document` as read from `file` (each obligation names its file, for messages)."""
    obligations = tuple(
        o._replace(file=file) if o.file == _PLACEHOLDER else o for o in document.obligations
    )
    return document._replace(file=file, obligations=obligations)
