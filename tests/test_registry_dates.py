"""The dates of the built-in registry that the 2026-12-02 data update added or changed, as a
table: each row is what the registry must say, so that an edit that moves one shows up here.
Sources and notes for each are in data/obligations.yaml and CHANGELOG.md."""

from __future__ import annotations

import json

import pytest

from regtrack.models import Milestone, Obligation, Registry
from regtrack.registry import builtin_path, load
from tests.helpers import run

REGISTRY: Registry = load([builtin_path()])

MILESTONES = [
    ("gdpr-procedural-regulation-2025-2518", "applies", "2027-04-02", "fixed"),
    ("gdpr-procedural-regulation-2025-2518", "entry-into-force", "2026-01-01", "fixed"),
    ("eu-us-dpf-adequacy-2023-1795", "applies", "2023-07-10", "fixed"),
    ("eu-us-dpf-adequacy-2023-1795", "next-review", "2027", "expected"),
    ("ai-act-art-50-transparency", "applies", "2026-08-02", "fixed"),
    ("ai-act-art-56-codes-of-practice", "codes-ready", "2025-05-02", "fixed"),
    ("ai-act-art-6-guidelines", "guidelines-due", "2026-02-02", "fixed"),
    ("ai-act-art-57-regulatory-sandboxes", "operational", "2027-08-02", "amended"),
    ("ai-act-art-96-guidelines-annex-i", "guidelines-published", "2027-08-01", "fixed"),
    ("ai-act-art-72-post-market-monitoring", "guidance-and-template", "2027-09-02", "amended"),
    ("ai-act-art-99-penalties", "notify-penalty-rules", "2025-08-02", "fixed"),
    ("nis2-art-41-transposition", "adopt-and-publish", "2024-10-17", "fixed"),
    ("dora-art-28-register-of-information", "first-esa-collection", "2025-04-30", "fixed"),
    ("dora-art-28-register-of-information", "yearly-esa-collection-2026", "2026-03-31", "fixed"),
    ("ehds-art-105-general-application", "applies", "2027-03-26", "fixed"),
    ("ehds-art-105-general-application", "notify-health-data-access-bodies", "2027-03-26", "fixed"),
    (
        "ehds-art-105-general-application",
        "notify-national-contact-point-secondary-use",
        "2027-03-26",
        "fixed",
    ),
    ("ehds-art-105-secondary-use", "applies", "2029-03-26", "fixed"),
    ("mdr-art-120-legacy-transition", "class-iii-iib-implantable", "2027-12-31", "amended"),
    ("mdr-art-120-legacy-transition", "other-classes", "2028-12-31", "amended"),
    (
        "mdr-art-120-legacy-transition",
        "self-certified-needing-notified-body",
        "2028-12-31",
        "fixed",
    ),
    ("ivdr-art-110-legacy-transition", "certificate-holders", "2027-12-31", "amended"),
    ("ivdr-art-110-legacy-transition", "class-d", "2027-12-31", "amended"),
    ("ivdr-art-110-legacy-transition", "class-c", "2028-12-31", "amended"),
    ("ivdr-art-110-legacy-transition", "class-b-a-sterile-application", "2027-05-26", "fixed"),
    ("ivdr-art-110-legacy-transition", "class-b-a-sterile-agreement", "2027-09-26", "fixed"),
    ("ivdr-art-110-legacy-transition", "class-b-a-sterile", "2029-12-31", "amended"),
    ("mdr-ivdr-art-10a-supply-interruption", "applies", "2025-01-10", "fixed"),
    (
        "mdr-art-123-eudamed-mandatory-modules",
        "legacy-device-registration",
        "2026-11-28",
        "fixed",
    ),
    ("eaa-art-31-application", "applies", "2025-06-28", "fixed"),
    ("eaa-art-31-application", "services-transitional-period-ends", "2030-06-28", "fixed"),
    ("cnil-has-ai-health-recommendation", "draft-guide-consultation", "2026-03", "expected"),
    ("cnil-has-ai-health-recommendation", "joint-recommendation", "2026-Q2", "expected"),
    ("uk-duaa-complaints", "applies", "2026-06-19", "fixed"),
    ("uk-duaa-commencement-royal-assent", "royal-assent", "2025-06-19", "fixed"),
    ("uk-duaa-commencement-no6-main", "in-force", "2026-02-05", "fixed"),
    ("uk-duaa-commencement-no2", "in-force", "2025-09-30", "fixed"),
    ("uk-duaa-commencement-no3", "privilege-and-national-security", "2025-09-05", "fixed"),
    ("uk-duaa-commencement-no3", "joint-processing", "2025-11-17", "fixed"),
    ("uk-duaa-commencement-no4", "in-force", "2025-12-01", "fixed"),
    ("uk-duaa-commencement-no5", "in-force", "2026-02-06", "fixed"),
    ("uk-duaa-commencement-no7", "in-force", "2026-02-12", "fixed"),
    ("uk-duaa-commencement-no8-erasure", "in-force", "2026-03-31", "fixed"),
    ("uk-nhs-dspt-2025-26", "full-assessment-published", "2026-06-30", "fixed"),
    ("uk-medical-devices-pms-si-2024-1368", "in-force", "2025-06-16", "fixed"),
    ("iso-27001-2022-transition", "last-2013-audits", "2024-05-01", "fixed"),
    ("iso-27001-2022-transition", "transition-end", "2025-11-01", "fixed"),
    ("uk-duaa-commencement-royal-assent", "two-months", "2025-08-19", "fixed"),
    ("ai-act-art-43-notified-bodies-annex-i", "apply-for-designation", "2028-01-28", "fixed"),
    # The registry as of 4 December 2026 (issue 26): each date added or changed that day.
    ("mdr-art-123-eudamed-mandatory-modules", "modules-mandatory", "2026-05-28", "fixed"),
    ("mdr-art-123-eudamed-mandatory-modules", "notified-body-certificates", "2027-05-28", "fixed"),
    ("mdr-art-120-legacy-transition", "qms-and-application", "2024-05-26", "fixed"),
    ("mdr-art-120-legacy-transition", "written-agreement", "2024-09-26", "fixed"),
    ("mdr-art-120-legacy-transition", "class-iii-custom-made-implantable", "2026-05-26", "fixed"),
    ("ivdr-art-110-legacy-transition", "qms", "2025-05-26", "fixed"),
    (
        "ivdr-art-110-legacy-transition",
        "certificate-holders-and-class-d-application",
        "2025-05-26",
        "fixed",
    ),
    (
        "ivdr-art-110-legacy-transition",
        "certificate-holders-and-class-d-agreement",
        "2025-09-26",
        "fixed",
    ),
    ("ivdr-art-110-legacy-transition", "class-c-application", "2026-05-26", "fixed"),
    ("ivdr-art-110-legacy-transition", "class-c-agreement", "2026-09-26", "fixed"),
    ("dora-art-28-register-of-information", "yearly-esa-collection-2027", "2027-03-31", "fixed"),
    ("uk-nhs-dspt-2025-26", "interim-assessment", "2025-12-31", "fixed"),
    ("eu-us-dpf-adequacy-2023-1795", "general-court-judgment", "2025-09-03", "fixed"),
    ("eu-us-dpf-adequacy-2023-1795", "appeal-lodged", "2025-10-31", "fixed"),
    ("eu-uk-adequacy-decisions", "extended-to", "2025-12-27", "fixed"),
    ("eu-uk-adequacy-decisions", "renewed", "2025-12", "fixed"),
    ("eu-uk-adequacy-decisions", "mid-term-review", "2029-12", "expected"),
    ("eu-uk-adequacy-decisions", "sunset", "2031-12-27", "fixed"),
    ("uk-duaa-commencement-no9-information-commission", "in-force", "2026-09-30", "fixed"),
    ("uk-duaa-research-provisions", "in-force", "2026-02-05", "fixed"),
    ("uk-duaa-health-information-standards", "in-force", "2026-02-05", "fixed"),
    ("uk-duaa-health-information-standards", "procedure-regulations", "2025-08-06", "fixed"),
    ("uk-duaa-special-categories-power", "in-force", "2025-08-20", "fixed"),
    ("ai-act-art-73-7-incident-guidance", "guidance-due", "2025-08-02", "fixed"),
    ("ai-act-art-2-13-delegated-acts", "delegated-acts-due", "2027-08-02", "fixed"),
    ("ai-act-art-4a-bias-detection", "applies", "2026-07-27", "fixed"),
    ("ai-act-art-112-evaluation", "first-evaluations", "2028-08-02", "fixed"),
    ("ai-act-art-112-evaluation", "evaluation-and-review", "2029-08-02", "fixed"),
    ("ai-act-art-112-evaluation", "enforcement-assessment", "2031-08-02", "fixed"),
    ("ai-act-art-70-national-authorities", "resource-report-2025", "2025-08-02", "fixed"),
    ("ai-act-art-70-national-authorities", "resource-report-2027", "2027-08-02", "fixed"),
    ("cnil-mr-001-mr-003-2026", "mfa-internet-facing", "2027-01-01", "expected"),
    ("cnil-mr-001-mr-003-2026", "mfa-other-systems", "2028-01-01", "expected"),
]

# What the registry said before a correction of 4 December 2026, and what it says now.
CORRECTIONS = [
    ("mdr-art-123-eudamed-mandatory-modules", "legacy-device-registration", "expected", "fixed"),
    ("uk-nhs-dspt-2025-26", "full-assessment-published", "expected", "fixed"),
    ("ivdr-art-110-legacy-transition", "certificate-holders", "fixed", "amended"),
]

PERIODS = [
    ("gdpr-procedural-regulation-2025-2518", "inadmissibility", "P2W", None),
    ("gdpr-procedural-regulation-2025-2518", "transmit-to-lead-authority", "P6W", None),
    ("gdpr-procedural-regulation-2025-2518", "draft-decision", "P15M", "P12M"),
]


def _obligation(obligation_id: str) -> Obligation:
    obligation = REGISTRY.get(obligation_id)
    assert obligation is not None, f"{obligation_id} is not in the built-in registry"
    return obligation


def _milestone(obligation: Obligation, milestone_id: str) -> Milestone:
    found = [m for m in obligation.milestones if m.id == milestone_id]
    assert found, f"{obligation.id} has no milestone {milestone_id}"
    return found[0]


@pytest.mark.parametrize(("obligation_id", "milestone_id", "date", "status"), MILESTONES)
def test_milestone_date_and_status(
    obligation_id: str, milestone_id: str, date: str, status: str
) -> None:
    milestone = _milestone(_obligation(obligation_id), milestone_id)
    assert (milestone.window.text, milestone.status.value) == (date, status)


@pytest.mark.parametrize(("obligation_id", "period_id", "duration", "extension"), PERIODS)
def test_period_duration(
    obligation_id: str, period_id: str, duration: str, extension: str | None
) -> None:
    period = next(p for p in _obligation(obligation_id).periods if p.id == period_id)
    assert period.duration.text == duration
    assert (period.extension.text if period.extension else None) == extension


@pytest.mark.parametrize(("obligation_id", "milestone_id", "before", "after"), CORRECTIONS)
def test_each_correction_records_what_it_corrected(
    obligation_id: str, milestone_id: str, before: str, after: str
) -> None:
    """`changes --since` reads these: without them a status resolved would be silent."""
    import datetime as dt

    milestone = _milestone(_obligation(obligation_id), milestone_id)
    assert milestone.status.value == after
    last = milestone.previous[-1]
    assert last.status is not None and last.status.value == before
    assert last.until == dt.date(2026, 12, 4)


def test_every_uk_data_protection_entry_names_the_information_commission() -> None:
    """The Information Commission replaced the Information Commissioner on 30 September 2026
    (SI 2026/1015): no entry still names the old office as if it were current."""
    uk = [o for o in REGISTRY.obligations if o.jurisdiction == "UK" and o.authority]
    assert uk
    for obligation in uk:
        assert obligation.authority == "Information Commission" or obligation.authority.startswith(
            ("Information Commission (", "Department", "Ministry", "Ofcom")
        ), (obligation.id, obligation.authority)


@pytest.mark.parametrize(
    ("obligation_id", "force"),
    [
        ("uk-nhs-dspt-2025-26", "contract"),
        ("cnil-has-ai-health-recommendation", "guidance"),
        ("iso-27001-2022-transition", "standard"),
        ("gdpr-art-33-breach-notification", "law"),
    ],
)
def test_force_says_what_kind_of_rule_it_is(obligation_id: str, force: str) -> None:
    assert _obligation(obligation_id).force.value == force


def test_the_table_has_no_duplicate_rows() -> None:
    keys = [(o, m) for o, m, _, _ in MILESTONES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("obligation_id", "sectors"),
    [
        ("dora-art-64-application", ("finance",)),
        ("dora-art-28-register-of-information", ("finance",)),
        ("dora-major-incident-reporting", ("finance",)),
        ("ehds-art-105-general-application", ("health",)),
        ("mdr-art-120-legacy-transition", ("life-sciences", "health")),
        ("ivdr-art-110-legacy-transition", ("life-sciences", "health")),
        ("mdr-art-123-eudamed-mandatory-modules", ("life-sciences", "health")),
        ("fr-hds-referentiel-2024-transition", ("health",)),
        ("uk-nhs-dspt-2025-26", ("health",)),
        ("gdpr-art-33-breach-notification", ()),
        ("ai-act-high-risk-annex-i", ()),
        ("eaa-art-31-application", ()),
    ],
)
def test_sectors_only_where_the_law_is_sector_specific(
    obligation_id: str, sectors: tuple[str, ...]
) -> None:
    assert _obligation(obligation_id).sectors == sectors


def test_a_uk_health_controller_sees_its_dpia_duty() -> None:
    # a UK profile listed breach, request and complaint duties but no DPIA (UK GDPR Art. 35)
    listed = json.loads(
        run("list", "--jurisdiction", "UK", "--role", "controller", "-f", "json").out
    )
    dpia = next(o for o in listed if o["id"] == "uk-gdpr-art-35-dpia")
    assert dpia["jurisdiction"] == "UK" and dpia["citation"].startswith("Art. 35(1)")
    assert [s["url"] for s in dpia["sources"]] == [
        "https://www.legislation.gov.uk/eur/2016/679/chapter/IV/section/3"
    ]
