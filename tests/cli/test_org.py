"""`regtrack init` and `regtrack done` (regtrack.cli.org, regtrack.orgfile): a new user's first
steps, and nothing the user wrote is lost."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import FIXTURE, run

OWN = """\
obligations:
  # Our triage tool's DPIA is reviewed every December (GDPR Art. 35(11)).
  - id: dpia-review-triage-ai
    title: Yearly review of the DPIA of the AI triage tool
    regulation: {short: GDPR, name: Regulation (EU) 2016/679, identifier: CELEX:32016R0679}
    citation: Art. 35(11)
    jurisdiction: FR
    roles: [controller]
    summary: Review the DPIA of the triage tool; update it when the risk changes.
    sources:
      - {url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj", title: "GDPR, Art. 35(11)"}
    recurrence:
      rule: FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15   # every 15 December
      start: 2025-12-15
      adjust: next-working-day
      country: FR
"""


def new_organisation(folder: Path) -> Path:
    """What the issue's new user does: init with a profile, then add a yearly DPIA review."""
    (folder / ".git").mkdir()
    result = run(
        "init",
        "--name",
        "Hôpital Exemple",
        "-j",
        "FR",
        "--role",
        "controller",
        "--role",
        "deployer",
        "--sector",
        "health",
    )
    assert result.code == 0, result.err
    config = folder / "regtrack.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("obligations: []\n", OWN), encoding="utf-8"
    )
    return config


def test_a_new_user_sees_only_what_applies_including_their_review(tmp_path: Path) -> None:
    new_organisation(tmp_path)
    result = run("upcoming", "--today", "2026-11-27", "--within", "60d", "-f", "json")
    assert result.code == 0, result.err
    ids = {row["id"] for row in json.loads(result.out)}
    assert "dpia-review-triage-ai" in ids  # their own yearly review, 15 December 2026
    assert "ai-act-art-50-transparency" in ids  # AI Act, deployers
    assert "pld-art-22-transposition" not in ids  # member states and manufacturers
    everything = run("upcoming", "--today", "2026-11-27", "--within", "60d", "-f", "json", "--all")
    assert "pld-art-22-transposition" in {row["id"] for row in json.loads(everything.out)}
    why = run("show", "pld-art-22-transposition", "--today", "2026-11-27")
    assert "Does not apply to you:" in why.out


def test_done_records_the_review_and_keeps_every_comment(tmp_path: Path) -> None:
    config = new_organisation(tmp_path)
    before = config.read_text(encoding="utf-8")
    result = run(
        "done",
        "dpia-review-triage-ai",
        "--evidence",
        "https://intranet/dpia/triage-v3.pdf",
        "--by",
        "Jane Doe",
        "--today",
        "2026-12-16",
    )
    assert result.code == 0, result.err
    after = config.read_text(encoding="utf-8")
    # every line the user had is still there, in order; only the ledger grew
    assert [line for line in after.splitlines() if line != "done:" and not line.startswith("  ")][
        :5
    ] == [line for line in before.splitlines() if line != "done: []" and not line.startswith("  ")][
        :5
    ]
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    assert before.replace("done: []\n", "done:\n") in after
    assert after.endswith(
        'done:\n  - id: dpia-review-triage-ai\n    milestone: "2026-12-15"\n    on: 2026-12-16\n'
        '    by: "Jane Doe"\n    evidence: "https://intranet/dpia/triage-v3.pdf"\n'
    )

    # done items leave upcoming and check, and show their evidence
    def listed(day: str) -> set[tuple[str, str, str]]:
        shown = run("upcoming", "--today", day, "--within", "30d", "-f", "json")
        return {(r["id"], r["milestone"], r["state"]) for r in json.loads(shown.out)}

    review = ("dpia-review-triage-ai", "2026-12-15")
    assert not {row for row in listed("2026-12-16") if row[:2] == review}
    # the 2025 review was never recorded: overdue, and upcoming leads with it
    assert ("dpia-review-triage-ai", "2025-12-15", "overdue") in listed("2026-12-16")
    # as of an earlier day, the completion did not exist yet
    assert (*review, "upcoming") in listed("2026-12-10")
    shown = run("show", "dpia-review-triage-ai", "--today", "2026-12-16")
    assert "Done on 2026-12-16 by Jane Doe: https://intranet/dpia/triage-v3.pdf" in shown.out
    again = run(
        "done",
        "dpia-review-triage-ai",
        "--occurrence",
        "2026-12-15",
        "--evidence",
        "x",
        "--by",
        "J",
    )
    assert again.code == 2 and "already recorded as done on 2026-12-16" in again.err


def test_a_second_entry_goes_after_the_first(tmp_path: Path) -> None:
    config = new_organisation(tmp_path)
    run(
        "done",
        "dpia-review-triage-ai",
        "--occurrence",
        "2025-12-15",
        "--evidence",
        "v2",
        "--by",
        "A",
        "--today",
        "2026-12-16",
    )
    run(
        "done",
        "dpia-review-triage-ai",
        "--occurrence",
        "2026-12-15",
        "--evidence",
        "v3",
        "--by",
        "B",
        "--today",
        "2026-12-16",
    )
    text = config.read_text(encoding="utf-8")
    assert text.index('evidence: "v2"') < text.index('evidence: "v3"')
    assert run("validate").code == 0


def test_done_in_the_calendar_keeps_its_evidence(tmp_path: Path) -> None:
    new_organisation(tmp_path)
    run(
        "done",
        "dpia-review-triage-ai",
        "--occurrence",
        "2026-12-15",
        "--evidence",
        "v3",
        "--by",
        "B",
        "--today",
        "2026-12-16",
    )
    out = tmp_path / "feed.ics"
    assert run("export", "ics", "-o", str(out), "--today", "2026-12-16").code == 0
    text = out.read_text(encoding="utf-8").replace("\r\n ", "")
    assert "Done on 2026-12-16 by B: v3" in text


def test_evidence_cannot_inject_yaml(tmp_path: Path) -> None:
    config = new_organisation(tmp_path)
    evil = 'x"\nprofile: {roles: [hacker]}'
    result = run(
        "done", "dpia-review-triage-ai", "--evidence", evil, "--by", "J", "--today", "2026-12-16"
    )
    assert result.code == 2 and "one line" in result.err
    sneaky = 'a", on: 1999-01-01, b: "'
    assert (
        run(
            "done",
            "dpia-review-triage-ai",
            "--evidence",
            sneaky,
            "--by",
            "J",
            "--today",
            "2026-12-16",
        ).code
        == 0
    )
    assert run("validate").code == 0
    assert "2026-12-16" in config.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("places", "hinted"),
    [((), True), (("FR",), True), (("UK", "DE"), True), (("EU",), True), (("UK",), False)],
)
def test_init_suggests_the_nis2_roles_only_where_nis2_applies(
    tmp_path: Path, places: tuple[str, ...], hinted: bool
) -> None:
    # NIS2 (EU law) lists health in Annex I; a trust in the UK alone is under the UK's own NIS
    # Regulations 2018, which the hint is not about
    args = [arg for place in places for arg in ("-j", place)]
    made = run("init", *args, "--role", "healthcare-provider", "--sector", "health")
    assert made.code == 0, made.err
    assert ("NIS2" in made.err) is hinted, made.err


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    new_organisation(tmp_path)
    result = run("init")
    assert result.code == 2 and "exists already (use --force" in result.err


def test_no_builtin_keeps_the_ledger_about_built_in_obligations(tmp_path: Path) -> None:
    # a completion of a built-in deadline, then a look at one's own registry alone: the ledger
    # names a real obligation that this run does not show (every such run exited 2)
    config = new_organisation(tmp_path)
    entry = "  - {id: %s, milestone: legacy-generative-marking, on: 2026-12-01, by: J, evidence: x}"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("done: []", "done:\n" + entry % "ai-act-art-50-transparency"))
    args = ("--no-builtin", "--registry", str(FIXTURE), "--today", "2026-12-02", "--all")
    shown = run("upcoming", *args, "-w", "1y")
    assert shown.code == 0, shown.err
    assert "test-year-review" in shown.out and "ai-act-art-50" not in shown.out
    # a typo is still an error, with or without the built-in registry
    config.write_text(text.replace("done: []", "done:\n" + entry % "ai-act-art-50-transparancy"))
    for extra in ((), ("--no-builtin", "--registry", str(FIXTURE))):
        wrong = run("upcoming", *extra, "--today", "2026-12-02")
        assert wrong.code == 2 and "did you mean: ai-act-art-50-transparency" in wrong.err


def test_done_without_an_organisation_file(tmp_path: Path) -> None:
    result = run("done", "gdpr-art-35-dpia", "--evidence", "x")
    assert result.code == 2 and "run regtrack init first" in result.err


def test_a_file_changed_on_disk_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = new_organisation(tmp_path)
    import regtrack.orgfile as orgfile

    real = orgfile.with_completion

    def meanwhile(text: str, completion: object) -> str:
        config.write_text(text + "# someone else's edit\n", encoding="utf-8")
        return real(text, completion)  # type: ignore[arg-type]

    monkeypatch.setattr(orgfile, "with_completion", meanwhile)
    result = run(
        "done", "dpia-review-triage-ai", "--evidence", "x", "--by", "J", "--today", "2026-12-16"
    )
    assert result.code == 2 and "changed on disk" in result.err
    assert config.read_text(encoding="utf-8").endswith("# someone else's edit\n")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("overrides: []\n", "overrides:\n  - {id: no-such-obligation, owner: J}\n"),
            "overrides[0].id: no obligation 'no-such-obligation'",
        ),
        (
            (
                "done: []\n",
                "done:\n  - {id: dpia-review-triage-ai, milestone: someday, on: 2026-01-01, by: J, evidence: x}\n",
            ),
            "done[0].milestone: 'someday' is neither",
        ),
        (
            ("waivers: []\n", "waivers:\n  - {id: nope, by: J, reason: r, until: 2027-01-01}\n"),
            "waivers[0].id: no obligation 'nope'",
        ),
        (
            ("  roles: [controller, deployer]", "  roles: controller"),
            "profile.roles: expected a list",
        ),
        (
            (
                "overrides: []\n",
                "overrides:\n  - {id: gdpr-art-9-health-data, applicable: false}\n",
            ),
            "overrides[0].reason: say why",
        ),
        (
            ("rule: FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15", "rule: FREQ=HOURLY"),
            "needs FREQ=YEARLY, MONTHLY, WEEKLY or DAILY",
        ),
        (  # found by the fuzz test: was an internal error when the dates were counted
            ("      country: FR", "      country: 2026-02-30"),
            "regtrack.yaml:48:16: obligations[dpia-review-triage-ai].recurrence.country: '2026-02-30' is not a "
            "country or region with known public holidays",
        ),
    ],
)
def test_validate_covers_the_organisation_file(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    config = new_organisation(tmp_path)
    text = config.read_text(encoding="utf-8")
    assert edit[0] in text
    config.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    result = run("validate")
    assert result.code == 2
    assert message in result.err, result.err
    assert "regtrack.yaml:" in result.err


def test_overrides_give_an_owner_and_your_status(tmp_path: Path) -> None:
    config = new_organisation(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        "overrides: []\n",
        "overrides:\n  - {id: gdpr-art-35-dpia, owner: Jane Doe (DPO), status: in-progress, tags: [triage]}\n",
    )
    config.write_text(text, encoding="utf-8")
    shown = run("show", "gdpr-art-35-dpia", "--today", "2026-11-27")
    assert "Owner: Jane Doe (DPO)" in shown.out and "Your status: in-progress" in shown.out
    record = json.loads(run("show", "gdpr-art-35-dpia", "-f", "json").out)
    assert record["owner"] == "Jane Doe (DPO)" and record["progress"] == "in-progress"
    assert "triage" in record["tags"]
    config.write_text(text.replace("in-progress", "almost"), encoding="utf-8")
    result = run("validate")
    assert result.code == 2 and "overrides[0].status: 'almost' is not allowed" in result.err


def test_an_inline_ledger_is_refused_without_writing(tmp_path: Path) -> None:
    config = new_organisation(tmp_path)
    inline = "done: [{id: dpia-review-triage-ai, milestone: '2025-12-15', on: 2026-01-05, by: A, evidence: v2}]\n"
    config.write_text(
        config.read_text(encoding="utf-8").replace("done: []\n", inline), encoding="utf-8"
    )
    before = config.read_bytes()
    result = run(
        "done",
        "dpia-review-triage-ai",
        "--occurrence",
        "2026-12-15",
        "--evidence",
        "v3",
        "--by",
        "B",
    )
    assert result.code == 2
    assert "cannot write regtrack.yaml: its done: list is written inline" in result.err
    assert config.read_bytes() == before


# Issue 27: the user's file changes by the new record alone ----------------------------------


def _ledger(tmp_path: Path, text: bytes) -> Path:
    config = tmp_path / "regtrack.yaml"
    config.write_bytes(text)
    return config


LEDGER = (
    "schema: 1\nprofile:\n  name: Clinic\n  jurisdictions: [FR]   # where\n  roles: [controller]\n"
    "done:\n  - id: gdpr-art-35-dpia\n    milestone: applies\n    on: 2026-01-02\n"
    "    by: J   # who\n    evidence: e\n"
)


@pytest.mark.parametrize(
    ("bom", "newline"),
    [(b"", "\n"), (b"\xef\xbb\xbf", "\n"), (b"", "\r\n"), (b"\xef\xbb\xbf", "\r\n")],
)
@pytest.mark.hostile
def test_done_keeps_the_file_s_bytes(tmp_path: Path, bom: bytes, newline: str) -> None:
    import datetime as dt

    from regtrack.orgfile import append_completions
    from regtrack.orgmodels import Completion

    before = bom + LEDGER.replace("\n", newline).encode()
    config = _ledger(tmp_path, before)
    entry = Completion("gdpr-art-33-breach-notification", "x", dt.date(2026, 12, 4), "me", "ev")
    append_completions(config, [entry])
    after = config.read_bytes()
    assert after.startswith(before)  # every byte before the new record is kept
    added = after[len(before) :].decode("utf-8")
    assert "gdpr-art-33-breach-notification" in added
    assert added.count("\n") == added.count(newline) or newline == "\n"
    assert "\r" not in added if newline == "\n" else added.count("\r\n") == added.count("\n")


@pytest.mark.hostile
def test_done_keeps_extended_attributes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    if not hasattr(os, "setxattr"):
        pytest.skip("no extended attributes here")
    monkeypatch.chdir(tmp_path)
    config = _ledger(tmp_path, LEDGER.encode())
    try:
        os.setxattr(config, "user.team", b"compliance")
    except OSError:
        pytest.skip("the file system keeps no user attributes")
    from regtrack.atomic import write_atomic

    write_atomic(config, config.read_bytes() + b"# x\n")
    assert os.getxattr(config, "user.team") == b"compliance"


@pytest.mark.hostile
def test_an_edit_made_while_writing_is_not_lost(tmp_path: Path) -> None:
    from regtrack.atomic import ChangedOnDisk, write_atomic

    config = _ledger(tmp_path, LEDGER.encode())
    before = config.read_bytes()

    def pieces() -> Iterator[bytes]:
        yield before
        config.write_bytes(before + b"# another program's edit\n")  # between read and rename
        yield b"# regtrack's record\n"

    with pytest.raises(ChangedOnDisk):
        write_atomic(config, pieces(), unchanged_since=before)
    assert config.read_bytes().endswith(b"# another program's edit\n")
    assert [p.name for p in tmp_path.iterdir()] == ["regtrack.yaml"]  # no temporary left


@pytest.mark.hostile
def test_sigterm_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A SIGTERM in the middle of writing removes the temporary file and exits 143."""
    import signal
    import subprocess
    import sys

    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from regtrack.cli.app import _on_terminate, _Terminated\n"
        "from regtrack.atomic import write_atomic\n"
        "_on_terminate()\n"
        "def slow():\n"
        "    yield b'a'\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(30)\n"
        "    yield b'b'\n"
        "try:\n"
        f"    write_atomic(Path({str(tmp_path / 'out.txt')!r}), slow())\n"
        "except _Terminated:\n"
        "    sys.exit(143)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "writing\n"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    assert list(tmp_path.iterdir()) == []


@pytest.mark.hostile
def test_done_into_an_empty_list_keeps_its_comment(tmp_path: Path) -> None:
    import datetime as dt

    from regtrack.orgfile import append_completions
    from regtrack.orgmodels import Completion

    text = LEDGER.split("done:")[0] + "done: []   # the ledger\nwaivers: []\n"
    config = _ledger(tmp_path, text.encode())
    entry = Completion("gdpr-art-33-breach-notification", "x", dt.date(2026, 12, 4), "me", "ev")
    append_completions(config, [entry])
    after = config.read_text(encoding="utf-8")
    assert "\ndone:   # the ledger\n  - id: gdpr-art-33-breach-notification\n" in after
    assert after.endswith("waivers: []\n")


LEDGER_ITEM = "  - id: gdpr-art-35-dpia\n    milestone: applies\n    on: 2026-01-02\n    by: J\n    evidence: e\n"


@pytest.mark.parametrize(
    "ledger",
    [
        "done: &ledger\n" + LEDGER_ITEM,  # an anchor before the list (issue 27, finding 11)
        "done: !!seq\n" + LEDGER_ITEM,  # a tag
        "done: &ledger []   # kept\n",
        "done:\n" + LEDGER_ITEM + "# the waivers\nwaivers:\n"
        "  - {id: gdpr-art-35-dpia, by: J, reason: r, until: 2027-01-01}\nevents: []\n",
    ],
)
@pytest.mark.hostile
def test_done_adds_to_any_ledger_layout_by_the_new_record_alone(
    tmp_path: Path, ledger: str
) -> None:
    """An anchored, tagged or followed ledger takes the record; every other line is kept."""
    text = LEDGER.split("done:")[0] + ledger
    config = _ledger(tmp_path, text.encode())
    result = run(
        "done", "nis2-art-41-transposition", "--config", str(config), "--by", "me",
        "--evidence", "ev", "--today", "2026-12-04",
    )  # fmt: skip
    assert result.code == 0, result.err
    after = config.read_text(encoding="utf-8")
    record = (
        '- id: nis2-art-41-transposition\n    milestone: "adopt-and-publish"\n'
        '    on: 2026-12-04\n    by: "me"\n    evidence: "ev"\n'
    )
    assert record in after
    assert after.replace("  " + record, "", 1) == text.replace("[]   # kept", "  # kept")
    assert run("validate", "--config", str(config)).code == 0


@pytest.mark.hostile
def test_a_ledger_regtrack_cannot_add_to_is_refused_with_no_line_of_another_text(
    tmp_path: Path,
) -> None:
    """An item on a line of its own (`-` alone): refused in one line naming the file, with no
    FILE:LINE of the text regtrack would have written (issue 27, finding 11)."""
    item = "  -\n    id: gdpr-art-35-dpia\n    milestone: applies\n    on: 2026-01-02\n"
    text = LEDGER.split("done:")[0] + "done:\n" + item + "    by: J\n    evidence: e\n"
    config = _ledger(tmp_path, text.encode())
    result = run(
        "done", "nis2-art-41-transposition", "--config", str(config), "--by", "me",
        "--evidence", "ev", "--today", "2026-12-04",
    )  # fmt: skip
    assert result.code == 2 and config.read_text(encoding="utf-8") == text
    assert result.err.startswith("regtrack: error: cannot write ") and result.err.count("\n") == 1
    assert "block list" in result.err and not re.search(r"\.yaml:\d", result.err)
