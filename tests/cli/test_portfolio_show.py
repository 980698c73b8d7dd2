"""`show` across a portfolio (issue 25): whom of the clients an obligation applies to and why,
then each client's own `show`, equal item by item to that client's own run."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.test_portfolio import CLIENTS, DAY, consultancy
from tests.helpers import run

FOUR = CLIENTS[:4]  # two clinics (one deploys AI), an NHS trust, an AI medical-device maker
PROHIBITIONS = "ai-act-art-5-new-prohibitions"  # binds providers and deployers, EU only


def test_show_says_whom_it_applies_to_and_agrees_with_each_clients_own(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    data = json.loads(run("show", PROHIBITIONS, *DAY, "-f", "json").out)
    assert data["id"] == PROHIBITIONS
    assert [(c["client"], c["applies"]) for c in data["clients"]] == [
        ("clinique-a", True),
        ("clinique-b", False),
        ("nhs-trust", False),
        ("medtech", True),
    ]
    assert data["clients"][2]["why"][0] == "EU law does not apply in UK"
    for entry in data["clients"]:
        name = entry.pop("client")
        assert entry.pop("found") is True
        assert entry.pop("profile").startswith({c[0]: c[1] for c in FOUR}[name])
        alone = run("show", PROHIBITIONS, *DAY, "-f", "json",
                    "--config", f"clients/{name}/regtrack.yaml")  # fmt: skip
        assert alone.code == 0, alone.err
        own = json.loads(alone.out)

        def bare(value: object) -> object:  # a portfolio's run names the organisation
            if isinstance(value, dict):
                return {k: bare(v) for k, v in value.items() if k != "organisation"}
            if isinstance(value, list):
                return [bare(v) for v in value]
            return value

        assert bare(entry) == own, name
    text = run("show", PROHIBITIONS, *DAY).out
    assert "Across the portfolio: applies to 2 of 4 clients" in text
    assert "== medtech: Medtech SAS — FR · provider, manufacturer · health" in text
    assert text.count("Applies to you:") == 2 and text.count("Does not apply to you:") == 2


def test_show_in_csv_and_markdown_names_every_client(tmp_path: Path) -> None:
    import cmarkgfm

    consultancy(tmp_path, FOUR)
    rows = list(csv.DictReader(io.StringIO(run("show", PROHIBITIONS, *DAY, "-f", "csv").out)))
    assert [(r["organisation"], r["applies"], r["id"]) for r in rows] == [
        ("clinique-a", "yes", PROHIBITIONS),
        ("clinique-b", "no", PROHIBITIONS),
        ("nhs-trust", "no", PROHIBITIONS),
        ("medtech", "yes", PROHIBITIONS),
    ]
    page = cmarkgfm.github_flavored_markdown_to_html(
        run("show", PROHIBITIONS, *DAY, "-f", "markdown").out
    )
    assert page.count("<h2>") == 4 and "<h2><code>medtech</code>: Medtech SAS" in page
    assert "<td><code>nhs-trust</code></td>\n<td>does not apply</td>" in page


def test_show_of_a_clients_own_obligation_says_where_it_is_missing(tmp_path: Path) -> None:
    consultancy(tmp_path, FOUR)
    own = tmp_path / "clients" / "medtech" / "regtrack.yaml"
    text = own.read_text(encoding="utf-8")
    assert "\nobligations: []\n" in text
    own.write_text(
        text.replace(
            "\nobligations: []\n",
            """
obligations:
  - id: medtech-ce-renewal
    title: Renew the CE certificate of the triage device
    regulation: {short: MDR, name: Medical Device Regulation, identifier: CELEX:32017R0745}
    citation: Art. 56(2)
    jurisdiction: EU
    summary: The notified body's certificate is valid for at most five years.
    sources:
      - {title: Certificate, url: "https://example.org/ce", official: false}
    milestones:
      - {id: renewal, date: 2027-03-01, kind: deadline, status: fixed, verified: 2026-12-01}
""",
        ),
        encoding="utf-8",
    )
    data = json.loads(run("show", "medtech-ce-renewal", *DAY, "-f", "json").out)
    assert [(c["client"], c["found"]) for c in data["clients"]] == [
        ("clinique-a", False),
        ("clinique-b", False),
        ("nhs-trust", False),
        ("medtech", True),
    ]
    text = run("show", "medtech-ce-renewal", *DAY).out
    assert "clinique-a: not in its registries" in text
    unknown = run("show", "medtech-ce-renewl", *DAY)
    assert unknown.code == 2 and "did you mean: medtech-ce-renewal" in unknown.err
