"""The JSON Schemas and `validate` give the same verdict on every value (issue 28): a corpus of
the cases the review found them split on (and their neighbours), then generated values, each
put in a file read both ways: by regtrack's reader, and by a JSON Schema validator reading the
YAML as YAML 1.2 as editors do (jsonschema in-process; ajv, in Node, over the whole corpus).

What a schema cannot say is listed in docs/registry.md ("What only validate checks") and here,
each with the message that says so: only those cases may split, and only one way (the schema
accepts, validate refuses)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regtrack.kinds import FileKind
from regtrack.parse import read_document
from regtrack.parse.grammar import schema
from tests.helpers import NODE, consumer

# Each slot: a file kind and a document whose @V@ is replaced by a value, as YAML source.
_OBLIGATION = """\
  - id: @ID@
    title: @TITLE@
    regulation: {short: GDPR, name: Regulation (EU) 2016/679, identifier: CELEX:32016R0679}
    citation: Art. 35
    jurisdiction: @JURISDICTION@
    roles: [@ROLE@]
    sectors: [@SECTOR@]
    tags: [@TAG@]
    force: @FORCE@
    summary: @SUMMARY@
    sources:
      - url: @URL@
        title: GDPR
        official: @OFFICIAL@
    milestones:
      - id: m1
        kind: @KIND@
        date: @WINDOW@
        status: @STATUS@
        verified: @DAY@
    periods:
      - id: p1
        title: A period
        duration: @DURATION@
        from: a personal data breach
        verified: 2026-11-27
    recurrence:
      rule: @RULE@
      start: 2026-01-15
      adjust: @ADJUST@
      country: @COUNTRY@
"""
_DEFAULTS = {
    "ID": "gdpr-art-35",
    "TITLE": "A title",
    "JURISDICTION": "FR",
    "ROLE": "controller",
    "SECTOR": "health",
    "TAG": "dpia",
    "FORCE": "law",
    "SUMMARY": "What to do.",
    "URL": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
    "OFFICIAL": "true",
    "KIND": "deadline",
    "WINDOW": "2026-08-02",
    "STATUS": "fixed",
    "DAY": "2026-11-27",
    "DURATION": "P15D",
    "RULE": "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15",
    "ADJUST": "next-working-day",
    "COUNTRY": "FR",
    "VERSION": "1",
    "AT": "2026-11-26T16:40",
    "TZ": "Europe/Paris",
    "TARGET": "gdpr-art-35",
    "PROGRESS": "in-progress",
    "EVIDENCE": "https://intranet.example/dpia",
    "ADDRESS": "dpo@example.org",
}
_REGISTRY = "schema: @VERSION@\nobligations:\n" + _OBLIGATION
_ORGANISATION = """\
schema: 1
profile:
  name: Clinic
  jurisdictions: [@JURISDICTION@]
  roles: [@ROLE@]
overrides:
  - {id: gdpr-art-35, status: @PROGRESS@}
waivers:
  - {id: @TARGET@, by: J, reason: r, until: @DAY@}
events:
  - id: breach-1
    obligation: gdpr-art-33
    at: @AT@
    tz: @TZ@
    country: @COUNTRY@
done:
  - {id: @TARGET@, milestone: m1, on: @DAY@, by: J, evidence: @EVIDENCE@}
"""
_PORTFOLIO = """\
schema: 1
firm:
  name: Firm
  contacts: [@ADDRESS@]
clients:
  - {name: @ID@, config: clients/a/regtrack.yaml, contacts: [@ADDRESS@]}
"""
# slot -> (kind, template, the placeholder the value goes to)
SLOTS = {
    "window": ("registry", _REGISTRY, "WINDOW"),
    "day": ("registry", _REGISTRY, "DAY"),
    "text": ("registry", _REGISTRY, "TITLE"),
    "paragraph": ("registry", _REGISTRY, "SUMMARY"),
    "slug": ("registry", _REGISTRY, "ID"),
    "tag": ("registry", _REGISTRY, "TAG"),
    "url": ("registry", _REGISTRY, "URL"),
    "boolean": ("registry", _REGISTRY, "OFFICIAL"),
    "kind": ("registry", _REGISTRY, "KIND"),
    "status": ("registry", _REGISTRY, "STATUS"),
    "force": ("registry", _REGISTRY, "FORCE"),
    "role": ("registry", _REGISTRY, "ROLE"),
    "sector": ("registry", _REGISTRY, "SECTOR"),
    "jurisdiction": ("registry", _REGISTRY, "JURISDICTION"),
    "duration": ("registry", _REGISTRY, "DURATION"),
    "rule": ("registry", _REGISTRY, "RULE"),
    "adjust": ("registry", _REGISTRY, "ADJUST"),
    "region": ("registry", _REGISTRY, "COUNTRY"),
    "version": ("registry", _REGISTRY, "VERSION"),
    "instant": ("organisation", _ORGANISATION, "AT"),
    "zone": ("organisation", _ORGANISATION, "TZ"),
    "event-region": ("organisation", _ORGANISATION, "COUNTRY"),
    "target": ("organisation", _ORGANISATION, "TARGET"),
    "progress": ("organisation", _ORGANISATION, "PROGRESS"),
    "profile-jurisdiction": ("organisation", _ORGANISATION, "JURISDICTION"),
    "until": ("organisation", _ORGANISATION, "DAY"),
    "evidence": ("organisation", _ORGANISATION, "EVIDENCE"),
    "address": ("portfolio", _PORTFOLIO, "ADDRESS"),
    "client": ("portfolio", _PORTFOLIO, "ID"),
}
_KINDS = {
    "registry": FileKind.REGISTRY,
    "organisation": FileKind.ORGANISATION,
    "portfolio": FileKind.PORTFOLIO,
}


def document(slot: str, value: str) -> tuple[str, str]:
    """(kind, text) of a file with `value` (YAML source) in `slot`, defaults elsewhere."""
    kind, template, placeholder = SLOTS[slot]
    text = template.replace(f"@{placeholder}@", value)
    for name, default in _DEFAULTS.items():
        text = text.replace(f"@{name}@", default)
    return kind, text


# What only `validate` checks: the schema accepts, validate refuses, and says why so.
BEYOND_A_SCHEMA = (
    "falls on no day",  # a rule that never occurs within its horizon (dateutil, from its start)
    "is longer than 100 years",  # the sum of a duration's parts (each alone is bounded)
    "is not a usable RRULE",  # dateutil's own refusals of a rule the grammar allows
)


def regtrack_verdict(kind: str, text: str) -> tuple[bool, str]:
    found = read_document(text, "f.yaml", _KINDS[kind])
    messages = "; ".join(p.message for p in found.problems)
    return not found.problems, messages


@functools.cache
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(kind))


@functools.cache
def _loader() -> Any:
    """ruamel.yaml as YAML 1.2's core schema reads: no timestamps (ruamel adds them; editors
    and the yaml package read `2026-08-02` as text)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    class Core(SafeConstructor):
        pass

    Core.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
    )
    loader = YAML(typ="safe", pure=True)
    loader.Constructor = Core
    return loader


def _yaml12(text: str) -> Any:
    return _loader().load(io.StringIO(text))


def schema_verdict(kind: str, text: str) -> bool:
    return bool(_validator(kind).is_valid(_yaml12(text)))


def agree(slot: str, value: str) -> tuple[bool, bool, str]:
    kind, text = document(slot, value)
    ours, why = regtrack_verdict(kind, text)
    theirs = schema_verdict(kind, text)
    return ours, theirs, why


def test_the_templates_are_valid_both_ways() -> None:
    for slot in SLOTS:
        ours, theirs, why = agree(slot, _DEFAULTS[SLOTS[slot][2]])
        assert ours and theirs, (slot, why)


# (slot, value as YAML source, accepted): the review's 18 splits first, then their neighbours.
CORPUS = [
    ("instant", "2026-02-30T10:00", False),
    ("instant", "2026-11-26T25:00", False),
    ("text", '"A\\u202eB"', False),  # a bidirectional override
    ("text", '"A\\u200bB"', False),  # a zero-width space
    ("text", '"A\\aB"', False),  # a control character
    ("paragraph", '"A\\u2066B"', False),
    ("duration", "P101Y", False),
    ("rule", "FREQ=DAILY;BYHOUR=9", False),
    ("rule", "FREQ=YEARLY;INTERVAL=0", False),
    ("rule", "FREQ=YEARLY;INTERVAL=5000", False),
    ("zone", "Mars/Olympus_Mons", False),
    ("event-region", "XX", False),
    ("region", "XX", False),
    ("jurisdiction", "Fr", True),
    ("role", "Controller", True),
    ("duration", "p1d", True),
    ("rule", "freq=yearly;bymonth=3", True),
    ("window", "2026-02-30", False),
    ("day", "2026-02-30", False),
    # neighbours: dates
    ("day", "2024-02-29", True),
    ("day", "2100-02-29", False),
    ("day", "2000-02-29", True),
    ("day", "1899-12-31", False),
    ("day", "3000-01-01", False),
    ("day", "2026-1-5", False),
    ("day", '" 2026-11-27 "', True),
    ("until", "2026-04-31", False),
    ("window", "2026-Q2", True),
    ("window", "2026-q4", True),
    ("window", "2026-Q5", False),
    ("window", "2026-13", False),
    ("window", "2027", True),
    ("window", '"2027"', True),
    ("window", "3000", False),
    ("window", "1900", True),
    ("instant", "2026-11-26T16:40", True),
    ("instant", "2026-11-26 16:40", True),
    ("instant", "2026-11-26T16:40Z", True),
    ("instant", "2026-11-26T16:40:05.123+01:00", True),
    ("instant", "2026-11-26", True),
    ("instant", "2026-W48-4", False),  # Python reads week dates; the schema never did
    ("instant", "2026-11-26x16:40", False),
    ("instant", "2026-11-26T16", False),
    ("instant", "2026-11-26T16:60", False),
    # text
    ("text", '" padded "', True),
    ("text", '"~"', True),
    ("text", "~", False),  # YAML's null
    ("text", "null", False),
    ("text", "1789", True),  # a number is text to regtrack
    ("text", "true", True),
    ("text", '"two\\nlines"', False),
    ("paragraph", '"two\\nlines"', True),
    ("paragraph", '"tab\\there"', True),
    ("text", '"\\t"', False),
    ("text", '"\\uFFFE"', False),
    # closed words
    ("kind", "Deadline", True),
    ("kind", "deadlines", False),
    ("status", "FIXED", True),
    ("status", "amended", False),  # amended needs a history
    ("status", "Amended", False),
    ("force", "Guidance", True),
    ("role", "controler", False),
    ("sector", "\ufb01nance", False),  # "finance" only by Unicode case folding
    ("sector", "Finance", True),
    ("adjust", "next-working-day", True),
    ("adjust", "Next-Working-Day", False),
    ("progress", "In-Progress", True),
    ("boolean", "true", True),
    ("boolean", "True", True),
    ("boolean", '"false"', True),
    ("boolean", "yes", False),
    ("boolean", "tRuE", True),
    ("version", "1", True),
    ("version", '"1"', True),
    ("version", "2", False),
    # places
    ("jurisdiction", "FR-", False),
    ("jurisdiction", "France", False),
    ("jurisdiction", "de-by", True),
    ("jurisdiction", "EU-X", False),
    ("jurisdiction", "\u0131e", False),  # dotless i: "IE" only by Unicode upper-casing
    ("profile-jurisdiction", "uk", True),
    ("region", "fr", True),
    ("region", "DE-BY", True),
    ("region", "UK", True),
    ("region", "GB-ENG", True),
    ("region", "JAN", False),  # an attribute of the holidays module, not a country
    ("region", "NYSE", False),  # a market
    ("region", "BE-Flemish", False),  # a name holidays lists, not a code a region is read as
    ("event-region", "de-xx", False),
    ("zone", "Europe/Paris", True),
    ("zone", "UTC", True),
    ("zone", "europe/paris", False),
    ("zone", '" Europe/Paris "', True),
    # durations and rules
    ("duration", "P100Y", True),
    ("duration", "P1200M", True),
    ("duration", "P1201M", False),
    ("duration", "P", False),
    ("duration", "PT", False),
    ("duration", "P1DT", False),
    ("duration", "PT72H", True),
    ("rule", "FREQ=YEARLY;INTERVAL=1000", True),
    ("rule", "FREQ=YEARLY;INTERVAL=0005", True),
    ("rule", "RRULE:FREQ=YEARLY", True),
    ("rule", "FREQ=YEARLY;BYMONTH=13", False),
    ("rule", "FREQ=WEEKLY;BYMONTHDAY=1", False),
    ("rule", "FREQ=MONTHLY;BYDAY=6MO", False),
    ("rule", "FREQ=MONTHLY;BYDAY=-1FR", True),
    ("rule", "FREQ=YEARLY;BYDAY=20MO", True),
    ("rule", "FREQ=WEEKLY;BYDAY=1MO", False),
    ("rule", "FREQ=YEARLY;COUNT=3;UNTIL=20300101", False),
    ("rule", "FREQ=YEARLY;BYSETPOS=1", False),
    ("rule", "FREQ=YEARLY;BYMONTH=3;BYSETPOS=-1", True),
    ("rule", "FREQ=YEARLY;BYEASTER=400", False),
    ("rule", "FREQ=YEARLY;BYWEEKDAY=MO", False),  # dateutil's name, not RFC 5545's
    ("rule", "FREQ=YEARLY;FREQ=YEARLY", False),
    ("rule", "FREQ=YEARLY;", False),
    ("rule", "FREQ=YEARLY;UNTIL=20301231T250000Z", False),
    ("rule", "FREQ=YEARLY;UNTIL=20301231T235959Z", True),
    ("rule", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", False),
    ("rule", "FREQ=HOURLY", False),
    # identifiers, links, addresses
    ("slug", "Gdpr", False),
    ("slug", "gdpr-art-35", True),
    ("tag", "2026", True),
    ("tag", "a..b", False),
    ("target", "gdpr-art-35@breach-1", True),
    ("target", "a@@b", False),
    ("url", "https://x.example/a", True),
    ("url", "ftp://x.example/a", False),
    ("url", '"https://x.example/a b"', False),
    ("url", '"https://x\\u200b.example"', False),
    ("url", '"https://x.example/\\u00a0"', True),  # stripped at its end
    ("evidence", '"see\\nthe file"', True),
    ("address", "dpo@example.org", True),
    ("address", "dpo@h\u00f4pital.fr", True),
    ("address", "dpo@example", False),
    ("address", '"dpo@ex\\u2003ample.org"', False),
    ("client", "Clinic", False),
]


def test_the_corpus_is_as_large_as_the_review_s() -> None:
    assert len(CORPUS) >= 71
    assert len({(slot, value) for slot, value, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("slot", "value", "accepted"), CORPUS)
def test_validate_and_the_schema_agree_on_the_corpus(slot: str, value: str, accepted: bool) -> None:
    ours, theirs, why = agree(slot, value)
    assert ours is accepted, why
    assert theirs is accepted


def _run_ajv(kind: str, files: list[Path]) -> dict[str, bool]:
    schema_file = files[0].parent / f"{kind}.schema.json"
    schema_file.write_text(json.dumps(schema(kind)), encoding="utf-8")
    done = subprocess.run(
        ["node", str(NODE / "validate.mjs"), str(schema_file), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    verdicts = {}
    for line in done.stdout.split("\n"):  # not splitlines: U+0085 may be in a message
        word, _, rest = line.partition(" ")
        verdicts[rest.split(": ", 1)[0]] = word == "ok"
    missing = [path.name for path in files if str(path) not in verdicts]
    assert not missing, (done.returncode, done.stderr[-2000:], missing[:5])
    return verdicts


def test_ajv_agrees_on_the_corpus(tmp_path: Path) -> None:
    """ajv (draft 2020-12, unicode patterns) reading the YAML as the yaml package does."""
    consumer("ajv")
    by_kind: dict[str, list[tuple[Path, bool]]] = {}
    for index, (slot, value, accepted) in enumerate(CORPUS):
        kind, text = document(slot, value)
        path = tmp_path / f"{index:03d}-{slot}.yaml"
        path.write_text(text, encoding="utf-8")
        by_kind.setdefault(kind, []).append((path, accepted))
    for kind, cases in by_kind.items():
        verdicts = _run_ajv(kind, [path for path, _ in cases])
        wrong = [path.name for path, accepted in cases if verdicts.get(str(path)) is not accepted]
        assert not wrong, wrong


# -- generated values ---------------------------------------------------------------------------

_PIECES = {
    "day": ["2026", "2024", "2100", "1900", "2999", "3000", "-", "02", "29", "30", "31", "13",
            "00", "1", " "],
    "window": ["2026", "-", "Q", "q", "2", "5", "02", "29", "13", "00", " ", "2999"],
    "instant": ["2026-11-26", "2024-02-29", "T", " ", "16", ":", "40", "24", "60", "Z", "+",
                "-", "01", "00", ".", "123", "x", "W48"],
    "duration": ["P", "p", "T", "t", "1", "0", "100", "101", "1200", "5229", "36600", "Y", "M",
                 "W", "D", "H", "S", " "],
    "rule": ["FREQ=", "freq=", "YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", ";",
             "INTERVAL=", "COUNT=", "BYMONTH=", "BYMONTHDAY=", "BYDAY=", "BYSETPOS=",
             "BYWEEKNO=", "BYYEARDAY=", "WKST=", "UNTIL=", "20301231", "T120000Z", "1", "3",
             "12", "13", "0", "-1", "+2", ",", "MO", "FR", "su", "53", "6", "RRULE:"],
    "jurisdiction": ["FR", "fr", "EU", "INT", "UK", "GB", "DE", "-", "BY", "X", "1", "ı", " "],
    "region": ["FR", "fr", "DE", "GB", "UK", "-", "BY", "ENG", "XX", "FRA", "JAN", " "],
    "text": ["a", " ", "\t", "\n", "~", "é", "\u200b", "\u202e", "\u00a0", "\u2028", "\x85",
             "\x1c", "\ufffe", "1", ":"],
    "slug": ["a", "z", "0", "9", "-", ".", "A", "@", " ", "_"],
    "target": ["a", "0", "-", ".", "@", "A", " "],
    "url": ["https://", "http://", "ftp://", "x", ".", "/", " ", "\u00a0", "\u200b", "<", "%"],
    "address": ["dpo", "@", "x", ".", "org", " ", "\u3000", ",", "é"],
    "role": ["controller", "Controller", "CONTROLLER", "processor", " ", "ſ", "r"],
    "zone": ["Europe/Paris", "UTC", "europe", "/", "Paris", " ", "Etc/GMT+1", "+"],
}  # fmt: skip


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


def _numbers(*values: int) -> st.SearchStrategy[str]:
    return st.sampled_from([str(v) for v in values] + [f"0{v}" for v in values])


# Values shaped like each format, near its edges, so that both verdicts are common.
_SHAPED = {
    "day": _joined(
        st.sampled_from(["1899", "1900", "2024", "2026", "2100", "2000", "2999", "3000"]),
        st.sampled_from(["-", "", "/"]),
        st.sampled_from(["00", "01", "02", "04", "09", "11", "12", "13", "2"]),
        st.sampled_from(["-", ""]),
        st.sampled_from(["00", "01", "28", "29", "30", "31", "32", "5"]),
    ),
    "duration": _joined(
        st.sampled_from(["P", "p", ""]),
        st.sampled_from(["", "1Y", "100Y", "101Y", "98y"]),
        st.sampled_from(["", "1M", "1200M", "1201M", "6m"]),
        st.sampled_from(["", "2W", "5228W", "5229W"]),
        st.sampled_from(["", "15D", "36600D", "36601D", "0D"]),
        st.sampled_from(["", "T", "T72H", "T100000H", "T100001H", "t1m", "T1H30M", "T10S"]),
    ),
    "rule": st.lists(
        st.sampled_from(
            [
                "FREQ=YEARLY",
                "FREQ=MONTHLY",
                "FREQ=WEEKLY",
                "FREQ=DAILY",
                "freq=yearly",
                "FREQ=HOURLY",
                "INTERVAL=2",
                "INTERVAL=1000",
                "INTERVAL=1001",
                "INTERVAL=0",
                "COUNT=3",
                "COUNT=100001",
                "UNTIL=20301231",
                "UNTIL=20300230",
                "UNTIL=20301231T120000Z",
                "BYMONTH=3",
                "BYMONTH=13",
                "BYMONTH=-1",
                "BYMONTHDAY=15",
                "BYMONTHDAY=-1",
                "BYMONTHDAY=32",
                "BYMONTHDAY=1,15",
                "BYDAY=MO",
                "BYDAY=MO,FR",
                "BYDAY=1MO",
                "BYDAY=-1FR",
                "BYDAY=5SU",
                "BYDAY=6MO",
                "BYDAY=53MO",
                "BYDAY=XX",
                "BYSETPOS=1",
                "BYSETPOS=-1",
                "BYWEEKNO=1",
                "BYWEEKNO=54",
                "BYYEARDAY=100",
                "BYYEARDAY=367",
                "WKST=MO",
                "WKST=XX",
                "BYHOUR=9",
                "BYEASTER=0",
                "X-NAME=1",
                "",
            ]
        ),
        min_size=1,
        max_size=4,
    ).map(";".join),
    "address": _joined(
        st.sampled_from(["dpo", "", "a.b", "d po", "dp<o"]),
        st.sampled_from(["@", "@@", ""]),
        st.sampled_from(["example", "hôpital", "ex ample", "x"]),
        st.sampled_from([".org", ".fr", "", "."]),
    ),
    "window": _joined(
        st.sampled_from(["2026", "1899", "3000", "2999"]),
        st.sampled_from(["", "-Q2", "-q4", "-Q5", "-Q0", "-06", "-13", "-02-29", "-02-28"]),
    ),
}


# Values mostly valid, so that generated cases are not nearly all refusals.
_MOSTLY_VALID = {
    "day": st.dates(dt.date(1890, 1, 1), dt.date(3010, 12, 31)).map(dt.date.isoformat),
    "duration": st.tuples(
        *(st.sampled_from(["", f"{n}{unit}"]) for n, unit in ((3, "Y"), (6, "M"), (2, "W")))
    ).map(lambda parts: "P" + "".join(parts) + "1D"),
    "rule": st.tuples(
        st.sampled_from(["FREQ=YEARLY", "FREQ=MONTHLY", "FREQ=WEEKLY", "FREQ=DAILY"]),
        st.lists(
            st.sampled_from(["INTERVAL=2", "BYMONTH=3", "BYDAY=MO", "COUNT=5", "WKST=SU"]),
            unique=True,
            max_size=3,
        ),
    ).map(lambda rule: ";".join([rule[0], *rule[1]])),
    "address": st.sampled_from(["dpo@example.org", "a.b@hôpital.fr", "x@y.z"]),
}


@st.composite
def _values(draw: st.DrawFn) -> tuple[str, str]:
    slot = draw(st.sampled_from(sorted(_PIECES)))
    way = draw(st.integers(0, 2))
    if slot in _MOSTLY_VALID and way == 0:
        text = draw(_MOSTLY_VALID[slot])
    elif slot in _SHAPED and way == 1:
        text = draw(_SHAPED[slot])
    else:
        text = "".join(draw(st.lists(st.sampled_from(_PIECES[slot]), min_size=1, max_size=7)))
    if draw(st.integers(0, 9)) == 0:
        text = f" {text}\t"  # what the reader strips
    return slot, json.dumps(text)  # double-quoted YAML: both readers see exactly `text`


@settings(
    max_examples=int(os.environ.get("REGTRACK_DIFFERENTIAL_EXAMPLES", "600")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_values())
def test_validate_and_the_schema_agree_on_generated_values(case: tuple[str, str]) -> None:
    slot, value = case
    ours, theirs, why = agree(slot, value)
    if ours != theirs and theirs and not ours:
        assert any(reason in why for reason in BEYOND_A_SCHEMA), (slot, value, why)
        return
    assert ours == theirs, (slot, value, why)


def _drawn(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` generated cases, the same ones every run (for one run of ajv over them all)."""
    import random

    chance = random.Random(seed)
    cases = []
    for _ in range(count):
        slot = chance.choice(sorted(_PIECES))
        text = "".join(chance.choice(_PIECES[slot]) for _ in range(chance.randint(1, 6)))
        if slot == "day" and chance.random() < 0.5:
            text = (dt.date(1890, 1, 1) + dt.timedelta(days=chance.randint(0, 410_000))).isoformat()
        cases.append((slot, json.dumps(text)))
    return cases


def test_ajv_agrees_on_generated_values(tmp_path: Path) -> None:
    """ECMAScript's regular expressions (unicode mode) read the patterns as Python's do: the
    reader's verdict on 400 generated values is ajv's too, but where only validate can judge."""
    consumer("ajv")
    by_kind: dict[str, list[tuple[Path, bool, str]]] = {}
    for index, (slot, value) in enumerate(_drawn(400, 28)):
        kind, text = document(slot, value)
        ours, why = regtrack_verdict(kind, text)
        path = tmp_path / f"{index:03d}-{slot}.yaml"
        path.write_text(text, encoding="utf-8")
        by_kind.setdefault(kind, []).append((path, ours, why))
    accepted = 0
    for kind, cases in by_kind.items():
        verdicts = _run_ajv(kind, [path for path, _, _ in cases])
        for path, ours, why in cases:
            theirs = verdicts.get(str(path))
            accepted += ours
            if theirs and not ours and any(reason in why for reason in BEYOND_A_SCHEMA):
                continue
            assert theirs is ours, (path.read_text(encoding="utf-8"), why)
    assert 40 <= accepted <= 360  # both verdicts are well represented
