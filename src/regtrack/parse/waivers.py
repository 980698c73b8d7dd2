"""Waivers files: a `waivers:` list of who handles or accepts which deadline, until when (the
same entries as an organisation file's `waivers:`)."""

from __future__ import annotations

import yaml

from regtrack.dates import parse_day
from regtrack.orgmodels import Waiver
from regtrack.parse.reader import Reader, Shape, parse_list

# The fields of a waiver (the JSON Schema of the organisation file lists the same).
WAIVER = Shape(("id", "by", "reason", "until"), ("milestone",))


def waiver(r: Reader, node: yaml.Node, path: str) -> Waiver | None:
    fields = r.shaped(node, path, WAIVER)
    if fields is None:
        return None
    ident = r.target(fields["id"], f"{path}.id") if "id" in fields else None
    milestone = r.slug(fields["milestone"], f"{path}.milestone") if "milestone" in fields else ""
    by = r.text(fields["by"], f"{path}.by") if "by" in fields else None
    reason = (
        r.text(fields["reason"], f"{path}.reason", multiline=True) if "reason" in fields else None
    )
    until = r.parsed(fields["until"], f"{path}.until", parse_day) if "until" in fields else None
    if ident is None or milestone is None or by is None or reason is None or until is None:
        return None
    return Waiver(ident, milestone, by, reason, until, r.file, node.start_mark.line + 1)


def parse_waivers(text: str, file: str) -> list[Waiver]:
    """The `waivers:` list of a file's text; every problem with file and line."""
    return parse_list(text, file, "waivers", waiver)
