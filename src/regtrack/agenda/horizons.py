"""How far each view looks by default, in one place (README, "One model", shows this table and
a test keeps the two equal). Every view leads with what is overdue, whatever its window, and
says which window it shows; the digest adds what the gate already warns about beyond its week.
"""

from __future__ import annotations

# `upcoming --within`: a quarter ahead.
UPCOMING = "90d"
# `digest --within`: the week a Monday digest covers.
DIGEST = "7d"
# `check --warn-within` and `--fail-within`: the gate warns two months ahead, fails two weeks
# ahead (and on anything overdue); the report's verdicts and the digest's "coming up" are its.
WARN = "60d"
FAIL = "14d"
# `timeline` and `report`: from the first day of this month, for a year (`--from`, `--to`).
TIMELINE = "1y"
# `export ics --within`: every date, past ones included (calendars keep their history).

DEFAULTS = (
    ("upcoming", "--within", UPCOMING, "overdue first, then from today through the window"),
    ("digest", "--within", DIGEST, "overdue, clocks, the week, then what check warns about"),
    ("check", "--warn-within", WARN, "warns this far ahead"),
    ("check", "--fail-within", FAIL, "fails this far ahead, and on anything overdue"),
    ("timeline, report", "--from/--to", TIMELINE, "from the first of this month, a year"),
    ("export ics", "--within", "every date", "past dates included"),
)
