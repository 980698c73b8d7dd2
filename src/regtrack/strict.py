"""`validate --strict`: the data rules of the registry beyond its schema (issue #3).

- a date fixed in law (`fixed`, `amended`) cites at least one official source;
- a source not marked `official: false` is on an official domain;
- a date that rests on secondary sources only is `expected` or `proposed` and says why in a note;
- `verified` is neither in the future nor older than the allowed age;
- a history is consistent: each move starts where the previous one ended, and the last one ends
  on the milestone's date;
- a date fixed in law quotes its evidence: one of its official sources carries the passage that
  gives the date (`quote`, and where it is, `article`), and each move by an amending act says when
  the act was published (`published`), which is what `regtrack changes --since` reads (issue 26);
- a date does not stay a guess long after it has passed (`STALE_AFTER`): a `deadline` or
  `applies` date still `expected` or `proposed` is confirmed, corrected or superseded, and an
  `expected` publication still `expected` says in a note what became of it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from regtrack.errors import Problem
from regtrack.models import Kind, Milestone, Obligation, Period, Source, Status

# Publishers of official texts and the authorities' own sites. A subdomain counts as its domain.
OFFICIAL_DOMAINS = (
    "europa.eu",  # EUR-Lex, the Commission, the ESAs, ENISA, the EDPB
    "legislation.gov.uk",
    "gov.uk",
    "ico.org.uk",
    "legifrance.gouv.fr",
    "gouv.fr",
    "cnil.fr",
    "has-sante.fr",
    "vie-publique.fr",  # DILA, the publisher of Légifrance: the state of French bills
    "iaf.nu",  # International Accreditation Forum: IAF mandatory documents
    "rva.nl",  # accreditation bodies publishing IAF mandatory documents' dates (RvA, IAF member)
    "afm.nl",  # national financial and health regulators cited by the registry
    "bafin.de",  # DORA competent authorities publishing the ESAs' register-of-information dates
    "cssf.lu",
    "anm.ro",
    "hpra.ie",
    "dsptoolkit.nhs.uk",  # the NHS Data Security and Protection Toolkit (NHS rules, not law)
)
_NEEDS_OFFICIAL = (Status.FIXED, Status.AMENDED)
_GUESSES = (Status.EXPECTED, Status.PROPOSED)
# How long a date may stay a guess after its window has ended before `--strict` asks for it to
# be confirmed, corrected or superseded: long enough for an Official Journal, a register or an
# authority's page to catch up, short enough that a passed "expected" does not sit for years.
STALE_AFTER = dt.timedelta(days=180)


def is_official(url: str, domains: Iterable[str] = OFFICIAL_DOMAINS) -> bool:
    """True when the URL's host is one of `domains` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def strict_problems(
    obligations: Sequence[Obligation],
    today: dt.date,
    max_age: dt.timedelta,
    domains: Sequence[str] = OFFICIAL_DOMAINS,
) -> list[Problem]:
    """Every breach of the data rules, located at its obligation, milestone or period."""
    problems: list[Problem] = []
    for obligation in obligations:
        problems += _sources(obligation, obligation.sources, obligation.line, "sources", domains)
        for milestone in obligation.milestones:
            problems += _milestone(obligation, milestone, today, max_age, domains)
        for period in obligation.periods:
            problems += _verified(obligation, period, today, max_age, "periods")
    return problems


def _problem(obligation: Obligation, line: int, field: str, message: str) -> Problem:
    return Problem(obligation.file, line, 1, f"obligations[{obligation.id}].{field}", message)


def _sources(
    obligation: Obligation, sources: Sequence[Source], line: int, field: str, domains: Sequence[str]
) -> list[Problem]:
    return [
        _problem(
            obligation,
            line,
            field,
            f"{source.url} is not on an official domain; mark it 'official: false' "
            "or cite the official text",
        )
        for source in sources
        if source.official and not is_official(source.url, domains)
    ]


def _verified(
    obligation: Obligation,
    item: Milestone | Period,
    today: dt.date,
    max_age: dt.timedelta,
    group: str,
) -> list[Problem]:
    field = f"{group}[{item.id}].verified"
    if item.verified > today:
        return [_problem(obligation, item.line, field, f"{item.verified} is in the future")]
    if today - item.verified > max_age:
        age = (today - item.verified).days
        return [
            _problem(
                obligation,
                item.line,
                field,
                f"last checked {age} days ago (at most {max_age.days} allowed); check it again",
            )
        ]
    return []


def _milestone(
    obligation: Obligation,
    milestone: Milestone,
    today: dt.date,
    max_age: dt.timedelta,
    domains: Sequence[str],
) -> list[Problem]:
    field = f"milestones[{milestone.id}]"
    line = milestone.line
    problems = _sources(obligation, milestone.sources, line, f"{field}.sources", domains)
    problems += _verified(obligation, milestone, today, max_age, "milestones")
    cited = obligation.milestone_sources(milestone) + obligation.sources
    official = any(s.official and is_official(s.url, domains) for s in cited)
    if not official:
        if milestone.status in _NEEDS_OFFICIAL:
            problems.append(
                _problem(
                    obligation,
                    line,
                    f"{field}.status",
                    f"a {milestone.status.value} date needs an official source; "
                    "with secondary sources only, make it expected or proposed",
                )
            )
        elif not milestone.note:
            problems.append(
                _problem(
                    obligation,
                    line,
                    f"{field}.note",
                    "rests on secondary sources only; say so in a note",
                )
            )
    problems += _history(obligation, milestone)
    problems += _evidence(obligation, milestone, domains)
    problems += _stale(obligation, milestone, today)
    return problems


def _evidence(
    obligation: Obligation, milestone: Milestone, domains: Sequence[str]
) -> list[Problem]:
    """A fixed or amended date quotes the official words that give it; moves say when."""
    field = f"milestones[{milestone.id}]"
    problems = []
    if (
        milestone.status in _NEEDS_OFFICIAL
        and not milestone.unquoted
        and not any(
            s.quote and s.official and is_official(s.url, domains)
            for s in obligation.milestone_sources(milestone)
        )
    ):
        problems.append(
            _problem(
                obligation,
                milestone.line,
                f"{field}.sources",
                f"{_a(milestone.status.value)} date quotes the passage of its official text that "
                "gives it: add a source with 'quote' and 'article' (or say in 'unquoted' what "
                "was searched and not found)",
            )
        )
    for index, change in enumerate(milestone.history):
        if change.published is None:
            problems.append(
                _problem(
                    obligation,
                    milestone.line,
                    f"{field}.history[{index}].published",
                    f"say when {change.act} was published (published: YYYY-MM-DD)",
                )
            )
    return problems


def _stale(obligation: Obligation, milestone: Milestone, today: dt.date) -> list[Problem]:
    """A date still a guess more than `STALE_AFTER` after its window ended."""
    late = today - milestone.window.end
    if late <= STALE_AFTER:
        return []
    field = f"milestones[{milestone.id}]"
    if milestone.kind in (Kind.DEADLINE, Kind.APPLIES) and milestone.status in _GUESSES:
        return [
            _problem(
                obligation,
                milestone.line,
                f"{field}.status",
                f"still {milestone.status.value} {late.days} days after its date: "
                "confirm it (fixed), correct it, or supersede it",
            )
        ]
    if (
        milestone.kind is Kind.EXPECTED
        and milestone.status is Status.EXPECTED
        and not milestone.note
    ):
        return [
            _problem(
                obligation,
                milestone.line,
                f"{field}.note",
                f"expected {late.days} days ago and still expected: say in a note what became "
                "of it, or confirm, correct or supersede it",
            )
        ]
    return []


def _history(obligation: Obligation, milestone: Milestone) -> list[Problem]:
    field = f"milestones[{milestone.id}].history"
    history = milestone.history
    problems = []
    for index, (earlier, later) in enumerate(itertools.pairwise(history), start=1):
        if later.old != earlier.new:
            problems.append(
                _problem(
                    obligation,
                    milestone.line,
                    f"{field}[{index}].from",
                    f"{later.old.text} is not where the previous move ended ({earlier.new.text})",
                )
            )
    if (
        history
        and milestone.status is not Status.SUPERSEDED
        and history[-1].new != milestone.window
    ):
        problems.append(
            _problem(
                obligation,
                milestone.line,
                f"{field}[{len(history) - 1}].to",
                f"{history[-1].new.text} is not the milestone's date ({milestone.window.text})",
            )
        )
    if history and milestone.status is Status.FIXED:
        problems.append(
            _problem(
                obligation,
                milestone.line,
                f"milestones[{milestone.id}].status",
                "a date moved by an amending act is 'amended', not 'fixed'",
            )
        )
    return problems


def _a(word: str) -> str:
    """`a fixed`, `an amended`."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
