"""Safe writes (regtrack.atomic; issue 14): atomic, locked, through links, keeping mode and
owner, refusing what is not a regular file of the user's; output errors have their own code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HERE, MONTHLY_ORGANISATION, parallel_done, run

ORGANISATION = (HERE / "fixtures" / "regtrack.yaml").read_text(encoding="utf-8")


def done(config: Path, occurrence: str, *extra: str) -> tuple[int, str]:
    result = run(
        "done", "dpia-review-triage-ai", "--occurrence", occurrence, "--evidence", "e",
        "--by", "J", "--config", str(config), "--today", "2026-12-31", *extra,
    )  # fmt: skip
    return result.code, result.err


def test_ten_parallel_done_runs_all_land(tmp_path: Path) -> None:
    config = tmp_path / "regtrack.yaml"
    config.write_text(MONTHLY_ORGANISATION, encoding="utf-8")
    days = [f"2026-{month:02d}-15" for month in range(1, 13)]
    reports = parallel_done(config, days, by="ci")
    recorded = [day for day, _, err in reports if "recorded" in err]
    assert len(recorded) == len(days), reports
    text = config.read_text(encoding="utf-8")
    for day in recorded:
        assert f'milestone: "{day}"' in text and f'evidence: "run {day}"' in text
    assert run("validate", str(config)).code == 0


def test_a_symlinked_file_is_written_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "regtrack.yaml"
    real.parent.mkdir()
    real.write_text(ORGANISATION, encoding="utf-8")
    link = tmp_path / "regtrack.yaml"
    link.symlink_to(real)
    code, err = done(link, "2026-12-15")
    assert code == 0, err
    assert link.is_symlink()
    assert 'milestone: "2026-12-15"' in real.read_text(encoding="utf-8")


def test_the_file_keeps_its_mode_and_owner(tmp_path: Path) -> None:
    config = tmp_path / "regtrack.yaml"
    config.write_text(ORGANISATION, encoding="utf-8")
    config.chmod(0o640)
    owner = (1234, 1234) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    if os.geteuid() == 0:
        os.chown(config, *owner)
    assert done(config, "2026-12-15")[0] == 0
    info = config.stat()
    assert (info.st_mode & 0o777, info.st_uid, info.st_gid) == (0o640, *owner)


@pytest.mark.parametrize("case", ["read-only", "hard link"])
def test_a_file_regtrack_may_not_replace_is_refused_and_kept(tmp_path: Path, case: str) -> None:
    config = tmp_path / "regtrack.yaml"
    config.write_text(ORGANISATION, encoding="utf-8")
    if case == "read-only":
        config.chmod(0o444)
    else:
        os.link(config, tmp_path / "other-name.yaml")
    before = config.read_bytes()
    code, err = done(config, "2026-12-15")
    assert code == 2
    assert ("read-only" if case == "read-only" else "hard links") in err
    assert config.read_bytes() == before


def test_output_to_what_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target, says in ((folder, "it is a folder"), (fifo, "not a regular file"),
                         (Path("/dev/null"), "not a regular file")):  # fmt: skip
        result = run("export", "ics", "-o", str(target))
        assert result.code == 2 and says in result.err, (target, result.err)
    assert folder.is_dir() and fifo.is_fifo() and Path("/dev/null").is_char_device()
    dash = run("export", "ics", "-o", "-")
    assert dash.code == 0 and dash.out.startswith("BEGIN:VCALENDAR")


def _shell(command: str) -> subprocess.CompletedProcess[str]:
    regtrack = f"{sys.executable} -m regtrack"
    return subprocess.run(
        ["bash", "-c", command.replace("regtrack", regtrack)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize("redirect", [">&-", ">/dev/full"])
def test_output_that_cannot_be_written_is_exit_4(redirect: str) -> None:
    done = _shell(f"regtrack upcoming --today 2026-11-27 {redirect}")
    assert done.returncode == 4, done.stderr
    assert "regtrack: error: cannot write the output to standard output" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
