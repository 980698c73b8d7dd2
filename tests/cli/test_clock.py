"""`regtrack clock` (regtrack.cli.clock): the JSON contract, chains, extensions, ICS, errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import vobject

from tests.helpers import FIXTURE, run


def clock(*args: str) -> dict:  # type: ignore[type-arg]
    result = run("clock", *args, "--format", "json")
    assert result.code == 0, result.err
    data: dict = json.loads(result.out)  # type: ignore[type-arg]
    return data


def test_gdpr_request_due_date_as_a_lawyer_computes_it() -> None:
    data = clock(
        "gdpr-art-12-data-subject-requests",
        "--at",
        "2026-01-15T10:00",
        "--tz",
        "Europe/Paris",
        "--country",
        "FR",
    )
    assert data["obligation"] == "gdpr-art-12-data-subject-requests"
    assert data["event"] == "2026-01-15T10:00:00+01:00"
    by_id = {d["id"]: d for d in data["deadlines"]}
    respond = by_id["respond-to-request"]
    assert respond["period"] == "P1M"
    assert respond["due"] == "2026-02-16T23:59:59+01:00"  # 15 Feb is a Sunday (Art. 3(4))
    assert "Art. 3(4): 2026-02-15 is Sunday" in respond["rule"]
    extended = by_id["respond-to-request+extension"]
    assert extended["extended"] is True and extended["due"] == "2026-04-15T23:59:59+02:00"


def test_nis2_shows_its_chain_of_three_deadlines() -> None:
    data = clock(
        "nis2-art-23-incident-reporting",
        "--at",
        "2026-03-27T10:17",
        "--tz",
        "Europe/Paris",
        "--country",
        "FR",
    )
    due = {d["id"]: d["due"] for d in data["deadlines"]}
    assert due["early-warning"] == "2026-03-28T11:00:00+01:00"
    assert due["incident-notification"] == "2026-03-30T12:00:00+02:00"  # across the DST change
    assert due["final-report"] == "2026-04-30T23:59:59+02:00"  # a month after the notification
    final = next(d for d in data["deadlines"] if d["id"] == "final-report")
    assert final["from"].startswith("the end of Incident notification")
    # listed in date order (issue 24), and the report for an incident still ongoing has no
    # date until its handling ends: one month from the event was an invented date
    dated = [d["due"] for d in data["deadlines"] if d["due"]]
    assert dated == sorted(dated, key=dt.datetime.fromisoformat)
    ongoing = data["deadlines"][-1]
    assert ongoing["id"] == "final-report-ongoing-incident"
    assert ongoing["due"] is None and ongoing["waiting_for"] == "incident-handled"


def test_uk_obligations_use_the_ico_practice() -> None:
    data = clock(
        "uk-gdpr-art-12-requests",
        "--at",
        "2026-09-03T10:00",
        "--tz",
        "Europe/London",
        "--country",
        "GB-ENG",
    )
    assert data["rules"] == "uk"
    assert data["deadlines"][0]["due"] == "2026-10-05T23:59:59+01:00"


def test_adhoc_periods_and_conservative() -> None:
    data = clock("--period", "P15D", "--at", "2026-12-23T09:00+01:00", "--country", "FR")
    assert data["obligation"] is None and data["deadlines"][0]["due"] == "2027-01-07T23:59:59+01:00"
    data = clock(
        "--period", "PT72H", "--at", "2026-06-01T10:17", "--tz", "Europe/Paris", "--conservative"
    )
    assert (
        data["conservative"] is True and data["deadlines"][0]["due"] == "2026-06-04T10:17:00+02:00"
    )


def test_table_names_the_rule() -> None:
    result = run(
        "clock",
        "gdpr-art-33-breach-notification",
        "--at",
        "2026-06-01T10:17",
        "--tz",
        "Europe/Paris",
    )
    assert result.code == 0
    assert "Thu 2026-06-04 11:00 CEST" in result.out
    assert "the hour of the event (10:00-11:00) is not counted" in " ".join(result.out.split())


def test_ics_has_timed_events_with_their_time_zone() -> None:
    result = run(
        "clock",
        "nis2-art-23-incident-reporting",
        "--at",
        "2026-03-27T10:17",
        "--tz",
        "Europe/Paris",
        "-f",
        "ics",
    )
    assert result.code == 0
    calendar = vobject.readOne(result.out, validate=True)
    assert calendar.vtimezone.tzid.value == "Europe/Paris"
    first = calendar.vevent_list[0]
    assert first.dtend.value.isoformat() == "2026-03-28T11:00:00+01:00"
    assert "DTEND;TZID=Europe/Paris:20260328T110000" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gdpr-art-12-data-subject-requests",), "--at: is required"),
        (
            ("gdpr-art-12-data-subject-requests", "--at", "yesterday"),
            "--at: 'yesterday' is not a date and time",
        ),
        (
            ("gdpr-art-12-data-subject-requests", "--at", "2026-01-15", "--tz", "Mars/Olympus"),
            "--tz: 'Mars/Olympus' is not a time zone",
        ),
        (
            ("gdpr-art-12-data-subject-requests", "--at", "2026-01-15", "--tz", "America"),
            "--tz: 'America' is not a time zone",
        ),
        (
            ("gdpr-art-12-data-subject-requests", "--at", "2026-01-15", "--country", "XX"),
            "--country: 'XX'",
        ),
        (
            ("gdpr-art-12-data-subject-requests", "--at", "2026-01-15", "--rules", "us"),
            "--rules: 'us' is not eu or uk",
        ),
        (("gdpr-art-9-health-data", "--at", "2026-01-15"), "has no periods that run from an event"),
        (("gdpr-art-12-requests", "--at", "2026-01-15"), "unknown obligation id"),
        (("--at", "2026-01-15"), "give an obligation ID or --period"),
        (
            ("--period", "P1M", "gdpr-art-12-data-subject-requests", "--at", "2026-01-15"),
            "one of them",
        ),
        (("--period", "soon", "--at", "2026-01-15"), "--period: 'soon' is not a period"),
    ],
)
def test_clock_errors(args: tuple[str, ...], message: str) -> None:
    result = run("clock", *args)
    assert result.code == 2
    assert message in result.err, result.err
    assert result.err.count("\n") == 1


def test_clock_from_another_registry() -> None:
    data = clock(
        "test-standing-duty", "--no-builtin", "--registry", str(FIXTURE), "--at", "2026-01-15T10:00"
    )
    assert [d["id"] for d in data["deadlines"]] == [
        "notify",
        "final-report",
        "final-report+extension",
    ]
