"""The parse cache (regtrack.cache): faster, never wrong; exact invalidation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from regtrack.registry import load
from tests.helpers import FIXTURE, run, write


def entries() -> list[Path]:
    folder = Path(os.environ["REGTRACK_CACHE_DIR"])
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_a_second_load_comes_from_the_cache_and_equals_the_first(tmp_path: Path) -> None:
    first = load([FIXTURE])
    assert len(entries()) == 1
    assert load([FIXTURE]) == first


def test_any_change_to_the_file_misses_the_cache(tmp_path: Path) -> None:
    registry = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "r.yaml")
    before = load([registry])
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("2026-08-02", "2026-08-03"), encoding="utf-8"
    )
    after = load([registry])
    assert before.obligations[0].milestones[0].window.text == "2026-08-02"
    assert after.obligations[0].milestones[0].window.text == "2026-08-03"
    # the same bytes at another path are another entry (obligations remember their file)
    other = write(tmp_path, registry.read_text(encoding="utf-8"), "copy.yaml")
    assert load([other]).obligations[0].file == str(other)


def test_a_file_keeps_one_entry_however_often_it_changes(tmp_path: Path) -> None:
    registry = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "r.yaml")
    for day in ("2026-08-03", "2026-08-04", "2026-08-05"):
        text = FIXTURE.read_text(encoding="utf-8").replace("2026-08-02", day)
        registry.write_text(text, encoding="utf-8")
        assert load([registry]).obligations[0].milestones[0].window.text == day
    assert len(entries()) == 1


def test_entries_whose_names_collide_are_never_confused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Entry names are checksums: two files may share one. The entry's recorded path and bytes,
    # compared in full, decide; a name alone never does.
    import regtrack.cache

    monkeypatch.setattr(regtrack.cache, "key", lambda name, reading="": "collision")
    first = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "first.yaml")
    text = FIXTURE.read_text(encoding="utf-8").replace("2026-08-02", "2026-08-09")
    second = write(tmp_path, text, "second.yaml")
    same_length = text.replace("2026-08-09", "2026-08-07")
    for _ in range(2):
        assert load([first]).obligations[0].milestones[0].window.text == "2026-08-02"
        assert load([second]).obligations[0].milestones[0].window.text == "2026-08-09"
    second.write_text(same_length, encoding="utf-8")  # same path, same length, other bytes
    assert load([second]).obligations[0].milestones[0].window.text == "2026-08-07"
    assert [entry.name for entry in entries()] == ["collision.pickle"]


def test_a_corrupt_entry_is_parsed_again(tmp_path: Path) -> None:
    expected = load([FIXTURE])
    for entry in entries():
        entry.write_bytes(b"not a pickle")
    assert load([FIXTURE]) == expected


def test_invalid_files_are_not_cached(tmp_path: Path) -> None:
    bad = write(tmp_path, "schema: 1\nobligations: [1]\n", "bad.yaml")
    for _ in range(2):
        assert run("validate", str(bad)).code == 2
    assert entries() == []


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGTRACK_NO_CACHE", "1")
    load([FIXTURE])
    assert entries() == []
