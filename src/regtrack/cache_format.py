"""The parse cache's data format: regtrack's own values as JSON, read back by a decoder that can
only build data.

Pickle (and marshal) were the format until issue 14: loading a pickle runs whatever the file
says, so anyone who could write the cache folder ran code as the next user of regtrack. Here the
file is JSON (the standard library's C parser), and every JSON array is a value of a closed set
of types named by its first element: a tuple, a date, an aware date-time, one of regtrack's
named tuples or enums. Anything else, a wrong number of fields included, is a corrupt entry: a
cache miss, never an error and never code. The values the parser shares (equal dates, windows,
durations and regulations are one object) are written once and referred to, so that the
loaded values share memory as the parsed ones did.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


class Corrupt(ValueError):
    """The data is not a value this format writes."""


# The only types an entry may hold, numbered: an entry names a type by its number (numbers
# parse faster than names, and the list is the whole of what can be built). A module is
# imported only when an entry holds one of its types (a registry without recurring duties
# never loads regtrack.orgmodels). Append only: an entry's numbers mean what they meant
# (and _FORMAT in regtrack.cache changes whenever this list does).
_TYPES = (
    "models.Window",
    "models.Duration",
    "models.Source",
    "models.Regulation",
    "models.Change",
    "models.Milestone",
    "models.Period",
    "models.Obligation",
    "orgmodels.Recurrence",
    "orgmodels.Completion",
    "orgmodels.Waiver",
    "orgmodels.Event",
    "orgmodels.Profile",
    "orgmodels.Override",
    "orgmodels.OrgConfig",
    "kinds.Document",
    "errors.Problem",
    # enums: each member is [number, value]
    "models.Kind",
    "models.Status",
    "models.Precision",
    "orgmodels.Progress",
    "kinds.FileKind",
    "orgmodels.Client",
    "orgmodels.Portfolio",
    "models.Revision",
    "models.Force",
)
# Arrays whose first element is one of these are the format's own: a tuple, a date (its
# ordinal), an aware date-time (ISO text and zone name), the definition of a value referred to
# later. Type numbers follow them. A reference to the n-th definition is the plain integer
# -(n + 1): no integer regtrack holds is negative (lines, columns, duration parts, ordinals),
# and a reference that is not a list costs the decoder no call (most of an entry's values are
# shared dates, windows, sources and enum members).
_TUPLE, _DATE, _DATETIME, _DEFINITION = range(4)
_FIRST_TYPE = 5


def _type(number: int) -> Any:
    """The type an entry's number names; IndexError (a corrupt entry) for any other number."""
    import importlib

    if type(number) is not int or number < _FIRST_TYPE:
        raise IndexError(number)
    module, _, name = _TYPES[number - _FIRST_TYPE].partition(".")
    return getattr(importlib.import_module(f"regtrack.{module}"), name)


_SCALARS = (str, int, bool, type(None))


def dumps(value: object) -> bytes:
    """`value` as this format's bytes; TypeError for a value of a type it does not know."""
    import json

    if type(value) in _SCALARS:
        return json.dumps(encoded(value)).encode("utf-8")
    return json.dumps(encoded(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encoded(value: object) -> Any:
    """`value` as the plain lists, text and numbers this format is made of (what `dumps` writes
    as JSON, and the wheel's built registry with marshal, regtrack.prebuilt); TypeError for a
    value of a type it does not know."""
    import enum

    from regtrack.models import Duration, Regulation, Window

    numbers = {_type(n): n for n in range(_FIRST_TYPE, _FIRST_TYPE + len(_TYPES))}
    enums = {t for t in numbers if issubclass(t, enum.Enum)}
    # What the parser shares (Reader.share and its memo) is written once, at its first
    # occurrence, and referred to after: the values of these types and the empty tuple. Deciding
    # by type in one pass, rather than counting occurrences in a pass of its own first, halved
    # the cost of writing an entry (0.42 s -> 0.25 s at 10,000 obligations, issue 17). A value
    # of another type that occurs twice is written twice and read back as two equal values.
    shared = {*enums, dt.date, dt.datetime, Window, Duration, Regulation}
    scalars = _SCALARS
    # id → index, in the order definitions are completed (the order the decoder appends them);
    # every object met is reachable from `value`, so that no id is reused while this runs
    written: dict[int, int] = {}

    def encode(v: object) -> Any:
        t = type(v)
        if t in enums:
            out: list[Any] = [numbers[t], v.value]  # type: ignore[attr-defined]
        elif t is tuple or t in numbers:
            out = [_TUPLE if t is tuple else numbers[t]]
            for x in v:  # type: ignore[attr-defined]
                if type(x) in scalars:
                    if type(x) is int and x < 0:
                        raise ValueError("negative integers are references in this format")
                    out.append(x)
                else:
                    # most fields are text or a value met before: no call for them
                    ref = written.get(id(x))
                    out.append(encode(x) if ref is None else ~ref)
        elif t is dt.date:
            out = [_DATE, v.toordinal()]  # type: ignore[attr-defined]
        elif t is dt.datetime:
            zone = getattr(v.tzinfo, "key", None)  # type: ignore[attr-defined]
            if zone is None:
                raise TypeError(f"a date-time without a named time zone: {v!r}")
            out = [_DATETIME, v.isoformat(), zone]  # type: ignore[attr-defined]
        else:
            raise TypeError(f"the parse cache cannot hold a {t.__name__}")
        if t in shared or len(out) == 1:  # len 1: the empty tuple, tens of thousands of fields
            written[id(v)] = len(written)
            return [_DEFINITION, out]
        return out

    if type(value) in scalars:
        encode((value,))  # refuses a negative integer
        return value
    return encode(value)


def loads(data: bytes | memoryview) -> object:
    """The value `dumps` wrote; Corrupt for anything else (never runs code)."""
    import json

    try:
        structure = json.loads(bytes(data))
    except ValueError as error:
        raise Corrupt(str(error)) from None
    return built(structure)


def built(structure: Any) -> object:
    """The value `encoded` made `structure` of; Corrupt for anything else (never runs code)."""
    import enum

    table: list[object] = []
    types: dict[int, Any] = {}
    arity: dict[int, int] = {}  # a named tuple's number of fields; 0 for an enum
    new = tuple.__new__

    def zone_time(text: str, zone: str) -> dt.datetime:
        from regtrack.periods import time_zone

        return dt.datetime.fromisoformat(text).astimezone(time_zone(zone))

    def decode(v: Any) -> object:
        if type(v) is not list:
            if type(v) is int and v < 0:
                return table[~v]
            if type(v) in _SCALARS:
                return v
            raise Corrupt("an unexpected JSON value")
        code = v[0]
        # Fields that are plain JSON, or references, are taken without a call. A float or a
        # mapping where a value was expected is not caught here: the entry was written by
        # regtrack in a folder only the user may write; what matters is that nothing but
        # regtrack's own types can be built from it.
        fields: list[Any] = [
            decode(x) if type(x) is list else table[~x] if type(x) is int and x < 0 else x
            for x in v[1:]
        ]
        built = types.get(code)
        if built is None:
            if code == _TUPLE:
                return tuple(fields)
            if code == _DEFINITION:
                table.append(fields[0])
                return fields[0]
            if code == _DATE:
                return dt.date.fromordinal(*fields)
            if code == _DATETIME:
                return zone_time(*fields)
            built = types[code] = _type(code)
            arity[code] = 0 if issubclass(built, enum.Enum) else len(built._fields)
        # A named tuple is made as tuple.__new__ makes it, without the Python-level __new__ of
        # each (most of a warm start at scale, issue 17); its number of fields is checked here.
        if arity[code]:
            if len(fields) != arity[code]:
                raise Corrupt(f"{built.__name__} with {len(fields)} fields")
            return new(built, fields)
        return built(*fields)

    try:
        return decode(structure)
    except Corrupt:
        raise
    except (KeyError, IndexError, TypeError, ValueError, OverflowError, RecursionError) as error:
        raise Corrupt(str(error)) from None
