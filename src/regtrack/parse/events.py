"""Events files: an `events:` list of what happened and starts statutory clocks (a breach
detected, a request received), the same entries as an organisation file's `events:`."""

from __future__ import annotations

import datetime as dt

import yaml

from regtrack.dates import parse_day
from regtrack.orgmodels import Event
from regtrack.parse.reader import Reader, Shape, instant, parse_list, region

# The fields of an event (the JSON Schema of the organisation file lists the same).
EVENT = Shape(("id", "obligation", "at"), ("tz", "country", "reference", "closed", "triggers"))
# A later moment of an event that starts some of its obligation's periods (a period's
# `trigger`), such as the end of an incident's handling (NIS2 Art. 23(4)(e)).
TRIGGER = Shape(("name", "at"))


def _trigger(r: Reader, node: yaml.Node, path: str) -> tuple[str, yaml.Node, dt.datetime] | None:
    fields = r.shaped(node, path, TRIGGER)
    if fields is None or "name" not in fields or "at" not in fields:
        return None
    name = r.slug(fields["name"], f"{path}.name")
    at = r.parsed(fields["at"], f"{path}.at", instant)
    if name is None or at is None:
        return None
    return name, fields["at"], at


def event(r: Reader, node: yaml.Node, path: str) -> Event | None:
    fields = r.shaped(node, path, EVENT)
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    obligation = (
        r.slug(fields["obligation"], f"{path}.obligation") if "obligation" in fields else None
    )
    at = r.parsed(fields["at"], f"{path}.at", instant) if "at" in fields else None
    zone_name = r.text(fields["tz"], f"{path}.tz") if "tz" in fields else "UTC"
    country = r.parsed(fields["country"], f"{path}.country", region) if "country" in fields else ""
    reference = r.text(fields["reference"], f"{path}.reference") if "reference" in fields else ""
    closed = r.parsed(fields["closed"], f"{path}.closed", parse_day) if "closed" in fields else None
    later = (
        r.located(fields["triggers"], f"{path}.triggers", lambda n, p: _trigger(r, n, p))
        if "triggers" in fields
        else []
    )
    if ident is None or obligation is None or at is None or zone_name is None or country is None:
        return None
    from regtrack.periods import localize, time_zone

    try:
        zone = time_zone(zone_name)
    except ValueError as error:
        r.fail(fields["tz"], f"{path}.tz", str(error))
        return None
    try:
        aware = localize(at, zone, zone_name)
    except ValueError as error:
        r.fail(fields["at"], f"{path}.at", str(error))
        return None
    triggers: list[tuple[str, dt.datetime]] = []
    for item, where, (name, at_node, moment) in later:
        if any(name == known for known, _ in triggers):
            r.fail(item, f"{where}.name", f"duplicate trigger {name!r}")
            continue
        try:
            when = localize(moment, zone, zone_name)
        except ValueError as error:
            r.fail(at_node, f"{where}.at", str(error))
            continue
        if when < aware:
            r.fail(at_node, f"{where}.at", f"is before the event itself ({aware.isoformat()})")
            continue
        triggers.append((name, when))
    return Event(
        ident,
        obligation,
        aware,
        zone_name,
        country or "",
        reference or "",
        closed,
        r.file,
        node.start_mark.line + 1,
        tuple(triggers),
    )


def parse_events(text: str, file: str) -> list[Event]:
    """The `events:` list of a file's text; every problem with file and line."""
    return parse_list(text, file, "events", event)
