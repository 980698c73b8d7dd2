"""A consultancy's portfolio (issue 25): which clients a run is about, and each one's workspace,
built from its own organisation file with the firm's baseline. Reads files (through
regtrack.registry and regtrack.workspace), writes none."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from regtrack.errors import InvalidOption, InvalidRegistry, Problem

if TYPE_CHECKING:
    from regtrack.diff import RegistryDiff
    from regtrack.orgmodels import Client, Portfolio
    from regtrack.workspace import Workspace


def pick(portfolio: Portfolio, names: Sequence[str] = (), tags: Sequence[str] = ()) -> list[Client]:
    """The clients `--client` (names or globs such as `clinique-*`) and `--clients` (tags) choose,
    in the portfolio's order; every client without either. A name or tag that chooses nobody
    is an error naming the closest: a typo must never run a Monday for nobody."""
    from regtrack.select import suggest

    clients = list(portfolio.clients)
    known = [c.name for c in clients]
    for name in names:
        if not any(fnmatch.fnmatchcase(c, name.strip()) for c in known):
            close = suggest(name.strip(), known)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InvalidOption(
                "--client", f"no client {name!r} in {portfolio.file} ({hint}clients: "
                f"{', '.join(known) or 'none'})"
            )  # fmt: skip
    labels = sorted({t for c in clients for t in c.tags})
    for tag in tags:
        if tag.strip().casefold() not in {t.casefold() for t in labels}:
            close = suggest(tag.strip(), labels)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InvalidOption(
                "--clients",
                f"no client is tagged {tag!r} ({hint}tags: {', '.join(labels) or 'none'})",
            )
    wanted_tags = {t.strip().casefold() for t in tags}
    return [
        c
        for c in clients
        if (not names or any(fnmatch.fnmatchcase(c.name, n.strip()) for n in names))
        and (not wanted_tags or wanted_tags & {t.casefold() for t in c.tags})
    ]


class Broken(NamedTuple):
    """A client a run could not evaluate: its files' problems, each naming the client."""

    client: str
    problems: tuple[Problem, ...]


def open_clients(
    portfolio: Portfolio,
    clients: Sequence[Client],
    *,
    today: dt.date,
    until: dt.date | None = None,
    registries: Sequence[Path] = (),
    events: Sequence[Path] = (),
    waivers: Sequence[Path] = (),
    include_all: bool = False,
    builtin: bool = True,
) -> list[Workspace]:
    """Each client's workspace: its organisation file with the portfolio's baseline, and the
    files given to every command. InvalidRegistry lists the problems of every client at once,
    each with its file and line: one broken client never hides behind the others."""
    spaces, broken = open_each(
        portfolio,
        clients,
        today=today,
        until=until,
        registries=registries,
        events=events,
        waivers=waivers,
        include_all=include_all,
        builtin=builtin,
    )
    if broken:
        raise InvalidRegistry(list(dict.fromkeys(p for b in broken for p in b.problems)))
    return spaces


def open_each(
    portfolio: Portfolio,
    clients: Sequence[Client],
    *,
    today: dt.date,
    until: dt.date | None = None,
    registries: Sequence[Path] = (),
    events: Sequence[Path] = (),
    waivers: Sequence[Path] = (),
    include_all: bool = False,
    builtin: bool = True,
) -> tuple[list[Workspace], list[Broken]]:
    """The workspaces of the clients whose files are sound, and the clients that are not (a
    missing organisation file, a problem in one of its files), each with its problems: a run
    goes on for the others and says which it could not evaluate. A problem of the firm's
    baseline, or of a file every client reads, is every client's: InvalidRegistry."""
    from regtrack.registry import missing_files, reading_once
    from regtrack.workspace import open_workspace

    folder = Path(portfolio.file).parent
    missing = dict(missing_files(portfolio))
    spaces: list[Workspace] = []
    broken: list[Broken] = []
    shared: list[Problem] = []
    # what every client reads: the files given to the command, and the firm's baseline
    common = {str(path) for path in (*registries, *events, *waivers)}
    if builtin:
        from regtrack.registry import builtin_path

        common.add(str(builtin_path()))

    def everyone(problem: Problem) -> bool:
        return problem.file in common or problem.field.startswith("baseline.")

    with reading_once():  # the registries every client shares are read once
        for client in clients:
            if client.name in missing:
                broken.append(Broken(client.name, (missing[client.name],)))
                continue
            try:
                space = open_workspace(
                    config_path=folder / client.config,
                    registries=registries,
                    events=events,
                    waivers=waivers,
                    today=today,
                    until=until,
                    include_all=include_all,
                    builtin=builtin,
                    baseline=portfolio,
                )
            except InvalidRegistry as error:
                # what every client reads is said once, as it is; the rest names the client
                shared += [p for p in error.problems if everyone(p)]
                own = tuple(
                    p._replace(message=f"{p.message} (client {client.name})")
                    for p in error.problems
                    if not everyone(p)
                )
                broken.append(Broken(client.name, own))
                continue
            spaces.append(space._replace(client=client.name))
    if shared:
        raise InvalidRegistry(
            [*dict.fromkeys(shared), *dict.fromkeys(p for b in broken for p in b.problems)]
        )
    return spaces, broken


def impact(changes: RegistryDiff, spaces: Sequence[Workspace]) -> RegistryDiff:
    """`changes` with, for every obligation they add, remove or move, the clients it applies to
    (each client's profile and its own word on the obligation decide) and why: a change in the
    law, read as "which of my clients does it touch" (issue 25)."""
    from regtrack.diff import Touch
    from regtrack.organisation import applicability

    obligations = {o.id: o for o in (*changes.added, *changes.removed)}
    obligations.update({c.obligation.id: c.obligation for c in changes.milestones})
    touched = []
    for ident, obligation in obligations.items():
        found = []
        for space in spaces:
            override = next(
                (
                    o
                    for o in (space.config.overrides if space.config else ())
                    if o.obligation == ident
                ),
                None,
            )
            seen = obligation
            if override is not None and not override.applicable:
                seen = obligation._replace(not_applicable=override.reason)
            applies, reasons = applicability(seen, space.profile)
            if applies:
                found.append(Touch(space.client, "; ".join(reasons)))
        touched.append((ident, tuple(found)))
    return changes._replace(touched=tuple(touched))
