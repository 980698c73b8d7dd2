"""The building blocks of regtrack.parse.grammar, against Python's own arithmetic: number
ranges, calendar days, case folding (issue 28). The schema-level agreement is in
tests/test_schema_differential.py."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from regtrack.dates import parse_day
from regtrack.parse import grammar


@pytest.mark.parametrize(("low", "high"), [(0, 9), (1, 12), (1, 366), (1, 1000), (0, 36600)])
def test_a_number_range_matches_exactly_its_numbers(low: int, high: int) -> None:
    pattern = re.compile(grammar.number(low, high))
    for value in range(0, high * 2 + 10):
        assert bool(pattern.fullmatch(str(value))) is (low <= value <= high), value
        assert bool(pattern.fullmatch(f"00{value}")) is (low <= value <= high), value


def test_a_range_of_at_most_three_digits_reads_as_the_reader_does() -> None:
    pattern = re.compile(grammar.number(1, 366, most_digits=3))
    for width in range(1, 5):
        for digits in itertools.product("0123456789", repeat=width):
            text = "".join(digits)
            assert bool(pattern.fullmatch(text)) is (width <= 3 and 1 <= int(text) <= 366), text


def test_a_calendar_day_is_one_the_reader_takes() -> None:
    """Every day from 1899 to 3000, and every 29, 30 and 31 of every month, through the
    expression and through the reader."""
    day_re = re.compile(grammar.DAY)

    def reader_takes(text: str) -> bool:
        try:
            parse_day(text)
        except ValueError:
            return False
        return True

    day = dt.date(1899, 12, 1)
    while day <= dt.date(3000, 1, 31):
        text = day.isoformat()
        assert bool(day_re.fullmatch(text)) is reader_takes(text), text
        day += dt.timedelta(days=1)
    for year in range(1899, 3001):
        for month in range(1, 13):
            for date in (29, 30, 31):
                text = f"{year:04d}-{month:02d}-{date:02d}"
                assert bool(day_re.fullmatch(text)) is reader_takes(text), text


def test_folding_matches_either_case_and_keeps_escapes_and_classes() -> None:
    pattern = grammar.folded("FREQ=[A-Z0-9]\\u00ad\\.")
    assert pattern == "[Ff][Rr][Ee][Qq]=[A-Za-z0-9]\\u00ad\\."
    compiled = re.compile(pattern)
    assert compiled.fullmatch("freq=x\u00ad.") and compiled.fullmatch("FrEq=7\u00ad.")
    assert not compiled.fullmatch("freq=x\u00ad,")
