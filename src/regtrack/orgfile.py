"""Writing the organisation file: `init` creates it, `done` adds to its ledger.

Nothing of what the user wrote may be lost, so `done` does not re-serialise the file (which would
re-indent it and could drop comments): it finds where the `done:` list ends, inserts the new
entry's lines there with the list's own indentation, and leaves every other byte as it was. The
result is read back and compared with the file before the change; the write is atomic, and a file
that changed on disk since it was read is not overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from regtrack.atomic import CannotWrite, ChangedOnDisk, locked, write_atomic
from regtrack.errors import InvalidRegistry
from regtrack.orgmodels import Completion, Profile

TEMPLATE = """\
# regtrack organisation file (README, "Your organisation").
# regtrack finds it as ./regtrack.yaml (searched upward to the repository root), through
# REGTRACK_CONFIG, or with --config. Edit it freely: regtrack keeps your comments when it writes.
schema: 1

# Who you are. With a profile, upcoming, list, check and export show only what applies to you
# (--all shows everything; `regtrack show ID` explains why an obligation applies or not).
profile:
  name: {name}
  jurisdictions: {jurisdictions}   # where you operate: EU Member States (FR, DE, ...), UK
  roles: {roles}   # controller, processor, provider, deployer, manufacturer, ...
  sectors: {sectors}   # health, finance, ...

# The registries to read: the built-in one, and files of your own (paths relative to this file).
registries:
  builtin: true
  files: []

# Your own obligations, in the registry format (docs/registry.md). A recurring duty, e.g.:
#  - id: dpia-review-triage-ai
#    title: Yearly review of the DPIA of the AI triage tool
#    regulation: {{short: GDPR, name: Regulation (EU) 2016/679, identifier: CELEX:32016R0679}}
#    citation: Art. 35(11)
#    jurisdiction: FR
#    summary: Review the DPIA of the triage tool; update it when the risk changes.
#    sources:
#      - {{url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj", title: "GDPR, Art. 35(11)"}}
#    recurrence:
#      rule: FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1   # RFC 5545 RRULE
#      start: 2026-03-01
#      adjust: next-working-day                   # or previous-working-day
#      country: FR                                # whose public holidays to skip
obligations: []

# Your word on the registry's obligations: not applicable (say why), an owner, extra tags, and
# where you stand (status: not-started, in-progress or compliant).
#  - id: nis2-art-41-transposition
#    applicable: false
#    reason: a duty of the Member States, not ours
#  - id: gdpr-art-35-dpia
#    owner: Jane Doe (DPO)
#    status: in-progress
overrides: []

# Deadlines you handle or accept, for `regtrack check` (README, "CI gate"):
#  - {{id: ..., milestone: ..., by: ..., reason: ..., until: 2026-12-31}}
waivers: []

# Events that start statutory clocks (README, "Statutory clocks"):
#  - {{id: breach-1, obligation: gdpr-art-33-breach-notification, at: 2026-11-26T16:40}}
events: []

# The completion ledger: `regtrack done ID --evidence ...` adds to it.
done: []
"""


def _flow(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(items) + "]"


def template(profile: Profile) -> str:
    """A commented regtrack.yaml for this profile."""
    name = profile.name or "Your organisation"
    if any(c in name for c in ":#{}[],&*!|>'\"%@`") or name != name.strip():
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return TEMPLATE.format(
        name=name,
        jurisdictions=_flow(profile.jurisdictions),
        roles=_flow(profile.roles),
        sectors=_flow(profile.sectors),
    )


def create(path: Path, profile: Profile, force: bool = False) -> None:
    """Write a new organisation file; an existing one is kept unless `force`."""
    if path.exists() and not force:
        raise CannotWrite(path, "it exists already (use --force to replace it)")
    write_atomic(path, template(profile).encode("utf-8"))


def _entry_lines(indent: int, completion: Completion) -> list[str]:
    """The new list item, each value a JSON string (valid YAML, escaped: no injection)."""
    pad = " " * indent
    fields = [
        ("id", completion.obligation),
        ("milestone", completion.milestone),
        ("on", completion.on.isoformat()),
        ("by", completion.by),
        ("evidence", completion.evidence),
    ]
    lines = []
    for index, (key, value) in enumerate(fields):
        lead = f"{pad}- " if index == 0 else f"{pad}  "
        text = value if key in ("id", "on") else json.dumps(value, ensure_ascii=False)
        lines.append(f"{lead}{key}: {text}\n")
    return lines


def with_completion(text: str, completion: Completion) -> str:
    """`text` with `completion` added at the end of its top-level `done:` list; ValueError when
    the file's `done:` is a non-empty inline list, where lines cannot be added."""
    from regtrack.parse import locate_key

    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    value = locate_key(text, "done")
    if value is None:  # no ledger yet: add one at the end
        return "".join(lines) + "\ndone:\n" + "".join(_entry_lines(2, completion))
    if value.empty_flow:  # `done: []` becomes a block list
        line = lines[value.line]
        # only `[]` goes: a comment after it keeps its place and its spacing (issue 27), and
        # the line keeps its own ending (a CRLF file stays CRLF)
        body = line.rstrip("\r\n")
        ending = line[len(body) :] or "\n"
        rest = body[value.end_column :]
        lines[value.line] = (body[: value.column].rstrip(" ") + rest).rstrip(" ") + ending
        insert_at, indent = value.line + 1, value.key_column + 2
    elif value.items_column is not None:  # a block list: after its last item
        insert_at, indent = value.end_line, value.items_column
    else:
        raise ValueError(
            "its done: list is written inline ([...]) or with an item on a line of its own; "
            "write it as a block list (one '- ' item a line) so that regtrack can add to it"
        )
    return "".join(lines[:insert_at] + _entry_lines(indent, completion) + lines[insert_at:])


def append_completions(path: Path, completions: Sequence[Completion]) -> None:
    """Add `completions` to the ledger of the organisation file at `path`, in one write, under
    the folder's lock: parallel runs take turns, and each one's entries land."""
    with locked(path):
        _append(path, completions)


def _append(path: Path, completions: Sequence[Completion]) -> None:
    from regtrack.parse import parse_config
    from regtrack.registry import decode, read_bytes

    before = read_bytes(path)
    text = decode(before, str(path))
    old = parse_config(text, str(path))
    recorded = {(c.obligation, c.milestone): c for c in old.done}
    for completion in completions:  # read under the lock: a parallel run may have recorded it
        earlier = recorded.get((completion.obligation, completion.milestone))
        if earlier is not None:
            raise CannotWrite(
                path,
                f"{completion.obligation}/{completion.milestone} is already recorded as done on "
                f"{earlier.on} by {earlier.by} (line {earlier.line}); nothing written",
            )
    updated = text
    try:
        for completion in completions:
            updated = with_completion(updated, completion)
    except ValueError as error:
        raise CannotWrite(path, str(error)) from None
    unsafe = "the new ledger entry could not be added safely; nothing written"
    try:
        new = parse_config(updated, str(path))
    except InvalidRegistry:  # its lines are those of a text never written: not the user's
        raise CannotWrite(path, unsafe) from None

    expected = _unlined((*old.done, *completions))
    # Entries after the ledger (waivers:, events:) move down by the lines added: compared
    # without their lines, the file must say what it said, plus the new records (issue 27)
    if _unlined(new.done) != expected or _unlined(new._replace(done=())) != _unlined(
        old._replace(done=())
    ):
        raise CannotWrite(path, unsafe)
    if read_bytes(path) != before:
        raise ChangedOnDisk(path)
    write_atomic(path, as_written(updated, before), unchanged_since=before)


def _unlined(value: object) -> object:
    """`value` with every entry's place (`file`, `line`) blanked, through tuples and named
    tuples."""
    if isinstance(value, tuple):
        items = tuple(_unlined(item) for item in value)
        fields = getattr(value, "_fields", None)
        if fields is None:
            return items
        blank = {"file": "", "line": 0}
        items = tuple(blank.get(name, item) for name, item in zip(fields, items, strict=True))
        made: object = type(value)._make(items)  # type: ignore[attr-defined]
        return made
    return value


def as_written(text: str, before: bytes) -> bytes:
    """`text` encoded as the file was (issue 27): its byte-order mark kept, and its records in
    the file's own line endings, so that the file changes by the new record alone."""
    if b"\r\n" in before and before.count(b"\r\n") == before.count(b"\n"):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode("utf-8")
    bom = b"\xef\xbb\xbf"
    return bom + data if before.startswith(bom) and not data.startswith(bom) else data
