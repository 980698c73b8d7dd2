"""Events files: an `events:` list of what happened and starts statutory clocks (a breach
detected, a request received), the same entries as an organisation file's `events:`."""

from __future__ import annotations

import yaml

from regtrack.dates import parse_day
from regtrack.orgmodels import Event
from regtrack.parse.reader import Reader, Shape, instant, parse_list, region

# The fields of an event (the JSON Schema of the organisation file lists the same).
EVENT = Shape(("id", "obligation", "at"), ("tz", "country", "reference", "closed"))


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
    if ident is None or obligation is None or at is None or zone_name is None or country is None:
        return None
    from regtrack.periods import time_zone

    try:
        zone = time_zone(zone_name)
    except ValueError as error:
        r.fail(fields["tz"], f"{path}.tz", str(error))
        return None
    aware = at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
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
    )


def parse_events(text: str, file: str) -> list[Event]:
    """The `events:` list of a file's text; every problem with file and line."""
    return parse_list(text, file, "events", event)
