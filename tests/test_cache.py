"""The parse cache (regtrack.cache): faster, never wrong; exact invalidation."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from regtrack.models import Obligation
from regtrack.registry import load
from tests.helpers import FIXTURE, generated, run, write


def entries() -> list[Path]:
    folder = Path(os.environ["REGTRACK_CACHE_DIR"])
    return sorted(folder.glob("*.json")) if folder.exists() else []


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
    assert [entry.name for entry in entries()] == ["collision.json"]


def test_a_corrupt_entry_is_parsed_again(tmp_path: Path) -> None:
    expected = load([FIXTURE])
    for entry in entries():
        entry.write_bytes(b"not an entry")
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


def _plant(path: Path, name: str, data: bytes, payload: bytes, reading: str = "REGISTRY") -> None:
    """An entry for the file `name` with these bytes, as regtrack itself would name and head it."""
    import regtrack.cache

    head = regtrack.cache._prefix(name, data, reading)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    (path / f"{regtrack.cache.key(name, reading)}.json").write_bytes(head + data + payload)


def _plant_old(path: Path, name: str, data: bytes, payload: bytes) -> None:
    """The same, named and headed as regtrack 0.1's pickle cache read it (format 2)."""
    import sys
    import zlib

    from regtrack import __version__

    label = "\0".join(("2", __version__, sys.version, name)).encode("utf-8", "surrogateescape")
    head = b"regtrack parse cache\n%d\n%s%d\n" % (len(label), label, len(data))
    (path / f"{zlib.crc32(label):08x}.pickle").write_bytes(head + data + payload)


class _Evil:
    """What an attacker puts in a pickle: unpickling it runs `touch`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("where", ["REGTRACK_CACHE_DIR", "XDG_CACHE_HOME"])
@pytest.mark.hostile
def test_a_planted_pickle_never_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import pickle

    folder = tmp_path / "cache"
    if where == "XDG_CACHE_HOME":
        monkeypatch.delenv("REGTRACK_CACHE_DIR")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        folder = tmp_path / "xdg" / "regtrack"
    marker = tmp_path / "pwned"
    registry = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "r.yaml")
    data = registry.read_bytes()
    _plant(folder, str(registry), data, pickle.dumps(_Evil(marker)))
    _plant_old(folder, str(registry), data, pickle.dumps(_Evil(marker)))
    # as the pickle format of regtrack 0.x would have been read: the payload is never unpickled
    result = run("upcoming", "--no-builtin", "--registry", str(registry), "-f", "json")
    assert result.code == 0, result.err
    assert not marker.exists()
    assert load([registry]) == load([registry])  # parsed again, then cached in the safe format
    assert not marker.exists()


@pytest.mark.hostile
def test_a_forged_entry_builds_only_regtrack_values(tmp_path: Path) -> None:
    from regtrack.cache_format import Corrupt, dumps, loads

    value = load([FIXTURE])
    assert loads(dumps(value.obligations)) == value.obligations
    forged_entries = (
        b'[5, "x"]',
        b"[99]",
        b'{"__class__": "os.system"}',
        b"[0, [1, 1e999999]]",
        # a named tuple with too few or too many fields (they are built without their __new__)
        b'[7, "https://x.example"]',
        b'[7, "https://x.example", "t", true, "extra"]',
        b'[0, [7, "u", "t", true], [7, "u"]]',
    )
    for forged in forged_entries:
        with pytest.raises(Corrupt):
            loads(forged)


Picker = Callable[[Obligation], Iterable[object]]


def test_an_entry_reads_back_equal_and_as_shared_as_the_parse(tmp_path: Path) -> None:
    # Every kind of value a registry holds (windows, periods, recurrences, history), and the
    # sharing the parser makes: at 100,000 obligations one object per distinct date, window
    # and regulation is hundreds of megabytes less than one per field.
    from regtrack.cache_format import dumps, loads
    from regtrack.registry import builtin_path

    for path in (generated(tmp_path, 300), builtin_path(), FIXTURE):
        parsed = load([path]).obligations
        loaded = loads(dumps(parsed))
        assert loaded == parsed
        assert isinstance(loaded, tuple)
        assert [type(o) for o in loaded] == [type(o) for o in parsed]

        def distinct(obligations: Iterable[Obligation], pick: Picker) -> int:
            return len({id(value) for o in obligations for value in pick(o)})

        picks: list[Picker] = [
            lambda o: [o.regulation],
            lambda o: [m.window for m in o.milestones],
            lambda o: [m.verified for m in o.milestones],
            lambda o: [p.duration for p in o.periods],
        ]
        for pick in picks:
            assert distinct(loaded, pick) == distinct(parsed, pick)


def test_an_entry_never_holds_a_negative_integer() -> None:
    # negative integers are the format's references: a value holding one cannot be written
    from regtrack.cache_format import dumps

    for value in (-1, (1, (2, -3)), ("text", (-5,))):
        with pytest.raises(ValueError):
            dumps(value)


@pytest.mark.hostile
def test_a_folder_others_may_write_is_not_used(tmp_path: Path) -> None:
    folder = Path(os.environ["REGTRACK_CACHE_DIR"])
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    result = run("upcoming", "--no-builtin", "--registry", str(FIXTURE))
    assert result.code == 0
    assert result.err.count("not using the parse cache") == 1
    assert "others may write to it" in result.err
    assert entries() == []


def test_a_new_folder_is_private(tmp_path: Path) -> None:
    load([FIXTURE])
    folder = Path(os.environ["REGTRACK_CACHE_DIR"])
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.hostile
def test_links_planted_in_the_folder_are_never_followed(tmp_path: Path) -> None:
    import regtrack.cache

    folder = Path(os.environ["REGTRACK_CACHE_DIR"])
    folder.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    name = str(FIXTURE)
    entry = folder / f"{regtrack.cache.key(name, 'REGISTRY')}.json"
    entry.symlink_to(victim)
    for pid in range(os.getpid() - 2, os.getpid() + 50):  # the old, predictable temporary names
        (folder / f"{entry.stem}.{pid}.tmp").symlink_to(victim)
    assert load([FIXTURE]).obligations
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not entry.is_symlink()  # the entry replaced the link
