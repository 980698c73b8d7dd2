"""A portfolio's clients (regtrack.portfolio), its file (regtrack.parse.portfolio) and the
baseline every client inherits (regtrack.workspace.inherit)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from regtrack.errors import InvalidOption, InvalidRegistry
from regtrack.kinds import FileKind
from regtrack.orgmodels import Client, OrgConfig, Override, Portfolio, Waiver
from regtrack.parse import read_document
from regtrack.portfolio import pick
from regtrack.workspace import inherit

PORTFOLIO = Portfolio(
    "portfolio.yaml",
    clients=(
        Client("clinique-a", "a/regtrack.yaml", tags=("clinic", "FR")),
        Client("clinique-b", "b/regtrack.yaml", tags=("clinic",)),
        Client("nhs-trust", "n/regtrack.yaml", tags=("uk",)),
    ),
)


def names(clients: list[Client]) -> list[str]:
    return [c.name for c in clients]


def test_clients_are_chosen_by_name_glob_and_tag_in_the_portfolio_s_order() -> None:
    assert names(pick(PORTFOLIO)) == ["clinique-a", "clinique-b", "nhs-trust"]
    assert names(pick(PORTFOLIO, ["nhs-trust", "clinique-a"])) == ["clinique-a", "nhs-trust"]
    assert names(pick(PORTFOLIO, ["clinique-*"])) == ["clinique-a", "clinique-b"]
    assert names(pick(PORTFOLIO, tags=["fr"])) == ["clinique-a"]  # tags: any case
    assert names(pick(PORTFOLIO, ["clinique-*"], ["uk"])) == []  # both must hold


@pytest.mark.parametrize(
    ("names_", "tags", "says"),
    [
        (["clinique-c"], [], "did you mean 'clinique-b'?"),
        (["zz*"], [], "no client 'zz*'"),
        ([], ["clinics"], "did you mean 'clinic'?"),
    ],
)
def test_a_choice_that_names_nobody_is_an_error(
    names_: list[str], tags: list[str], says: str
) -> None:
    with pytest.raises(InvalidOption, match=says.replace("?", r"\?").replace("*", r"\*")):
        pick(PORTFOLIO, names_, tags)


def test_the_baseline_adds_to_each_client_and_the_client_s_own_word_wins() -> None:
    firm = Portfolio(
        "portfolio.yaml",
        overrides=(
            Override("gdpr-art-35-dpia", owner="Firm"),
            Override("pld-art-22-transposition", applicable=False, reason="not ours"),
        ),
        waivers=(Waiver("x", "", "Firm", "r", dt.date(2027, 1, 1), "portfolio.yaml", 9),),
    )
    own = OrgConfig("a/regtrack.yaml", overrides=(Override("gdpr-art-35-dpia", owner="Client"),))
    merged = inherit(own, firm)
    assert [(o.obligation, o.owner) for o in merged.overrides] == [
        ("pld-art-22-transposition", ""),
        ("gdpr-art-35-dpia", "Client"),
    ]
    assert [w.by for w in merged.waivers] == ["Firm"]


def test_a_portfolio_file_says_what_it_is() -> None:
    text = "schema: 1\nclients:\n  - {name: a, config: a/regtrack.yaml, tags: [x]}\n"
    document = read_document(text, "portfolio.yaml", FileKind.REGISTRY)
    assert document.kind is FileKind.PORTFOLIO and not document.problems
    assert document.portfolio is not None
    assert document.portfolio.clients == (
        Client("a", "a/regtrack.yaml", (), ("x",), "portfolio.yaml", 3),
    )
    refused = document.refused((FileKind.ORGANISATION,))
    assert "this is a portfolio file" in refused.message and "--portfolio FILE" in refused.message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("clients:\n  - {name: A B, config: x}\n", "clients[0].name: 'A B' is not a slug"),
        ("clients:\n  - {name: a}\n", "clients[0].config: is required"),
        (
            "clients:\n  - {name: a, config: x, contact: [a@b.c]}\n",
            "clients[0].contact: unknown field",
        ),
        (
            "clients: []\nfirm: {contacts: [nobody]}\n",
            "firm.contacts[0]: 'nobody' is not an e-mail",
        ),
        ("clients: []\nbaseline: {events: []}\n", "baseline.events: unknown field"),
    ],
)
def test_a_bad_portfolio_file_is_located(text: str, says: str) -> None:
    document = read_document(text, "portfolio.yaml", FileKind.PORTFOLIO)
    assert any(says in str(p) for p in document.problems), document.problems


def test_a_missing_client_file_is_located_at_its_entry(tmp_path: object) -> None:
    from pathlib import Path

    from regtrack.registry import load_portfolio

    folder = Path(str(tmp_path))
    path = folder / "portfolio.yaml"
    path.write_text("clients:\n  - {name: a, config: clients/a/regtrack.yaml}\n", "utf-8")
    with pytest.raises(InvalidRegistry) as raised:
        load_portfolio(path)
    assert [str(p).split(": ", 1)[1] for p in raised.value.problems] == [
        "clients[0].config: a: no organisation file clients/a/regtrack.yaml (from "
        f"{folder}: not found)"
    ]


@pytest.mark.parametrize("count", [2, 6])
def test_a_run_reads_the_shared_registry_once_whatever_the_clients(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """The work of a portfolio's run grows with its clients' own files only: the built-in
    registry every client shares is read once (counted, not timed: bench/portfolio.py times)."""
    import regtrack.cache
    import regtrack.registry
    from regtrack.registry import builtin_path
    from tests.cli.test_portfolio import CLIENTS, consultancy
    from tests.helpers import run

    consultancy(tmp_path, CLIENTS[:count])
    reads: Counter[str] = Counter()
    real, real_builtin = regtrack.cache.cached, regtrack.registry._builtin

    def counted(file: str, *args: Any, **kwargs: Any) -> Any:
        reads[file] += 1
        return real(file, *args, **kwargs)

    def counted_builtin(path: Path, data: bytes) -> Any:  # never through the cache (issue 29)
        reads[path.name] += 1
        return real_builtin(path, data)

    monkeypatch.setattr(regtrack.cache, "cached", counted)
    monkeypatch.setattr(regtrack.registry, "_builtin", counted_builtin)
    assert run("check", "--today", "2026-12-07", "-f", "json").code in (0, 1)
    assert reads[builtin_path().name] == 1
    own = {f for f in reads if f.startswith("clients/")}
    assert own == {f"clients/{c[0]}/regtrack.yaml" for c in CLIENTS[:count]}
    assert all(reads[f] == 1 for f in own)
