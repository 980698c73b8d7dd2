"""An organisation's view (regtrack.organisation): applicability, overrides, recurrences, ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from regtrack.models import Kind
from regtrack.organisation import (
    applicability,
    apply_overrides,
    expand_recurring,
    ledger_problems,
    mark_done,
)
from regtrack.orgmodels import Completion, Override, Profile, Recurrence
from regtrack.registry import load
from tests.helpers import FIXTURE

OBLIGATIONS = load([FIXTURE]).obligations
AI = OBLIGATIONS[0]  # EU, roles provider and deployer
CNIL = OBLIGATIONS[1]  # FR, controller
HOSPITAL = Profile("Hospital", ("FR",), ("controller", "deployer"), ("health",))


@pytest.mark.parametrize(
    ("obligation", "profile", "expected"),
    [
        (AI, HOSPITAL, True),  # EU law in a Member State, deployer
        (AI, Profile(jurisdictions=("UK",)), False),  # EU law does not bind a UK-only organisation
        (AI, Profile(jurisdictions=("FR",), roles=("processor",)), False),
        (CNIL, Profile(jurisdictions=("DE",)), False),  # French guidance, German organisation
        (CNIL, Profile(jurisdictions=("FR-IDF",), roles=("controller",)), True),
        (OBLIGATIONS[4], Profile(jurisdictions=("GB-ENG",)), True),  # UK law, in England
        (AI._replace(sectors=("finance",)), HOSPITAL, False),
        (AI._replace(jurisdiction="INT"), Profile(jurisdictions=("US",)), True),
        (AI, None, True),
    ],
)
def test_applicability(obligation: object, profile: Profile | None, expected: bool) -> None:
    applies, reasons = applicability(obligation, profile)  # type: ignore[arg-type]
    assert applies is expected
    assert reasons


def test_applicability_explains_itself() -> None:
    assert applicability(AI, HOSPITAL)[1] == [
        "EU law applies in FR",
        "it binds deployer, which you are",
    ]
    assert applicability(AI, Profile(jurisdictions=("UK",)))[1][0] == "EU law does not apply in UK"


def test_overrides_set_owner_tags_and_not_applicable() -> None:
    overrides = [
        Override(AI.id, owner="Jane", tags=("triage", "ai")),
        Override(CNIL.id, applicable=False, reason="we do not use AI in care"),
    ]
    ai, cnil, *_ = apply_overrides(OBLIGATIONS, overrides)
    assert ai.owner == "Jane" and ai.tags == ("ai", "health", "triage")
    assert applicability(cnil, HOSPITAL) == (
        False,
        ["your organisation file says it does not apply: we do not use AI in care"],
    )


def test_recurrences_expand_and_move_off_holidays() -> None:
    yearly = AI._replace(
        milestones=(),
        recurrence=Recurrence(
            "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1",
            dt.date(2026, 5, 1),
            Kind.REVIEW,
            "next-working-day",
            "FR",
        ),
    )
    expanded = expand_recurring(yearly, dt.date(2026, 1, 1), dt.date(2028, 12, 31))
    days = [(m.id, m.window.start.isoformat()) for m in expanded.milestones]
    # 1 May is a public holiday in France every year; 2027-05-03 because 1-2 May 2027 is a weekend
    assert days == [
        ("2026-05-01", "2026-05-04"),
        ("2027-05-01", "2027-05-03"),
        ("2028-05-01", "2028-05-02"),
    ]
    assert all(m.kind is Kind.REVIEW for m in expanded.milestones)
    assert yearly.recurrence is not None
    earlier = yearly._replace(recurrence=yearly.recurrence._replace(adjust="previous-working-day"))
    assert expand_recurring(earlier, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).milestones[
        0
    ].window.start == dt.date(2026, 4, 30)


def test_the_ledger_marks_milestones_done() -> None:
    entry = Completion(AI.id, "applies", dt.date(2026, 8, 1), "Jane", "ticket 42")
    marked = mark_done(OBLIGATIONS, [entry], dt.date(2030, 1, 1))
    assert marked[0].milestones[0].done == entry and marked[0].milestones[1].done is None


def test_ledger_and_overrides_must_name_real_ids() -> None:
    problems = ledger_problems(
        [
            Completion("test-applies-dya", "applies", dt.date(2026, 1, 1), "J", "e", "org.yaml", 9),
            Completion(AI.id, "nope", dt.date(2026, 1, 1), "J", "e", "org.yaml", 12),
        ],
        [Override("no-such-id", file="org.yaml", line=3)],
        OBLIGATIONS,
    )
    assert [str(p) for p in problems] == [
        "org.yaml:3:1: overrides[0].id: no obligation 'no-such-id'",
        "org.yaml:9:1: done[0].id: no obligation 'test-applies-dya' (did you mean: test-applies-day?)",
        "org.yaml:12:1: done[1].milestone: test-applies-day has no milestone 'nope' (it has: applies, old-date)",
    ]
