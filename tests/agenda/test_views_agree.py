"""Every view renders one evaluation (issue 24): generated workspaces (profiles with every kind
of role, a ledger, waivers, events whose deadlines end at a time, a recurring duty, dates owed
by others) at generated moments, through the machine-readable output of `upcoming`, `check`,
`show`, `timeline`, `report` and `digest`, agree item by item on the calendar state, the
standing, the due date and instant, waived, done and owed-by-you; and each view holds what its
own rules say it holds (what leads as overdue, a window's dates).

Fixed examples in every test run; `REGTRACK_FUZZ_SCALE=20 pytest tests/agenda` draws fresh
ones, 20 times as many."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers import run

SCALE = max(1, int(os.environ.get("REGTRACK_FUZZ_SCALE", "1")))
ROLES = ("controller", "deployer", "provider", "member-state", "commission")
KINDS = ("deadline", "applies", "review", "expected")
STATUSES = ("fixed", "expected", "proposed")
# What every view must say the same of an item.
AGREED = ("state", "standing", "date", "date_end", "due_at", "waived", "owed_by_you")


class Dated(NamedTuple):
    kind: str
    offset: int  # days from the moment's day
    span: int  # 0: a day; else a month's window starting `offset` days away (its first day)
    status: str
    owed_by: tuple[str, ...]


class Duty(NamedTuple):
    roles: tuple[str, ...]
    dates: tuple[Dated, ...]
    done: tuple[int, ...]  # indexes of its dates the ledger completed (deadlines and reviews)
    waived: tuple[tuple[int, int], ...]  # (index, days from the moment to the waiver's end)


class Workspace(NamedTuple):
    today: dt.date
    hour: int  # the moment's instant: this hour of the day, UTC
    profile: tuple[str, ...]
    duties: tuple[Duty, ...]
    breach: int | None  # hours before the moment the breach was found (None: no event)
    breach_done: bool
    breach_waived: bool
    monthly: int  # the recurring duty's day of the month (0: none)


def _dated(roles: tuple[str, ...]) -> st.SearchStrategy[Dated]:
    return st.builds(
        Dated,
        st.sampled_from(KINDS),
        st.integers(-70, 70),
        st.sampled_from((0, 0, 0, 1)),
        st.sampled_from(STATUSES),
        st.lists(st.sampled_from(roles), max_size=1, unique=True).map(tuple)
        if roles
        else st.just(()),
    )


@st.composite
def _duty(draw: st.DrawFn) -> Duty:
    roles = tuple(draw(st.lists(st.sampled_from(ROLES), max_size=2, unique=True)))
    dates = tuple(draw(st.lists(_dated(roles), min_size=1, max_size=3)))
    indexes = st.integers(0, len(dates) - 1)
    done = tuple(draw(st.lists(indexes, max_size=1, unique=True)))
    waived = tuple(
        draw(
            st.lists(st.tuples(indexes, st.integers(-20, 40)), max_size=1, unique_by=lambda w: w[0])
        )
    )
    return Duty(roles, dates, done, waived)


WORKSPACES = st.builds(
    Workspace,
    st.dates(dt.date(2026, 1, 5), dt.date(2027, 11, 20)),
    st.integers(0, 23),
    st.lists(st.sampled_from(ROLES), max_size=3, unique=True).map(tuple),
    st.lists(_duty(), min_size=1, max_size=4).map(tuple),
    st.one_of(st.none(), st.integers(-30, 24 * 40)),
    st.booleans(),
    st.booleans(),
    st.sampled_from((0, 1, 15, 28)),
)


def _window(day: dt.date, span: int) -> str:
    return day.strftime("%Y-%m") if span else day.isoformat()


def _files(folder: Path, w: Workspace) -> Path:
    """The workspace as a registry and an organisation file, in a repository folder."""
    (folder / ".git").mkdir(exist_ok=True)
    obligations, done, waivers = [], [], []
    for number, duty in enumerate(w.duties):
        ident = f"duty-{number}"
        milestones = []
        for index, d in enumerate(duty.dates):
            day = w.today + dt.timedelta(days=d.offset)
            owed = f", owed_by: [{', '.join(d.owed_by)}]" if d.owed_by else ""
            milestones.append(
                f"      - {{id: m{index}, kind: {d.kind}, date: '{_window(day, d.span)}', "
                f"status: {d.status}, verified: 2026-01-01{owed}}}\n"
            )
            if index in duty.done and d.kind in ("deadline", "review"):
                done.append(
                    f"  - {{id: {ident}, milestone: m{index}, on: {w.today}, by: A, evidence: e}}\n"
                )
        for index, days in duty.waived:
            until = w.today + dt.timedelta(days=days)
            waivers.append(
                f"  - {{id: {ident}, milestone: m{index}, by: W, reason: r, until: {until}}}\n"
            )
        roles = f"    roles: [{', '.join(duty.roles)}]\n" if duty.roles else ""
        obligations.append(
            f"  - id: {ident}\n    title: Duty {number}\n"
            "    regulation: {short: TEST, name: Test regulation, identifier: none}\n"
            f"    citation: Art. {number}\n    jurisdiction: EU\n{roles}"
            "    summary: Generated.\n"
            "    sources:\n      - {url: 'https://example.org/x', title: X, official: false}\n"
            f"    milestones:\n{''.join(milestones)}"
        )
    obligations.append(
        "  - id: breach\n    title: Notify a breach\n"
        "    regulation: {short: TEST, name: Test regulation, identifier: none}\n"
        "    citation: Art. 33\n    jurisdiction: EU\n    roles: [controller]\n"
        "    summary: Generated.\n"
        "    sources:\n      - {url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj', title: GDPR}\n"
        "    periods:\n"
        "      - {id: notify, title: Notify, duration: PT72H, from: awareness, verified: 2026-01-01}\n"
        "      - {id: report, title: Report, duration: P1M, after: notify, verified: 2026-01-01}\n"
    )
    (folder / "registry.yaml").write_text(
        "schema: 1\nobligations:\n" + "".join(obligations), encoding="utf-8"
    )
    events = ""
    if w.breach is not None:
        at = dt.datetime.combine(w.today, dt.time(w.hour), dt.UTC) - dt.timedelta(hours=w.breach)
        events = (
            "events:\n  - {id: b1, obligation: breach, "
            f"at: '{at.strftime('%Y-%m-%dT%H:%M')}+00:00', tz: Europe/Paris}}\n"
        )
        if w.breach_done and w.breach > 0:
            done.append(
                f"  - {{id: breach@b1, milestone: notify, on: {w.today}, by: A, evidence: e}}\n"
            )
        if w.breach_waived:
            waivers.append(
                f"  - {{id: breach@b1, by: W, reason: r, until: {w.today + dt.timedelta(days=3)}}}\n"
            )
    own = ""
    if w.monthly:
        own = (
            "obligations:\n  - id: monthly\n    title: Monthly review\n"
            "    regulation: {short: OWN, name: Our rules, identifier: none}\n"
            "    citation: n/a\n    jurisdiction: EU\n    summary: Ours.\n"
            "    sources:\n      - {url: 'https://example.org/own', title: Own, official: false}\n"
            f"    recurrence: {{rule: 'FREQ=MONTHLY;BYMONTHDAY={w.monthly}', start: 2025-01-01}}\n"
        )
    profile = f"  roles: [{', '.join(w.profile)}]\n" if w.profile else "  name: Org\n"
    config = folder / "regtrack.yaml"
    config.write_text(
        "schema: 1\nprofile:\n"
        + profile
        + "registries:\n  builtin: false\n  files: [registry.yaml]\n"
        + own
        + events
        + ("waivers:\n" + "".join(waivers) if waivers else "")
        + ("done:\n" + "".join(done) if done else ""),
        encoding="utf-8",
    )
    return config


def _json(*args: str) -> Any:
    result = run(*args)
    assert result.code in (0, 1), (args, result.err)
    return json.loads(result.out)


def _key(record: dict[str, Any]) -> tuple[str, str]:
    return record["id"], record["milestone"]


def _agreed(record: dict[str, Any]) -> tuple[Any, ...]:
    return (*(record[field] for field in AGREED), record["done"] is not None)


# A breach found at 23:00 in Paris on Friday 4 December 2026: its 72 hours end at 00:00 on
# Tuesday, the end of Monday 7 December (issue 24). Just before, and just after, that instant;
# and a deadline whose instant passed earlier on the moment's own day.
_DUTY = Duty(("controller",), (Dated("deadline", 2, 0, "fixed", ()),), (), ((0, 5),))
BREACH_MOMENTS = [
    Workspace(dt.date(2026, 12, 7), 22, ("controller",), (_DUTY,), 72, False, False, 0),
    Workspace(dt.date(2026, 12, 8), 0, ("controller",), (_DUTY,), 74, False, False, 15),
    Workspace(dt.date(2026, 12, 8), 10, ("controller",), (_DUTY,), 80, False, True, 0),
    Workspace(dt.date(2026, 12, 8), 10, ("deployer", "controller"), (_DUTY,), 80, True, False, 0),
]


@settings(
    max_examples=12 * SCALE,
    deadline=None,
    derandomize=SCALE == 1,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(WORKSPACES)
@example(BREACH_MOMENTS[0])
@example(BREACH_MOMENTS[1])
@example(BREACH_MOMENTS[2])
@example(BREACH_MOMENTS[3])
def test_every_view_says_the_same_of_every_item(tmp_path_factory: Any, w: Workspace) -> None:
    folder = tmp_path_factory.mktemp("space")
    config = _files(folder, w)
    now = dt.datetime.combine(w.today, dt.time(w.hour), dt.UTC).isoformat()
    moment = ("--config", str(config), "--today", w.today.isoformat(), "--now", now)
    until = w.today + dt.timedelta(days=30)
    first = w.today - dt.timedelta(days=40)

    listed = run("list", *moment, "-f", "json")
    if listed.code == 2:  # nothing applies to the profile: every view says so, none is empty
        assert "no obligation applies to your profile" in listed.err
        for command in ("upcoming", "check", "timeline", "digest"):
            refused = run(command, *moment)
            assert refused.code == 2 and refused.err == listed.err, command
        return
    # the canonical evaluation: every date of every obligation, as `show` gives it
    ids = [o["id"] for o in json.loads(listed.out)]
    canon: dict[tuple[str, str], tuple[Any, ...]] = {}
    for ident in ids:
        shown = _json("show", ident, *moment, "-f", "json")
        for milestone in shown["milestones"]:
            canon[(ident, milestone["id"])] = _agreed(
                {**milestone, "id": ident, "milestone": milestone["id"]}
            )

    upcoming = _json("upcoming", *moment, "-w", "30d", "-f", "json")
    check = _json("check", *moment, "-f", "json")["findings"]
    timeline = _json(
        "timeline", *moment, "--from", first.isoformat(), "--to", until.isoformat(), "-f", "json"
    )
    digest = _json("digest", *moment, "-w", "30d", "-f", "json")
    page = folder / "report.html"
    made = run("report", *moment, "--to", until.isoformat(), "-o", str(page))
    assert made.code == 0, made.err
    data = re.search(
        r'<script type="application/json" id="regtrack-data">(.*?)</script>',
        page.read_text("utf-8"),
    )
    assert data is not None
    report = json.loads(data[1])

    views: dict[str, list[dict[str, Any]]] = {
        "upcoming": upcoming,
        "check": check,
        "timeline": timeline["overdue"] + timeline["period"],
        "digest": [
            r
            for key in ("overdue", "clocks", "due", "applies", "expected", "coming")
            for r in digest[key]
        ],
        "report": report["upcoming"] + report["timeline"] + report["findings"],
    }
    for view, records in views.items():
        for record in records:
            key = _key(record)
            assert key in canon, (view, key)
            assert _agreed(record) == canon[key], (
                view,
                key,
                dict(zip(AGREED, _agreed(record), strict=False)),
                dict(zip(AGREED, canon[key], strict=False)),
            )
            # nobody is told a duty of others is theirs
            assert record["owed_by_you"] or record["standing"] in (
                "not-yours",
                "done",
                "cancelled",
            ), (view, key)
    # code scanning's results carry the same, in SARIF's words
    with contextlib.chdir(folder):  # run from the repository's root, as code scanning is
        sarif = _json("check", *moment, "-f", "sarif")["runs"][0]["results"]
    for result in sarif:
        facts = result["properties"]
        key = (facts["obligation"], facts["milestone"])
        state, standing, date, date_end, due_at, waived, owed, _ = canon[key]
        assert (facts["state"], facts["standing"], facts["date"], facts["dateEnd"]) == (
            state,
            standing,
            date,
            date_end,
        ), key
        assert (facts["dueAt"], facts["waived"], facts["owedByYou"]) == (due_at, waived, owed)

    # what leads is the same everywhere: each date whose day (or instant) has passed, owed by
    # you, not done, waived ones marked so
    lead = [
        _key(r)
        for r in upcoming
        if r["state"] == "overdue" and r["standing"] in ("overdue", "waived")
    ]
    expected_lead = sorted(
        (
            key
            for key, value in canon.items()
            if value[0] == "overdue" and value[1] in ("overdue", "waived")
        ),
    )
    assert sorted(lead) == expected_lead
    assert [_key(r) for r in digest["overdue"]] == lead
    assert [_key(r) for r in report["upcoming"][: len(lead)]] == lead
    assert sorted(_key(r) for r in timeline["overdue"]) == sorted(
        key for key in lead if canon[key][3] < first.isoformat()
    )
    # the gate fails on what is overdue, and on nothing owed by others or done
    for finding in check:
        if finding["standing"] == "overdue" and finding["status"] in ("fixed", "amended"):
            assert finding["level"] == "failure", finding
        if finding["standing"] in ("not-yours", "done", "cancelled"):
            assert finding["level"] == "pass", finding
        if finding["standing"] == "waived" and finding["level"] != "pass":
            assert finding["level"] == "waived", finding
    # the window's dates are the window's; a deadline that ends at a time is past at its instant
    for record in upcoming[len(lead) :]:
        running = record["due_at"] is not None and record["state"] != "overdue"
        assert record["date"] <= until.isoformat()
        assert record["date_end"] >= w.today.isoformat() or running, record
    for record in upcoming:
        if record["due_at"] is not None:
            passed = dt.datetime.fromisoformat(record["due_at"]) <= dt.datetime.fromisoformat(now)
            assert (record["state"] == "overdue") == passed, record
