"""The JSON Schemas (`regtrack schema`, `regtrack schema organisation`) and the parser agree
(issue 15): the same fields, field for field, and standard validators (check-jsonschema, and
ajv reading YAML as YAML 1.2 as editors do) accept what `validate` accepts and refuse what it
refuses."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from regtrack.parse import events, organisation, portfolio, registry, waivers
from regtrack.registry import builtin_path
from tests.helpers import FIXTURE, HERE, NODE, run, write

ORGANISATION = HERE / "fixtures" / "regtrack.yaml"


def schema(kind: str = "registry") -> dict[str, Any]:
    result = run("schema", kind)
    assert result.code == 0, result.err
    loaded: dict[str, Any] = json.loads(result.out)
    return loaded


SHAPES = {
    ("registry", None): registry.REGISTRY,
    ("registry", "obligation"): registry.OBLIGATION,
    ("registry", "milestone"): registry.MILESTONE,
    ("registry", "period"): registry.PERIOD,
    ("registry", "source"): registry.SOURCE,
    ("registry", "regulation"): registry.REGULATION,
    ("registry", "change"): registry.CHANGE,
    ("registry", "recurrence"): registry.RECURRENCE,
    ("organisation", None): organisation.ORGANISATION,
    ("organisation", "profile"): organisation.PROFILE,
    ("organisation", "registries"): organisation.REGISTRIES,
    ("organisation", "override"): organisation.OVERRIDE,
    ("organisation", "completion"): organisation.COMPLETION,
    ("organisation", "waiver"): waivers.WAIVER,
    ("organisation", "event"): events.EVENT,
    ("portfolio", None): portfolio.PORTFOLIO,
    ("portfolio", "firm"): portfolio.FIRM,
    ("portfolio", "client"): portfolio.CLIENT,
    ("portfolio", "baseline"): portfolio.BASELINE,
}


@pytest.mark.parametrize(("kind", "name"), list(SHAPES))
def test_the_schemas_list_the_parser_s_fields(kind: str, name: str | None) -> None:
    whole = schema(kind)
    if name is None:
        part = whole
    elif name == "recurrence":
        part = whole["$defs"]["obligation"]["properties"]["recurrence"]
    else:
        part = whole["$defs"][name]
    shape = SHAPES[(kind, name)]
    assert set(part["properties"]) == set(shape.fields)
    assert set(part.get("required", [])) == set(shape.required)
    assert part.get("additionalProperties") is False  # an unknown field is refused by both


def _check_jsonschema(schema_file: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run(
        [str(tool), "--schemafile", str(schema_file), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _ajv(schema_file: Path, *files: Path) -> subprocess.CompletedProcess[str] | None:
    if not (NODE / "node_modules" / "ajv").is_dir() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail("ajv is not installed: .ci/run runs npm ci in tests/node")
        return None
    return subprocess.run(
        ["node", str(NODE / "validate.mjs"), str(schema_file), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _schemas(tmp_path: Path) -> tuple[Path, Path]:
    files = tmp_path / "registry.schema.json", tmp_path / "organisation.schema.json"
    files[0].write_text(json.dumps(schema("registry")), encoding="utf-8")
    files[1].write_text(json.dumps(schema("organisation")), encoding="utf-8")
    return files


def test_standard_validators_accept_the_builtin_registry_and_organisation_files(
    tmp_path: Path,
) -> None:
    for_registry, for_organisation = _schemas(tmp_path)
    (tmp_path / ".git").mkdir()
    assert run("init", "--name", "Hôpital", "-j", "FR", "--role", "controller").code == 0
    made = tmp_path / "regtrack.yaml"
    for check in (_check_jsonschema, _ajv):
        done = check(for_registry, builtin_path(), FIXTURE)
        if done is None:
            continue
        assert done.returncode == 0, done.stdout + done.stderr
        again = check(for_organisation, made, ORGANISATION)
        assert again is not None, check
        assert again.returncode == 0, again.stdout + again.stderr


BROKEN = [
    ("date: 2026-08-02", "date: 2026-13-45"),  # no 13th month
    ("verified: 2026-11-27", "verified: 2026-02-30"),  # no 30 February
    ("date: 2026-08-02", "date: 3000-08-02"),  # outside the years regtrack reads
    ("roles: [controller]", "roles: [controler]"),  # not in the vocabulary
    ("jurisdiction: FR", "jurisdiction: France"),
    ("kind: applies", "kind: applied"),
    ("    citation: Art. 113\n", "    citation: Art. 113\n    cited: twice\n"),  # unknown field
]


@pytest.mark.parametrize(("old", "new"), BROKEN)
def test_what_validate_refuses_the_validators_refuse(tmp_path: Path, old: str, new: str) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    broken = write(tmp_path, text.replace(old, new, 1), "broken.yaml")
    assert run("validate", str(broken)).code == 2
    for_registry, _ = _schemas(tmp_path)
    for check in (_check_jsonschema, _ajv):
        done = check(for_registry, broken)
        if done is not None:
            assert done.returncode != 0, (check.__name__, done.stdout)


def test_a_broken_organisation_file_is_refused_by_both(tmp_path: Path) -> None:
    text = ORGANISATION.read_text(encoding="utf-8")
    broken = write(tmp_path, text.replace("on: 2025-12-16", "on: 2025-12-32"), "regtrack.yaml")
    assert run("validate", str(broken)).code == 2
    _, for_organisation = _schemas(tmp_path)
    done = _check_jsonschema(for_organisation, broken)
    assert done.returncode != 0 and re.search(r"on", done.stdout)


@pytest.mark.parametrize("name", ["registry", "organisation", "portfolio"])
def test_no_skeleton_defines_a_value_format_itself(name: str) -> None:
    """One definition of each format (issue 28): the shipped skeletons say which format each
    field has (`$ref`), and regtrack.parse.grammar builds every format from the reader's own
    rules; a pattern, an enum or a format written in a skeleton would be a second definition."""
    from regtrack.parse.grammar import definitions, skeleton

    found: list[str] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            found.extend(
                f"{path}/{k}" for k in ("pattern", "enum", "format", "const") if k in value
            )
            for key, item in value.items():
                if key != "properties" or not isinstance(item, dict):
                    walk(item, f"{path}/{key}")
                    continue
                for field, entry in item.items():  # a field's name is not a keyword
                    walk(entry, f"{path}/properties/{field}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    shipped = skeleton(name)
    walk(shipped, "")
    assert found == []
    refs = re.findall(r'"\$ref": "#/\$defs/([a-z-]+)"', json.dumps(shipped))
    own = set(shipped.get("$defs", {}))
    for ref in refs:  # every format named is built, or is a shape of some skeleton
        assert ref in definitions() or ref in own or name != "registry", ref
