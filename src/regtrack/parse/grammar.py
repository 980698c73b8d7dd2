"""The value formats of regtrack's files, written once (issue 28): the JSON Schemas' value
definitions are built here from the constants the reader checks with (years, bounds, the
RRULE parts, the vocabulary, the enums, the characters refused, the time zones and the
regions with public holidays), and the reader matches instants with the same expressions.
tests/test_schema_differential.py feeds both a corpus and generated values and requires the
same verdict.

The expressions are written in the syntax Python's `re` and ECMAScript share (no `\\d`, whose
meaning differs; no inline flags): editors run them in JavaScript. The reader takes a scalar
as its text whatever YAML 1.2 would type it as, strips it, and folds the case of closed words
(`Controller`, `p1d`, `freq=yearly`); the schema accepts the same texts. What a schema cannot
say (a rule that never falls on a day, the sum of a duration's parts, ids that must exist) is
listed in docs/registry.md ("What only validate checks").
"""

from __future__ import annotations

import enum
import functools
import re
from typing import Any

from regtrack.dates import (
    _BY_RANGES,
    _FREQUENCIES,
    _MAX_PART,
    _WEEKDAYS,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_YEARS,
    RULE_COUNT,
    RULE_INTERVAL,
    RULE_PARTS,
)

Fragment = dict[str, Any]


# -- building blocks ---------------------------------------------------------------------------


def _fixed(low: int, high: int, width: int) -> str:
    """Strings of exactly `width` digits (leading zeros allowed) whose value is in low..high."""
    if width == 0:
        return ""
    top, rest = 10 ** (width - 1), width - 1
    first, last = divmod(low, top), divmod(high, top)
    if first[0] == last[0]:
        return f"{first[0]}{_fixed(first[1], last[1], rest)}"
    parts = [f"{first[0]}{_fixed(first[1], top - 1, rest)}"]
    if last[0] - first[0] > 1:
        digits = f"[{first[0] + 1}-{last[0] - 1}]" if last[0] - first[0] > 2 else str(first[0] + 1)
        parts.append(digits + ("[0-9]" * rest))
    parts.append(f"{last[0]}{_fixed(0, last[1], rest)}")
    return "(?:" + "|".join(parts) + ")"


def number(low: int, high: int, *, most_digits: int | None = None) -> str:
    """Decimal digit strings whose value is in low..high: with any number of leading zeros, or,
    with `most_digits`, at most that many digits in all (as `[0-9]{1,3}` reads them)."""
    if most_digits is not None:
        widths = range(1, most_digits + 1)
        padded = [_fixed(low, min(high, 10**w - 1), w) for w in widths if low <= 10**w - 1]
        return "(?:" + "|".join(padded) + ")"
    plain = []
    for width in range(1, len(str(high)) + 1):
        start, end = max(low, 10 ** (width - 1) if width > 1 else 0), min(high, 10**width - 1)
        if start <= end:
            plain.append(_fixed(start, end, width))
    return "0*(?:" + "|".join(plain) + ")"


def folded(pattern: str) -> str:
    """`pattern` with every ASCII letter outside escapes matching either case, as the reader
    folds closed words: `FREQ` becomes `[Ff][Rr][Ee][Qq]`, and a class `[A-Z0-9]`
    `[A-Za-z0-9]`."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            size = 6 if pattern.startswith("\\u", index) else 2  # \uXXXX whole
            out.append(pattern[index : index + size])
            index += size
        elif char == "[":
            end = index + 1
            while pattern[end] != "]" or pattern[end - 1] == "\\":
                end += 1
            out.append("[" + _folded_class(pattern[index + 1 : end]) + "]")
            index = end + 1
        else:
            out.append(f"[{char.upper()}{char.lower()}]" if _letter(char) else char)
            index += 1
    return "".join(out)


def _letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _folded_class(body: str) -> str:
    """A class body with its letters and letter ranges in both cases (escapes kept)."""
    out, index = [], 0
    while index < len(body):
        if body[index] == "\\":
            size = 6 if body.startswith("\\u", index) else 2
            out.append(body[index : index + size])
            index += size
        elif index + 2 < len(body) and body[index + 1] == "-" and _letter(body[index]):
            low, high = body[index], body[index + 2]
            out.append(f"{low.upper()}-{high.upper()}{low.lower()}-{high.lower()}")
            index += 3
        else:
            char = body[index]
            out.append(char.upper() + char.lower() if _letter(char) else char)
            index += 1
    return "".join(out)


def _literal(text: str) -> str:
    """`text` matched as itself: only the syntax characters escaped (re.escape also escapes
    `-`, an escape ECMAScript's unicode mode refuses)."""
    return re.sub(r"([\\^$.|?*+()\[\]{}/])", r"\\\1", text)


def _class(chars: str) -> str:
    """A character class body for `chars` (ranges kept as written), escaped for both engines."""
    # an astral character stays itself: `\\u{...}` is ECMAScript's alone, `\\U...` Python's
    return "".join(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else c for c in chars).replace(
        "\\u002d", "-"
    )


@functools.cache
def padding() -> str:
    """The class of what `str.strip()` removes around a value: Python's whitespace."""
    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    return "[" + "".join(f"\\u{ord(c):04x}" for c in spaces) + "]"


def whole(core: str) -> str:
    """`core` as a whole value, with the whitespace the reader strips around it."""
    pad = padding()
    return f"^{pad}*(?:{core}){pad}*$"


def _string(core: str, description: str = "") -> Fragment:
    fragment: Fragment = {"type": "string", "pattern": whole(core)}
    if description:
        fragment["description"] = description
    return fragment


# -- dates -------------------------------------------------------------------------------------

YEAR = _fixed(FIRST_YEAR, LAST_YEAR, 4)


def _leap_year() -> str:
    """The leap years of FIRST_YEAR..LAST_YEAR (whole centuries: the Gregorian rule)."""
    centuries = range(FIRST_YEAR // 100, LAST_YEAR // 100 + 1)
    assert FIRST_YEAR % 100 == 0 and LAST_YEAR % 100 == 99, "whole centuries"
    common = "(?:0[48]|[2468][048]|[13579][26])"
    every_fourth = "(?:" + "|".join(str(c) for c in centuries) + ")" + common
    by_400 = "|".join(f"{c}00" for c in centuries if c % 4 == 0)
    return f"(?:{every_fourth}|{by_400})" if by_400 else every_fourth


def calendar_day(separator: str = "-") -> str:
    """A real calendar day of FIRST_YEAR..LAST_YEAR, `YYYY-MM-DD` (or with no separator)."""
    s = separator
    long_months = f"{YEAR}{s}(?:0[13578]|1[02]){s}(?:0[1-9]|[12][0-9]|3[01])"
    short_months = f"{YEAR}{s}(?:0[469]|11){s}(?:0[1-9]|[12][0-9]|30)"
    february = f"{YEAR}{s}02{s}(?:0[1-9]|1[0-9]|2[0-8])"
    leap = f"{_leap_year()}{s}02{s}29"
    return f"(?:{long_months}|{short_months}|{february}|{leap})"


DAY = calendar_day()
MONTH = f"{YEAR}-(?:0[1-9]|1[0-2])"
QUARTER = f"{YEAR}-[Qq][1-4]"
_HOUR, _MINUTE = "(?:[01][0-9]|2[0-3])", "[0-5][0-9]"
_CLOCK = f"{_HOUR}:{_MINUTE}(?::{_MINUTE}(?:\\.[0-9]{{1,6}})?)?"
_OFFSET = f"(?:Z|[+-]{_HOUR}(?::?{_MINUTE})?)"
# An event's moment: a day, a time of day if known, an offset if the clock was not local.
INSTANT = f"{DAY}(?:[T ]{_CLOCK})?{_OFFSET}?"
INSTANT_RE = re.compile(INSTANT)


def _window() -> Fragment:
    return {
        "description": "A date with its precision: 2026-08-02 (day), 2026-06 (month), 2026-Q2 "
        f"(quarter) or 2027 (year), in the years {FIRST_YEAR} to {LAST_YEAR}.",
        "anyOf": [
            _string(f"{DAY}|{MONTH}|{QUARTER}|{YEAR}"),
            {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
        ],
    }


# -- durations and rules -----------------------------------------------------------------------

# The most of each part of a duration: MAX_YEARS' worth, and never more than _MAX_PART.
DURATION_PARTS = {
    "Y": MAX_YEARS,
    "M": MAX_YEARS * 12,
    "W": MAX_YEARS * 366 // 7,
    "D": MAX_YEARS * 366,
    "H": MAX_YEARS * 366 * 24,
    "TM": MAX_YEARS * 366 * 24 * 60,
    "S": MAX_YEARS * 366 * 24 * 3600,
}


def _duration() -> str:
    def part(letter: str, key: str | None = None) -> str:
        most = min(DURATION_PARTS[key or letter], _MAX_PART)
        return f"(?:{number(0, most)}{letter})?"

    time = f"(?:T(?=[0-9]){part('H')}{part('M', 'TM')}{part('S')})?"
    return folded(f"P(?!{padding()}*$){part('Y')}{part('M')}{part('W')}{part('D')}{time}")


def _list(item: str) -> str:
    return f"{item}(?:,{item})*"


def _signed(most: int, signed: bool) -> str:
    sign = "[+-]?" if signed else "[+]?"
    return sign + number(1, most, most_digits=3)


def _rule() -> str:
    """An RFC 5545 RRULE as the reader checks it (dates._rule_parts), but for the day it must
    fall on within its horizon, which depends on its start."""
    weekday = "(?:" + "|".join(_WEEKDAYS) + ")"
    ordinal = "[+-]?(?:0?[1-9]|[1-4][0-9]|5[0-3])"  # at most two digits, 1 to 53
    values = {
        "FREQ": "(?:" + "|".join(_FREQUENCIES) + ")",
        "INTERVAL": number(*RULE_INTERVAL),
        "COUNT": number(*RULE_COUNT),
        "UNTIL": calendar_day("") + f"(?:T{_HOUR}{_MINUTE}{_MINUTE}Z?)?",
        "BYDAY": _list(f"(?:{ordinal})?{weekday}"),
        "WKST": weekday,
    }
    for name, (most, _) in _BY_RANGES.items():
        values[name] = _list(_signed(most, name != "BYMONTH"))
    assert set(values) == set(RULE_PARTS), "every part the reader takes, and no other"
    part = "(?:" + "|".join(f"{name}={values[name]}" for name in RULE_PARTS) + ")"

    pad = padding()

    def has(text: str) -> str:
        return f"(?=(?:[^;]*;)*{text})"

    def freq(*names: str) -> str:
        return has("FREQ=(?:" + "|".join(names) + f")(?:;|{pad}*$)")

    others = "|".join(n for n in RULE_PARTS if n.startswith("BY") and n != "BYSETPOS")
    checks = [
        has("FREQ="),
        *(f"(?!(?:[^;]*;)*{name}=(?:[^;]*;)*{name}=)" for name in RULE_PARTS),
        f"(?!{has('COUNT=')}(?:[^;]*;)*UNTIL=)",
        f"(?!{has('BYSETPOS=')}(?!(?:[^;]*;)*(?:{others})=))",
    ]
    for name, (_, frequencies) in _BY_RANGES.items():
        if frequencies is not None:
            refused = [f for f in _FREQUENCIES if f not in frequencies]
            checks.append(f"(?!{freq(*refused)}(?:[^;]*;)*{name}=)")
    # an ordinal only in YEARLY (without BYWEEKNO) and MONTHLY rules, and 1 to 5 in MONTHLY
    digit_in_byday = "(?:[^;]*;)*BYDAY=[^;]*[0-9]"
    checks.append(f"(?!{freq('WEEKLY', 'DAILY')}{digit_in_byday})")
    checks.append(f"(?!{has('BYWEEKNO=')}{digit_in_byday})")
    over_five = "(?:[^;]*;)*BYDAY=(?:[^;]*,)?[+-]?(?!0?[1-5](?![0-9]))[0-9]"
    checks.append(f"(?!{freq('MONTHLY')}{over_five})")
    return folded("(?:RRULE:)?" + "".join(checks) + f"{part}(?:;{part})*")


# -- closed words ------------------------------------------------------------------------------


def _words(values: list[str], description: str = "", *, fold: bool = True) -> Fragment:
    """One of `values`, in any ASCII case where the reader folds it: offered as an enum to
    editors, and as a pattern for the spellings the reader also takes."""
    alternatives = "|".join(_literal(v) for v in values)
    fragment: Fragment = {
        "anyOf": [{"enum": values}, _string(folded(alternatives) if fold else alternatives)]
    }
    if description:
        fragment["description"] = description
    return fragment


def _jurisdiction() -> Fragment:
    from regtrack.vocabulary import JURISDICTIONS

    codes = "|".join(c for c in JURISDICTIONS if c not in ("EU", "INT"))
    core = folded(f"EU|INT|(?:{codes})(?:-[A-Z0-9]{{1,3}})?")
    return {
        "description": "EU, INT, UK (or GB), an EU Member State's code (FR), or a region "
        "(DE-BY), in any case.",
        "anyOf": [{"enum": list(JURISDICTIONS)}, _string(core)],
    }


def _region() -> Fragment:
    from regtrack.periods import regions

    parts = []
    for code, subdivisions in sorted(regions().items()):
        below = "|".join(_literal(s) for s in sorted(subdivisions, key=lambda s: (-len(s), s)))
        parts.append(f"{code}(?:-(?:{below}))?" if below else code)
    return {
        "description": "A country (FR, DEU) or a region (DE-BY, GB-ENG) with public holidays, "
        "as the installed holidays package lists them.",
        **_string(folded("|".join(parts))),
    }


@functools.cache
def zones() -> list[str]:
    """The IANA time zones this machine's zoneinfo has."""
    import zoneinfo

    return sorted(zoneinfo.available_timezones())


def _zone() -> Fragment:
    return {
        "description": "An IANA time zone this installation knows (Europe/Paris).",
        "anyOf": [
            {"enum": zones()},
            _string("|".join(_literal(z) for z in zones())),
        ],
    }


# -- text --------------------------------------------------------------------------------------


def _text(refused: str) -> Fragment:
    """Text the reader takes: not empty once stripped, and without a refused character. A
    number or a boolean is text too: the reader reads every scalar as written."""
    pad, no = padding(), _class(refused)
    inner = f"[^{no}{pad[1:-1]}]"
    core = f"{inner}(?:[^{no}]*{inner})?"
    return {"anyOf": [{"type": "string", "pattern": whole(core)}, {"type": ["number", "boolean"]}]}


def _slug(core: str, description: str) -> Fragment:
    """A slug: a whole number written plainly is one too (`tags: [2026]`)."""
    return {
        "description": description,
        "anyOf": [_string(core), {"type": "integer", "minimum": 0}],
    }


def _python_spaces(pattern: str) -> str:
    """`pattern` with `\\s` read as Python reads it (str.isspace), not as ECMAScript does, and
    without the `\\"` ECMAScript's unicode mode refuses."""
    return pattern.replace("\\s", padding()[1:-1]).replace('\\"', '"')


def _boolean() -> Fragment:
    return {"anyOf": [{"type": "boolean"}, _string(folded("true|false"))]}


# -- the definitions ---------------------------------------------------------------------------


def _choices(kind: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in kind]


@functools.cache
def definitions() -> dict[str, Fragment]:
    """Every value format's JSON Schema, by the name the schemas' `$ref`s use."""
    from regtrack.models import Force, Kind, Status
    from regtrack.orgmodels import Progress
    from regtrack.parse.portfolio import _ADDRESS
    from regtrack.parse.reader import (
        _FORBIDDEN,
        _FORBIDDEN_ONE_LINE,
        _TARGET,
        _URL,
        ADJUST,
        SCHEMA_VERSION,
        SLUG,
    )
    from regtrack.vocabulary import ROLES, SECTORS

    def refused(pattern: re.Pattern[str]) -> str:
        return pattern.pattern[1:-1]  # the class's body

    return {
        "text": _text(refused(_FORBIDDEN_ONE_LINE)),
        "paragraph": _text(refused(_FORBIDDEN)),
        "slug": _slug(SLUG.pattern, "A lowercase identifier: a-z, 0-9, and - or . between."),
        "target": _slug(_TARGET.pattern, "An obligation id, or obligation@event."),
        "url": {
            "description": "An http(s) URL.",
            "allOf": [{"$ref": "#/$defs/text"}, _string(_python_spaces(_URL.pattern))],
        },
        "address": {
            "description": "An e-mail address (name@example.org).",
            "allOf": [{"$ref": "#/$defs/text"}, _string(_python_spaces(_ADDRESS.pattern))],
        },
        "version": {
            "description": "Version of this format.",
            "anyOf": [{"const": SCHEMA_VERSION}, _string(str(SCHEMA_VERSION))],
        },
        "amended": _string(folded(Status.AMENDED.value)),
        "boolean": _boolean(),
        "day": _string(
            DAY, f"A calendar day, YYYY-MM-DD, in the years {FIRST_YEAR} to {LAST_YEAR}."
        ),
        "window": _window(),
        "instant": _string(INSTANT, "A date and time, ISO 8601 (2026-11-26T16:40)."),
        "duration": _string(
            _duration(),
            f"ISO 8601 duration (PT72H, P15D, P1M, P2W), at most {MAX_YEARS} years.",
        ),
        "rule": _string(
            _rule(),
            "An RFC 5545 RRULE that falls on days: FREQ=YEARLY, MONTHLY, WEEKLY or DAILY.",
        ),
        "zone": _zone(),
        "region": _region(),
        "jurisdiction": _jurisdiction(),
        "role": _words(list(ROLES), "Who an obligation binds (regtrack vocabulary)."),
        "sector": _words(list(SECTORS), "What an organisation does (regtrack vocabulary)."),
        "kind": _words(
            _choices(Kind),
            "applies: the rules start to apply; deadline: something must be done by the date; "
            "expected: a publication or decision is expected; review: a periodic review",
        ),
        "status": _words(_choices(Status)),
        "force": _words(_choices(Force), "How the rule binds (law by default)."),
        "progress": _words(_choices(Progress)),
        "adjust": _words(list(ADJUST), fold=False),
    }


def skeleton(name: str) -> dict[str, Any]:
    """A schema file's structure and descriptions, as shipped (`registry.schema.json`...)."""
    import json
    from importlib import resources

    text = resources.files("regtrack").joinpath(f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a registry, an organisation file or a portfolio file: its skeleton,
    the skeletons it builds on (an organisation file holds obligations; a portfolio's baseline
    holds an organisation file's entries), and the value definitions above. A skeleton never
    defines a value format itself (tests/test_schema.py)."""
    chain = {"registry": ["registry"], "organisation": ["registry", "organisation"]}.get(
        kind, ["registry", "organisation", "portfolio"]
    )
    parts = [skeleton(name) for name in chain]
    defs: dict[str, Any] = {}
    for part in parts:
        defs.update(part.get("$defs", {}))
    doubled = sorted(set(defs) & set(definitions()))
    assert not doubled, f"defined twice: {doubled}"
    return {**parts[-1], "$defs": {**defs, **definitions()}}
