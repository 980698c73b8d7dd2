"""Organisation files (`regtrack.yaml`): the profile, the registries to read, own obligations,
overrides, waivers, events and the completion ledger."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import yaml

from regtrack.dates import parse_day
from regtrack.errors import InvalidRegistry, Problem
from regtrack.orgmodels import Completion, OrgConfig, Override, Profile, Progress
from regtrack.parse.events import event
from regtrack.parse.reader import (
    Reader,
    Shape,
    compose,
    jurisdiction_code,
    roles,
    schema_version,
    sectors,
    words,
)
from regtrack.parse.registry import obligation
from regtrack.parse.waivers import waiver

T = TypeVar("T")


# The fields of each mapping of an organisation file (its JSON Schema lists the same).
ORGANISATION = Shape(
    ("schema",),
    ("profile", "registries", "obligations", "overrides", "waivers", "events", "done"),
)
PROFILE = Shape((), ("name", "jurisdictions", "roles", "sectors"))
REGISTRIES = Shape((), ("builtin", "files"))
OVERRIDE = Shape(("id",), ("applicable", "reason", "owner", "tags", "status"))
COMPLETION = Shape(("id", "milestone", "on", "by", "evidence"))


def _profile(r: Reader, node: yaml.Node, path: str) -> Profile | None:
    fields = r.shaped(node, path, PROFILE)
    if fields is None:
        return None
    name = r.text(fields["name"], f"{path}.name") if "name" in fields else ""
    places = (
        tuple(
            r.sequence(
                fields["jurisdictions"],
                f"{path}.jurisdictions",
                lambda n, p: r.parsed(n, p, jurisdiction_code),
            )
        )
        if "jurisdictions" in fields
        else ()
    )
    held = roles(r, fields["roles"], f"{path}.roles") if "roles" in fields else ()
    active = sectors(r, fields["sectors"], f"{path}.sectors") if "sectors" in fields else ()
    return Profile(name or "", places, held, active)


def override(r: Reader, node: yaml.Node, path: str) -> Override | None:
    fields = r.shaped(node, path, OVERRIDE)
    if fields is None or "id" not in fields:
        return None
    ident = r.slug(fields["id"], f"{path}.id")
    applicable = (
        r.boolean(fields["applicable"], f"{path}.applicable") if "applicable" in fields else True
    )
    reason = (
        r.text(fields["reason"], f"{path}.reason", multiline=True) if "reason" in fields else ""
    )
    owner = r.text(fields["owner"], f"{path}.owner") if "owner" in fields else ""
    tags = words(r, fields["tags"], f"{path}.tags") if "tags" in fields else ()
    progress = (
        r.choice(fields["status"], f"{path}.status", Progress) if "status" in fields else None
    )
    if ident is None or applicable is None or reason is None or owner is None:
        return None
    if "status" in fields and progress is None:
        return None
    if not applicable and not reason:
        r.fail(node, f"{path}.reason", "say why the obligation does not apply")
        return None
    return Override(
        ident, applicable, reason, owner, tags, r.file, node.start_mark.line + 1, progress
    )


def _completion(r: Reader, node: yaml.Node, path: str) -> Completion | None:
    fields = r.shaped(node, path, COMPLETION)
    if fields is None or len(fields) < 5:
        return None
    ident = r.target(fields["id"], f"{path}.id")
    milestone = r.text(fields["milestone"], f"{path}.milestone")
    on = r.parsed(fields["on"], f"{path}.on", parse_day)
    by = r.text(fields["by"], f"{path}.by")
    evidence = r.text(fields["evidence"], f"{path}.evidence", multiline=True)
    if ident is None or milestone is None or on is None or by is None or evidence is None:
        return None
    return Completion(ident, milestone, on, by, evidence, r.file, node.start_mark.line + 1)


def config_of(r: Reader, node: yaml.Node) -> OrgConfig:
    """The organisation file of a document's root node."""
    fields = r.shaped(node, "", ORGANISATION) or {}
    if "schema" in fields:
        schema_version(r, fields["schema"])
    profile = _profile(r, fields["profile"], "profile") if "profile" in fields else None
    builtin = True
    files: tuple[str, ...] = ()
    if "registries" in fields:
        registries = r.shaped(fields["registries"], "registries", REGISTRIES) or {}
        if "builtin" in registries:
            builtin = r.boolean(registries["builtin"], "registries.builtin") is not False
        if "files" in registries:
            files = tuple(
                r.sequence(registries["files"], "registries.files", lambda n, p: r.text(n, p))
            )

    def listed(key: str, item: Callable[[Reader, yaml.Node, str], T | None]) -> tuple[T, ...]:
        if key not in fields:
            return ()
        return tuple(r.sequence(fields[key], key, lambda n, p: item(r, n, p)))

    return OrgConfig(
        file=r.file,
        profile=profile,
        builtin=builtin,
        registries=files,
        obligations=listed("obligations", obligation),
        overrides=listed("overrides", override),
        waivers=listed("waivers", waiver),
        events=listed("events", event),
        done=listed("done", _completion),
    )


def parse_config(text: str, file: str) -> OrgConfig:
    """An organisation file's text; InvalidRegistry lists every problem with its line."""
    node = compose(text, file)
    if node is None:
        raise InvalidRegistry([Problem(file, 1, 1, "", "the file is empty (run regtrack init)")])
    r = Reader(file, text)
    config = config_of(r, node)
    if r.problems:
        raise InvalidRegistry(r.problems)
    return config
