"""The floors bench/run.py compares regtrack's commands with at scale: what the libraries regtrack
builds on take for the same work, with none of regtrack's own code (issue 17). Each runs as a
whole process, as the commands do.

Usage: python bench/floors.py FLOOR FILE...

- compose FILE...: libyaml composes each registry into PyYAML nodes, with no implicit-type
  resolver and the cyclic garbage collector off, as regtrack's reader does before it types a
  single field (the least any reader with line numbers on PyYAML can do; with the collector on,
  its passes over the growing tree take three times as long as the composing itself);
- csafe FILE...: `yaml.load(..., Loader=yaml.CSafeLoader)` of each registry, the usual way to
  read YAML into Python values (as a plain `python -c` does it: the collector on);
- json FILE: the standard library's indenting encoder, `json.dumps(indent=2)`, of a JSON
  document (regtrack's `list --format json`, read first);
- icalendar FILE: icalendar's object model and serialiser building one all-day event per
  milestone of a `list --format json` document, with the summary, dates, UID, categories,
  description, status and URL regtrack's events carry.
"""

from __future__ import annotations

import sys
from pathlib import Path


def compose(paths: list[str]) -> None:
    import gc

    import yaml

    gc.disable()
    from yaml._yaml import CParser

    class Loader(CParser):
        def resolve(self, kind: type, value: object, implicit: object) -> str:
            if kind is yaml.ScalarNode:
                return "tag:yaml.org,2002:str"
            return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"

        def descend_resolver(self, current_node: object, current_index: object) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    for path in paths:
        with Path(path).open(encoding="utf-8") as stream:
            loader = Loader(stream.read())
        try:
            loader.get_single_node()
        finally:
            loader.dispose()


def csafe(paths: list[str]) -> None:
    import yaml

    for path in paths:
        with Path(path).open("rb") as stream:
            yaml.load(stream, Loader=yaml.CSafeLoader)


def json_floor(path: str) -> None:
    import json

    with Path(path).open(encoding="utf-8") as stream:
        document = json.load(stream)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def icalendar_floor(path: str) -> None:
    import datetime as dt
    import json

    import icalendar

    with Path(path).open(encoding="utf-8") as stream:
        obligations = json.load(stream)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//bench//icalendar floor//EN")
    calendar.add("version", "2.0")
    stamp = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    for obligation in obligations:
        for milestone in obligation["milestones"]:
            start = dt.date.fromisoformat(milestone["date"])
            event = icalendar.Event()
            event.add("summary", f"{obligation['regulation']['short']} {obligation['citation']}")
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(days=1))
            event.add("dtstamp", stamp)
            event.add("uid", f"{obligation['id']}-{milestone['id']}@bench.invalid")
            event.add("categories", [obligation["regulation"]["short"], *obligation["tags"]])
            event.add("description", obligation["summary"])
            event.add("status", "CONFIRMED")
            if obligation["sources"]:
                event.add("url", obligation["sources"][0]["url"])
            calendar.add_component(event)
    sys.stdout.buffer.write(calendar.to_ical())


def main() -> None:
    floor, files = sys.argv[1], sys.argv[2:]
    if floor == "compose":
        compose(files)
    elif floor == "csafe":
        csafe(files)
    elif floor == "json":
        json_floor(files[0])
    elif floor == "icalendar":
        icalendar_floor(files[0])
    else:
        raise SystemExit(f"unknown floor {floor!r}")


if __name__ == "__main__":
    main()
