"""Reading files (regtrack.registry): the built-in registry ships, and a warm start needs no YAML."""

from __future__ import annotations

import subprocess
import sys

from regtrack.registry import builtin_path, load


def test_the_builtin_registry_is_found() -> None:
    path = builtin_path()
    assert path.is_file() and path.name == "obligations.yaml"
    assert len(load([path]).obligations) > 40


def test_a_warm_start_imports_neither_yaml_nor_the_parser(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from regtrack.registry import builtin_path, load\n"
        "load([builtin_path()])\n"  # fills the cache
        "for name in [m for m in sys.modules if m == 'yaml' or m.startswith(('yaml.', 'regtrack.parse'))]:\n"
        "    del sys.modules[name]\n"
        "load([builtin_path()])\n"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m == 'regtrack.parse'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
