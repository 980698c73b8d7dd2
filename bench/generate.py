"""Synthetic registries for benchmarks: N obligations with mixed precisions (day, month, quarter,
year), statuses, histories, periods (with chains) and recurrences. Deterministic for a given N.

Usage: .venv/bin/python bench/generate.py N > registry-N.yaml
       .venv/bin/python bench/generate.py N PARTS PREFIX   (writes PREFIX-0.yaml, ...)
"""

from __future__ import annotations

import random
import sys

REGULATIONS = [
    ("GDPR", "CELEX:32016R0679"),
    ("AI Act", "CELEX:32024R1689"),
    ("NIS2", "CELEX:32022L2555"),
    ("DORA", "CELEX:32022R2554"),
    ("EHDS", "CELEX:32025R0327"),
    ("Data Act", "CELEX:32023R2854"),
]
KINDS = ["applies", "deadline", "expected", "review"]
STATUSES = ["fixed", "fixed", "fixed", "expected", "proposed", "amended"]
ROLES = ["controller", "processor", "provider", "deployer", "manufacturer"]
TAGS = ["health", "ai", "security", "finance", "records", "rights"]


def date_text(rng: random.Random) -> str:
    year = rng.randint(2018, 2036)
    form = rng.random()
    if form < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if form < 0.8:
        return f"{year}-{rng.randint(1, 12):02d}"
    if form < 0.95:
        return f"{year}-Q{rng.randint(1, 4)}"
    return str(year)


def obligation(index: int, rng: random.Random) -> str:
    short, identifier = REGULATIONS[index % len(REGULATIONS)]
    lines = [
        f"  - id: synthetic-{index:05d}",
        f"    title: Synthetic obligation {index} of {short}",
        f"    regulation: {{short: {short}, name: Synthetic {short}, identifier: '{identifier}'}}",
        f"    citation: Art. {rng.randint(1, 120)}({rng.randint(1, 9)})",
        f"    jurisdiction: {rng.choice(['EU', 'EU', 'FR', 'UK'])}",
        f"    tags: [{', '.join(rng.sample(TAGS, 2))}]",
        f"    roles: [{', '.join(rng.sample(ROLES, 2))}]",
        "    summary: >-",
        f"      A synthetic obligation used to measure regtrack on large registries ({index}).",
        "    sources:",
        f"      - {{url: 'https://eur-lex.europa.eu/eli/synthetic/{index}', title: Synthetic source {index}}}",
        "    milestones:",
    ]
    for m in range(rng.randint(1, 3)):
        status = rng.choice(STATUSES)
        date = date_text(rng)
        lines += [
            f"      - id: m{m}",
            f"        kind: {rng.choice(KINDS)}",
            f"        date: {date}",
            f"        status: {status}",
            "        verified: 2026-11-27",
        ]
        if status == "amended":
            old = date_text(rng)
            while old == date:
                old = date_text(rng)
            lines += [
                "        history:",
                f"          - {{from: {old}, to: {date}, act: Synthetic amending act, "
                f"source: 'https://eur-lex.europa.eu/eli/synthetic/amending/{index}'}}",
            ]
    if rng.random() < 0.3:
        lines += [
            "    periods:",
            "      - {id: notify, title: Notify, duration: PT72H, from: awareness, verified: 2026-11-27}",
            "      - {id: report, title: Report, duration: P1M, after: notify, verified: 2026-11-27}",
        ]
    if rng.random() < 0.1:
        lines += [
            "    recurrence:",
            f"      rule: FREQ=YEARLY;BYMONTH={rng.randint(1, 12)};BYMONTHDAY={rng.randint(1, 28)}",
            "      start: 2024-01-01",
            "      adjust: next-working-day",
        ]
    return "\n".join(lines)


def registry(count: int) -> str:
    """A registry document of `count` synthetic obligations."""
    return registries(count, 1)[0]


def registries(count: int, parts: int) -> list[str]:
    """`count` synthetic obligations (the same as `registry(count)`'s) as `parts` registry
    documents of nearly equal size: a registry too large for one file (regtrack reads files of
    at most 16 MiB) is split into several, as a user would."""
    rng = random.Random(count)
    items = [obligation(i, rng) for i in range(count)]
    size = -(-count // parts)
    return [
        "schema: 1\nobligations:\n" + "\n".join(items[start : start + size]) + "\n"
        for start in range(0, count, size)
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4:  # N PARTS PREFIX: PREFIX-0.yaml ... PREFIX-(PARTS-1).yaml
        count, parts, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
        for index, text in enumerate(registries(count, parts)):
            with open(f"{prefix}-{index}.yaml", "w", encoding="utf-8") as out:  # noqa: PTH123
                out.write(text)
    else:
        sys.stdout.write(registry(int(sys.argv[1])))
