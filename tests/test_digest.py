"""regtrack.digest and the digest's shared wording: what goes in which section, and how time
left reads."""

from __future__ import annotations

import datetime as dt

from regtrack.agenda import Agenda, Moment
from regtrack.checks import Level, counts
from regtrack.digest import build_digest
from regtrack.formats.digest.lines import headline, hours, sections
from regtrack.models import (
    Kind,
    Milestone,
    Obligation,
    Precision,
    Regulation,
    Source,
    Status,
    Window,
)
from regtrack.orgmodels import Waiver

TODAY = dt.date(2026, 12, 2)
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def _day(day: dt.date) -> Window:
    return Window(day, day, Precision.DAY, day.isoformat())


def _obligation(oid: str, *milestones: Milestone) -> Obligation:
    return Obligation(
        id=oid,
        title=f"Duty {oid}",
        regulation=Regulation("GDPR", "Regulation (EU) 2016/679", "CELEX:32016R0679"),
        citation="Art. 33",
        jurisdiction="EU",
        summary="",
        sources=(Source("https://eur-lex.europa.eu/eli/reg/2016/679/oj", "GDPR"),),
        milestones=milestones,
    )


def _deadline(mid: str, day: dt.date, at: dt.datetime | None = None) -> Milestone:
    return Milestone(
        mid, Kind.DEADLINE, _day(day), Status.FIXED, dt.date(2026, 11, 1), title=mid, due_at=at
    )


def test_sections_split_overdue_clocks_due_and_waivers() -> None:
    obligations = [
        _obligation("late", _deadline("m", dt.date(2026, 11, 30))),
        _obligation("soon", _deadline("m", dt.date(2026, 12, 5))),
        _obligation("after", _deadline("m", dt.date(2026, 12, 20))),
        _obligation(
            "breach@e1",
            _deadline(
                "notify", dt.date(2026, 12, 3), dt.datetime(2026, 12, 3, 16, 0, tzinfo=dt.UTC)
            ),
        ),
        _obligation(
            "breach@e0",
            _deadline(
                "notify", dt.date(2026, 12, 2), dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
            ),
        ),
    ]
    waivers = [
        Waiver("soon", "", "DPO", "accepted", dt.date(2026, 12, 6)),
        Waiver("after", "", "DPO", "accepted", dt.date(2027, 1, 6)),  # ends after the window
        Waiver("late", "", "DPO", "accepted", dt.date(2026, 11, 20)),  # expired 12 days ago
    ]
    agenda = Agenda(obligations, Moment(TODAY, NOW), waivers=waivers)
    digest = build_digest(agenda, dt.date(2026, 12, 8), waivers=waivers)
    # a clock whose instant has passed is overdue, as in every view (issue 24)
    assert [d.obligation.id for d in digest.overdue] == ["late", "breach@e0"]
    assert [c.obligation.id for c in digest.clocks] == ["breach@e1"]
    assert digest.clocks[0].left == dt.timedelta(hours=31)
    assert [(d.obligation.id, d.standing.value) for d in digest.due] == [("soon", "waived")]
    assert [w.waiver.obligation for w in digest.waivers] == ["soon"]
    assert digest.considered == 5
    assert headline(digest) == (
        "2 overdue, 1 statutory clock running, 1 due by 2026-12-08, 1 waiver ending"
    )
    assert [s.key for s in sections(digest)] == ["overdue", "clocks", "due", "waivers"]
    # each item is made when it is read (issue 29): read whole, sliced or one by one, the same
    overdue = sections(digest)[0].items
    assert len(overdue) == 2 and overdue[:1] == (overdue[0],) and tuple(overdue)[1] == overdue[1]
    assert [item.key for item in overdue] == ["late/m", "breach@e0/notify"]
    # the gate's findings kept as they are made are those of the whole list, in its order
    every = agenda.findings()
    kept = agenda.findings(lambda row: row.level is Level.WAIVED)
    assert kept == [row for row in every if row.level is Level.WAIVED]
    assert 0 < len(kept) < len(every)
    assert agenda.verdicts() == (
        [row for row in every if row.level is not Level.PASS],
        counts(every),
    )


def test_time_left_reads_in_whole_hours() -> None:
    assert hours(dt.timedelta(hours=31, minutes=59)) == "31 h left"
    assert hours(dt.timedelta(minutes=59)) == "under 1 h left"
    assert hours(dt.timedelta(minutes=-30)) == "overdue by under 1 h"
    assert hours(dt.timedelta(hours=-5, minutes=-10)) == "overdue by 5 h"


def test_nothing_to_say_is_said() -> None:
    agenda = Agenda([_obligation("x", _deadline("m", dt.date(2027, 6, 1)))], Moment(TODAY, NOW))
    digest = build_digest(agenda, dt.date(2026, 12, 8))
    assert sections(digest) == ()
    assert headline(digest) == "nothing overdue or due by 2026-12-08"
