"""Registry files: obligations, their milestones and periods (schema v1, docs/registry.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import yaml

from regtrack.dates import parse_day, parse_duration, parse_rrule
from regtrack.errors import InvalidRegistry, Problem
from regtrack.models import (
    Change,
    Duration,
    Force,
    Kind,
    Milestone,
    Obligation,
    Period,
    Regulation,
    Revision,
    Source,
    Status,
)
from regtrack.orgmodels import Recurrence
from regtrack.parse.reader import (
    ADJUST,
    MAX_FILE_PROBLEMS,
    MAX_NODES,
    Reader,
    Shape,
    TooLarge,
    TooManyProblems,
    compose,
    jurisdiction_code,
    region,
    roles,
    schema_version,
    sectors,
    window_of,
    words,
)

# The fields of each mapping of a registry (docs/registry.md; the JSON Schema lists the same).
REGISTRY = Shape(("schema", "obligations"))
SOURCE = Shape(("url", "title"), ("official", "quote", "article"))
REGULATION = Shape(("short", "name", "identifier"))
CHANGE = Shape(("from", "to", "act", "source"), ("published",))
REVISION = Shape(("until",), ("status", "date", "note"))
MILESTONE = Shape(
    ("id", "kind", "date", "status", "verified"),
    ("title", "note", "sources", "history", "owed_by", "added", "previous", "unquoted"),
)
PERIOD = Shape(
    ("id", "title", "duration", "verified"),
    ("citation", "from", "after", "extension", "status", "trigger"),
)
OBLIGATION = Shape(
    ("id", "title", "regulation", "citation", "jurisdiction", "summary", "sources"),
    ("authority", "tags", "roles", "sectors", "milestones", "periods", "recurrence", "force"),
)
RECURRENCE = Shape(("rule", "start"), ("kind", "adjust", "country"))


def _source(r: Reader, node: yaml.Node, path: str) -> Source | None:
    fields = r.shaped(node, path, SOURCE)
    if fields is None:
        return None
    url = r.url(fields["url"], f"{path}.url") if "url" in fields else None
    title = r.text(fields["title"], f"{path}.title") if "title" in fields else None
    official = r.boolean(fields["official"], f"{path}.official") if "official" in fields else True
    quote = r.text(fields["quote"], f"{path}.quote", multiline=True) if "quote" in fields else ""
    article = r.text(fields["article"], f"{path}.article") if "article" in fields else ""
    if url is None or title is None or official is None or quote is None or article is None:
        return None
    if article and not quote:
        r.fail(fields["article"], f"{path}.article", "names where a quote is; give the quote too")
        return None
    # A quote is one passage: its lines are joined, as a reader of the text sees it.
    return r.share(Source(url, title, official, " ".join(quote.split()), article))


def _sources(r: Reader, node: yaml.Node, path: str) -> tuple[Source, ...] | None:
    sources = r.sequence(node, path, lambda n, p: _source(r, n, p))
    if isinstance(node, yaml.SequenceNode) and not node.value:
        r.fail(node, path, "needs at least one source")
        return None
    return tuple(sources)


def _change(r: Reader, node: yaml.Node, path: str) -> Change | None:
    fields = r.shaped(node, path, CHANGE)
    if fields is None or len(fields) < 4:
        return None
    old = r.parsed(fields["from"], f"{path}.from", window_of)
    new = r.parsed(fields["to"], f"{path}.to", window_of)
    act = r.text(fields["act"], f"{path}.act")
    source = r.url(fields["source"], f"{path}.source")
    # not `on`: YAML 1.1 readers (editors, PyYAML's default loader) take that key for `true`
    published = (
        r.parsed(fields["published"], f"{path}.published", parse_day)
        if "published" in fields
        else None
    )
    if old is None or new is None or act is None or source is None:
        return None
    if "published" in fields and published is None:
        return None
    if old == new:
        r.fail(fields["to"], f"{path}.to", f"is the same date as 'from' ({old.text})")
        return None
    return Change(old, new, act, source, published)


def _revision(r: Reader, node: yaml.Node, path: str) -> Revision | None:
    fields = r.shaped(node, path, REVISION)
    if fields is None or "until" not in fields:
        return None
    until = r.parsed(fields["until"], f"{path}.until", parse_day)
    status = r.choice(fields["status"], f"{path}.status", Status) if "status" in fields else None
    window = r.parsed(fields["date"], f"{path}.date", window_of) if "date" in fields else None
    note = r.text(fields["note"], f"{path}.note", multiline=True) if "note" in fields else ""
    if until is None or note is None:
        return None
    if ("status" in fields and status is None) or ("date" in fields and window is None):
        return None
    if status is None and window is None:
        r.fail(node, f"{path}.status", "say what it was before: a 'status', a 'date', or both")
        return None
    return Revision(until, status, window, note)


def _milestone(r: Reader, node: yaml.Node, path: str) -> Milestone | None:
    fields = r.shaped(node, path, MILESTONE)
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    kind = r.choice(fields["kind"], f"{path}.kind", Kind) if "kind" in fields else None
    window = r.parsed(fields["date"], f"{path}.date", window_of) if "date" in fields else None
    status = r.choice(fields["status"], f"{path}.status", Status) if "status" in fields else None
    verified = (
        r.parsed(fields["verified"], f"{path}.verified", parse_day)
        if "verified" in fields
        else None
    )
    title = r.text(fields["title"], f"{path}.title") if "title" in fields else ""
    note = r.text(fields["note"], f"{path}.note", multiline=True) if "note" in fields else ""
    sources = _sources(r, fields["sources"], f"{path}.sources") if "sources" in fields else ()
    owed_by = roles(r, fields["owed_by"], f"{path}.owed_by") if "owed_by" in fields else ()
    added = r.parsed(fields["added"], f"{path}.added", parse_day) if "added" in fields else None
    unquoted = (
        r.text(fields["unquoted"], f"{path}.unquoted", multiline=True)
        if "unquoted" in fields
        else ""
    )
    previous: tuple[Revision, ...] = ()
    if "previous" in fields:
        previous = tuple(
            r.sequence(fields["previous"], f"{path}.previous", lambda n, p: _revision(r, n, p))
        )
    history: tuple[Change, ...] = ()
    if "history" in fields:
        history = tuple(
            r.sequence(fields["history"], f"{path}.history", lambda n, p: _change(r, n, p))
        )
    if status is Status.AMENDED and "history" not in fields:
        r.fail(
            fields["status"],
            f"{path}.status",
            "an amended date needs a history (from, to, act, source)",
        )
        return None
    if ident is None or kind is None or window is None or status is None or verified is None:
        return None
    if title is None or note is None or sources is None:
        return None
    if ("added" in fields and added is None) or unquoted is None:
        return None
    return Milestone(
        id=ident,
        kind=kind,
        window=window,
        status=status,
        verified=verified,
        title=title or "",
        note=note or "",
        sources=sources or (),
        history=history,
        line=node.start_mark.line + 1,
        owed_by=owed_by,
        added=added,
        previous=previous,
        unquoted=" ".join(unquoted.split()),
    )


def _period(r: Reader, node: yaml.Node, path: str) -> Period | None:
    fields = r.shaped(node, path, PERIOD)
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    title = r.text(fields["title"], f"{path}.title") if "title" in fields else None
    duration = (
        r.parsed(fields["duration"], f"{path}.duration", parse_duration)
        if "duration" in fields
        else None
    )
    verified = (
        r.parsed(fields["verified"], f"{path}.verified", parse_day)
        if "verified" in fields
        else None
    )
    citation = r.text(fields["citation"], f"{path}.citation") if "citation" in fields else ""
    start = r.text(fields["from"], f"{path}.from") if "from" in fields else ""
    after = r.slug(fields["after"], f"{path}.after") if "after" in fields else ""
    trigger = r.slug(fields["trigger"], f"{path}.trigger") if "trigger" in fields else ""
    if trigger and "after" in fields:
        r.fail(
            fields["trigger"],
            f"{path}.trigger",
            "a period runs 'after' another or from a 'trigger' of its event, not both",
        )
        return None
    extension: Duration | None = None
    if "extension" in fields:
        extension = r.parsed(fields["extension"], f"{path}.extension", parse_duration)
        if extension is None:
            return None
    status = (
        r.choice(fields["status"], f"{path}.status", Status) if "status" in fields else Status.FIXED
    )
    if ("from" in fields) == ("after" in fields):
        r.fail(node, f"{path}.from", "give exactly one of 'from' (an event) or 'after' (a period)")
        return None
    if None in (ident, title, duration, verified, citation, start, after, status, trigger):
        return None
    assert ident and title and isinstance(duration, Duration) and isinstance(verified, dt.date)
    assert isinstance(status, Status)
    return Period(
        ident,
        title,
        duration,
        verified,
        citation or "",
        start or "",
        after or "",
        extension,
        status,
        node.start_mark.line + 1,
        trigger or "",
    )


def _unique(r: Reader, items: Sequence[tuple[yaml.Node, str, Milestone | Period]]) -> None:
    first: dict[str, int] = {}
    for node, path, item in items:
        if item.id in first:
            r.fail(node, f"{path}.id", f"duplicate id {item.id!r} (first at line {first[item.id]})")
        first.setdefault(item.id, node.start_mark.line + 1)


def _check_chains(r: Reader, items: Sequence[tuple[yaml.Node, str, Period]]) -> None:
    """Every `after` names a period of the same obligation, and no chain loops."""
    by_id = {period.id: period for _, _, period in items}
    for node, path, period in items:
        if not period.after:
            continue
        if period.after not in by_id:
            r.fail(node, f"{path}.after", f"no period {period.after!r} in this obligation")
            continue
        seen, current = {period.id}, by_id[period.after]
        while current.after in by_id:
            if current.after in seen:
                r.fail(node, f"{path}.after", "periods run after each other in a loop")
                break
            seen.add(current.id)
            current = by_id[current.after]


def obligation(r: Reader, node: yaml.Node, path: str) -> Obligation | None:
    problems_before = len(r.problems)  # before the mapping: a missing field is a problem too
    fields = r.shaped(node, path, OBLIGATION)
    if fields is None:
        return None
    ident = r.slug(fields["id"], f"{path}.id") if "id" in fields else None
    label = f"obligations[{ident}]" if ident else path
    title = r.text(fields["title"], f"{label}.title") if "title" in fields else None
    regulation = (
        _regulation(r, fields["regulation"], f"{label}.regulation")
        if "regulation" in fields
        else None
    )
    citation = r.text(fields["citation"], f"{label}.citation") if "citation" in fields else None
    jurisdiction = (
        r.parsed(fields["jurisdiction"], f"{label}.jurisdiction", jurisdiction_code)
        if "jurisdiction" in fields
        else None
    )
    summary = (
        r.text(fields["summary"], f"{label}.summary", multiline=True)
        if "summary" in fields
        else None
    )
    sources = _sources(r, fields["sources"], f"{label}.sources") if "sources" in fields else None
    authority = r.text(fields["authority"], f"{label}.authority") if "authority" in fields else ""
    tags = words(r, fields["tags"], f"{label}.tags") if "tags" in fields else ()
    roles_ = roles(r, fields["roles"], f"{label}.roles") if "roles" in fields else ()
    sectors_ = sectors(r, fields["sectors"], f"{label}.sectors") if "sectors" in fields else ()
    recurrence = (
        _recurrence(r, fields["recurrence"], f"{label}.recurrence")
        if "recurrence" in fields
        else None
    )
    force = r.choice(fields["force"], f"{label}.force", Force) if "force" in fields else Force.LAW
    milestones: list[tuple[yaml.Node, str, Milestone]] = []
    if "milestones" in fields:
        milestones = r.located(
            fields["milestones"], f"{label}.milestones", lambda n, p: _milestone(r, n, p)
        )
        _unique(r, milestones)
        for m_node, m_path, milestone in milestones:
            strangers = [role for role in milestone.owed_by if role not in roles_]
            if strangers:  # owed_by narrows the obligation's roles; it cannot add to them
                r.fail(
                    m_node,
                    f"{m_path}.owed_by",
                    f"{', '.join(strangers)} not among the obligation's roles "
                    f"({', '.join(roles_) or 'none'})",
                )
    periods: list[tuple[yaml.Node, str, Period]] = []
    if "periods" in fields:
        periods = r.located(fields["periods"], f"{label}.periods", lambda n, p: _period(r, n, p))
        _unique(r, periods)
        _check_chains(r, periods)
    if len(r.problems) > problems_before:
        return None
    assert ident and title and regulation and citation and jurisdiction and summary and sources
    return Obligation(
        id=ident,
        title=title,
        regulation=regulation,
        citation=citation,
        jurisdiction=jurisdiction,
        summary=summary,
        sources=sources,
        authority=authority or "",
        tags=tags,
        roles=roles_,
        milestones=tuple(m for _, _, m in milestones),
        periods=tuple(p for _, _, p in periods),
        sectors=sectors_,
        recurrence=recurrence,
        file=r.file,
        line=node.start_mark.line + 1,
        force=force or Force.LAW,
    )


def _recurrence(r: Reader, node: yaml.Node, path: str) -> Recurrence | None:
    fields = r.shaped(node, path, RECURRENCE)
    if fields is None or "rule" not in fields or "start" not in fields:
        return None
    start = r.parsed(fields["start"], f"{path}.start", parse_day)
    kind = r.choice(fields["kind"], f"{path}.kind", Kind) if "kind" in fields else Kind.REVIEW
    adjust = r.text(fields["adjust"], f"{path}.adjust") if "adjust" in fields else ""
    country = r.parsed(fields["country"], f"{path}.country", region) if "country" in fields else ""
    if adjust and adjust not in ADJUST:
        r.fail(
            fields["adjust"],
            f"{path}.adjust",
            f"{adjust!r} is not allowed (expected one of {', '.join(ADJUST)})",
        )
        return None
    if start is None or kind is None or adjust is None or country is None:
        return None
    rule = r.parsed(fields["rule"], f"{path}.rule", lambda text: parse_rrule(text, start))
    if rule is None:
        return None
    return Recurrence(rule, start, kind, adjust, country)


def _regulation(r: Reader, node: yaml.Node, path: str) -> Regulation | None:
    fields = r.shaped(node, path, REGULATION)
    if fields is None:
        return None
    values = [
        r.text(fields[k], f"{path}.{k}") if k in fields else None
        for k in ("short", "name", "identifier")
    ]
    if None in values:
        return None
    short, name, identifier = (str(v) for v in values)
    return r.share(Regulation(short, name, identifier))


def obligations_of(r: Reader, node: yaml.Node) -> list[Obligation]:
    """The obligations of a registry document's root node."""
    fields = r.shaped(node, "", REGISTRY)
    if fields is None:
        return []
    if "schema" in fields:
        schema_version(r, fields["schema"])
    if "obligations" not in fields:
        return []
    return r.sequence(fields["obligations"], "obligations", lambda n, p: obligation(r, n, p))


def parse_text(text: str, file: str) -> tuple[list[Obligation], list[Problem]]:
    """The obligations of one registry document, and every problem found in it."""
    try:
        node = compose(text, file)
    except InvalidRegistry as error:
        return [], list(error.problems)
    if node is None:
        return [], [
            Problem(file, 1, 1, "", "the file is empty (expected schema: and obligations:)")
        ]
    r = Reader(file, text)
    try:
        obligations = obligations_of(r, node)
    except TooLarge:
        r.problems.append(Problem(file, 0, 0, "", f"more than {MAX_NODES} values; refused"))
        return [], r.problems
    except TooManyProblems:
        r.problems.append(
            Problem(file, 0, 0, "", f"stopped reading after {MAX_FILE_PROBLEMS} problems")
        )
        return [], r.problems
    except RecursionError:
        return [], [Problem(file, 0, 0, "", "nested too deeply")]
    return obligations, r.problems
