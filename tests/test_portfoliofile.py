"""Writing a portfolio file (regtrack.portfoliofile, `regtrack init --client` and
`--remove-client`): every byte the consultant wrote is kept, nothing is written on a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from regtrack.orgmodels import Client
from regtrack.portfoliofile import with_client, without_client
from tests.helpers import run

WRITTEN = """\
# Acme's clients — keep this comment
schema: 1
firm: {name: Acme}
clients:
  # the clinics
  - {name: clinique-a, config: clients/clinique-a/regtrack.yaml}  # since 2024
  - name: clinique-b
    config: clients/clinique-b/regtrack.yaml
    tags: [clinic]

# the firm's baseline
baseline:
  overrides: []
"""


def test_a_client_is_added_as_one_line_and_nothing_else_moves() -> None:
    added = with_client(
        WRITTEN, Client("nhs-trust", "clients/nhs-trust/regtrack.yaml", ("a@b.example",), ("uk",))
    )
    lines = added.splitlines()
    assert lines[9] == (
        '  - {name: nhs-trust, config: "clients/nhs-trust/regtrack.yaml", contacts: '
        '["a@b.example"], tags: ["uk"]}'
    )
    assert added.replace(lines[9] + "\n", "") == WRITTEN


def test_a_client_is_removed_with_its_own_lines_only() -> None:
    flow = without_client(WRITTEN, "clinique-a")
    assert flow == WRITTEN.replace(
        "  - {name: clinique-a, config: clients/clinique-a/regtrack.yaml}  # since 2024\n", ""
    )
    block = without_client(WRITTEN, "clinique-b")
    assert "clinique-b" not in block and "# the firm's baseline" in block and "clinique-a" in block
    with pytest.raises(ValueError, match="no client 'ghost'"):
        without_client(WRITTEN, "ghost")
    inline = "clients: [{name: a, config: x}]\n"
    with pytest.raises(ValueError, match="written inline"):
        without_client(inline, "a")
    with pytest.raises(ValueError, match="written inline"):
        with_client(inline, Client("b", "y"))


def test_the_last_client_removed_leaves_an_empty_list() -> None:
    one = "clients:  # who\n  - {name: a, config: x}\n"
    assert without_client(one, "a") == "clients: []  # who\n"


def test_init_adds_and_removes_clients_and_refuses_cleanly(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "portfolio.yaml").write_text(WRITTEN, encoding="utf-8")
    for name in ("clinique-a", "clinique-b"):
        (tmp_path / "clients" / name).mkdir(parents=True)
        assert run("init", "-o", f"clients/{name}/regtrack.yaml", "-j", "FR",
                   "--role", "controller").code == 0  # fmt: skip
    made = run("init", "--client", "nhs-trust", "--name", "NHS Trust", "-j", "UK", "--role",
               "controller", "--role", "healthcare-provider", "--contact", "dpo@nhs.example",
               "--tag", "uk")  # fmt: skip
    assert made.code == 0, made.err
    assert "NHS Trust" in (tmp_path / "clients" / "nhs-trust" / "regtrack.yaml").read_text("utf-8")
    assert run("validate").code == 0
    checked = run("check", "--today", "2026-12-07", "--clients", "uk")
    assert "== nhs-trust: NHS Trust — UK · controller, healthcare-provider" in checked.out
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for args, says in (
        (("--client", "nhs-trust"), "has a client 'nhs-trust' already"),
        (("--client", "Not A Slug"), "is not a slug"),
        (("--client", "x", "--contact", "nobody"), "'nobody' is not an e-mail address"),
        (("--remove-client", "ghost"), "no client 'ghost' in it"),
        (("--client", "x", "--remove-client", "y"), "cannot be combined"),
    ):
        refused = run("init", *args)
        assert refused.code == 2 and says in refused.err, (args, refused.err)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    removed = run("init", "--remove-client", "clinique-a")
    assert removed.code == 0 and "its folder is kept" in removed.err
    assert (tmp_path / "clients" / "clinique-a" / "regtrack.yaml").exists()
    assert "# Acme's clients — keep this comment" in (tmp_path / "portfolio.yaml").read_text(
        "utf-8"
    )
    assert "clinique-a" not in run("check", "--today", "2026-12-07").out


def test_init_makes_a_portfolio_where_there_is_none(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert run("init", "--client", "first", "-j", "FR", "--role", "controller").code == 0
    text = (tmp_path / "portfolio.yaml").read_text("utf-8")
    assert text.startswith("# regtrack portfolio file") and "- {name: first, config:" in text
    assert run("validate").code == 0
