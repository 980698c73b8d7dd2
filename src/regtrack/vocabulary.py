"""The closed vocabulary of regtrack: roles, sectors and jurisdictions, with what each means.

One definition, read by the registry's parser (an obligation's `roles`, `sectors`, `owed_by`,
`jurisdiction`), the organisation file's profile, the command-line filters (`--role`,
`--sector`, `-j`, `--law`), `--help`, docs/vocabulary.md and the JSON Schema (tests keep the
last two equal to this module). A value outside it is an input error with the closest
suggestion: a typo such as `controler` must never quietly make an obligation "not apply".
"""

from __future__ import annotations

# Who an obligation binds. The definitions cited are the instruments' own; the others say in
# plain words what the registry means by the role.
ROLES: dict[str, str] = {
    "controller": "determines the purposes and means of processing personal data (GDPR Art. 4(7))",
    "processor": "processes personal data on behalf of a controller (GDPR Art. 4(8))",
    "provider": "develops an AI system or general-purpose AI model and places it on the market "
    "or puts it into service under its own name (AI Act Art. 3(3))",
    "deployer": "uses an AI system under its authority, e.g. a hospital using an AI triage "
    "tool (AI Act Art. 3(4))",
    "importer": "places on the EU market a product of a maker established outside the EU "
    "(AI Act Art. 3(6); MDR, IVDR)",
    "distributor": "makes a product available on the market, other than its maker or importer "
    "(AI Act Art. 3(7); MDR, IVDR)",
    "manufacturer": "makes a product, or has it made, and markets it under its own name "
    "(medical devices, connected products, products with digital elements)",
    "healthcare-provider": "a hospital, clinic, practitioner or other provider of healthcare",
    "health-data-holder": "holds electronic health data that the EHDS makes available for "
    "secondary use",
    "health-data-user": "uses electronic health data for secondary use under an EHDS data permit",
    "data-holder": "has the right or obligation to use and make available data of a connected "
    "product or related service (Data Act)",
    "data-processing-service-provider": "provides cloud or edge data processing services "
    "(Data Act switching rules)",
    "essential-entity": "an essential entity under NIS2 (Art. 3(1)): a large entity of an Annex "
    "I sector, which includes healthcare providers",
    "important-entity": "an important entity under NIS2 (Art. 3(2)): another entity of an Annex "
    "I or II sector within its scope",
    "financial-entity": "a bank, insurer, investment firm or other financial entity under DORA",
    "ict-third-party-service-provider": "provides ICT services to financial entities (DORA)",
    "certified-organisation": "holds a certification such as ISO/IEC 27001",
    "certification-body": "certifies organisations against a standard",
    "notified-body": "a conformity assessment body notified under Union harmonisation legislation "
    "(AI Act Art. 3(22); MDR, IVDR)",
    # Public bodies: a date only they must meet is shown, but `check` does not fail on it
    # unless the user holds the role (models.PUBLIC_BODIES).
    "commission": "the European Commission",
    "member-state": "an EU Member State: transposition, designations, national rules",
    "supervisory-authority": "a data protection supervisory authority (GDPR Art. 51)",
    "competent-authority": "a national competent authority (AI Act, DORA, MDR, NIS2)",
    "third-country": "a country outside the EU (e.g. in an adequacy decision)",
    "international-organisation": "an international organisation (GDPR Art. 4(26))",
}

# What an organisation does. regtrack's own categories, for `sectors:` of obligations and
# profiles; an obligation that names sectors applies only to organisations in one of them.
SECTORS: dict[str, str] = {
    "health": "hospitals, clinics, practitioners, health-data and e-health services",
    "life-sciences": "medical devices, in-vitro diagnostics, pharmaceuticals, biotechnology",
    "finance": "banks, insurers, investment firms, payment and crypto-asset services",
    "digital": "cloud, data centres, software, online platforms and other digital services",
    "telecommunications": "electronic communications networks and services",
    "energy": "electricity, gas, oil, hydrogen, district heating",
    "transport": "air, rail, water and road transport",
    "public-administration": "central, regional and local government",
    "research": "research organisations and universities",
    "education": "schools and training",
    "manufacturing": "manufacture of products other than medical devices",
    "retail": "sale of goods and services to consumers",
}

# Where law is made and where organisations operate: the EU, its Member States (Art. 52 TEU,
# by ISO 3166 code; Greece as GR and as EL, the EU's own code), the UK (UK or GB) and INT for
# international instruments. A region is its country's code and an ISO 3166-2 suffix (DE-BY).
EU_MEMBER_STATES: dict[str, str] = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "EL": "Greece (EU code)",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GR": "Greece",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IT": "Italy",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MT": "Malta",
    "NL": "Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
}
JURISDICTIONS: dict[str, str] = {
    "EU": "European Union law: applies in every Member State",
    "INT": "international instruments and standards: apply everywhere",
    "UK": "United Kingdom",
    "GB": "United Kingdom (ISO 3166 code)",
    **EU_MEMBER_STATES,
}
_UK = frozenset({"UK", "GB"})
_GREECE = frozenset({"GR", "EL"})


def _closest(value: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def _word(value: str, known: dict[str, str], what: str) -> str:
    # ASCII only: casefold() reads "ﬁnance" as "finance", which no schema would
    word = value.strip().casefold() if value.isascii() else value.strip()
    if word in known:
        return word
    raise ValueError(
        f"{value!r} is not a known {what} ({_closest(word, list(known))}known: {', '.join(known)})"
    )


def role(value: str) -> str:
    """A role of ROLES, lowercased; ValueError with the closest one otherwise."""
    return _word(value, ROLES, "role")


def sector(value: str) -> str:
    """A sector of SECTORS, lowercased; ValueError with the closest one otherwise."""
    return _word(value, SECTORS, "sector")


def jurisdiction(value: str) -> str:
    """A jurisdiction code (EU, FR, UK, INT) or a region of a known country (DE-BY), uppercased;
    ValueError with the closest one otherwise."""
    code = value.strip().upper() if value.isascii() else value.strip()  # "ıe" is not IE
    country, dash, region = code.partition("-")
    regional = country not in ("EU", "INT") and 1 <= len(region) <= 3
    if country in JURISDICTIONS and (
        not dash or (regional and region.isascii() and region.isalnum())
    ):
        return code
    named = {name.casefold(): c for c, name in EU_MEMBER_STATES.items() if "(" not in name}
    named["united kingdom"] = "UK"
    hint = (
        f"did you mean {named[value.strip().casefold()]!r}? "
        if value.strip().casefold() in named
        else _closest(country, list(JURISDICTIONS))
    )
    raise ValueError(
        f"{value!r} is not a known jurisdiction ({hint}"
        "expected EU, INT, UK, an EU Member State's code such as FR, or a region such as DE-BY)"
    )


def country_of(place: str) -> str:
    """The country part of a jurisdiction or region code: `DE` for `DE-BY`."""
    return place.upper().split("-", 1)[0]


def covers(place: str, law: str) -> bool:
    """True when law of jurisdiction `law` applies to an organisation in `place`: EU law in the
    Member States, UK law in the UK, national law in its country, regional law (DE-BY) in that
    region only, international instruments everywhere. The one meaning of a jurisdiction, for
    profiles and for `-j` alike."""
    law, where = law.upper(), country_of(place)
    if law == "INT":
        return True
    if law == "EU":
        return where == "EU" or where in EU_MEMBER_STATES
    if law in _UK:
        return where in _UK
    if law in _GREECE:
        return where in _GREECE
    return law in (place.upper(), where)


# What `regtrack vocabulary` lists, in this order.
SECTIONS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("role", "Roles: who an obligation binds (`roles`, `owed_by`, `--role`)", ROLES),
    ("sector", "Sectors: what an organisation does (`sectors`, `--sector`)", SECTORS),
    (
        "jurisdiction",
        "Jurisdictions: where law is made and where you operate (`jurisdiction`, `-j`, `--law`)",
        JURISDICTIONS,
    ),
)
