"""Build hook: the wheel carries the built-in registry parsed (regtrack.prebuilt, issue 29).

Hatchling runs it when it builds a wheel (not an editable one, which reads data/ from the
checkout and parses it). It parses data/obligations.yaml with the package being built, so the
build needs what that parse imports (PyYAML; [build-system] requires it), and a registry with a
problem stops the build: no package is made with a registry `validate` refuses.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltRegistry(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from regtrack.prebuilt import NAME, build

            built = build((root / "data" / "obligations.yaml").read_bytes())
        finally:
            sys.path.remove(str(root / "src"))
        folder = Path(tempfile.mkdtemp(prefix="regtrack-build-"))
        (folder / NAME).write_bytes(built)
        build_data["force_include"][str(folder / NAME)] = f"regtrack/data/{NAME}"
