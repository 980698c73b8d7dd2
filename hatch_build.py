"""Build hook: the wheel carries the built-in registry parsed (regtrack.prebuilt, issue 29), and,
where this machine can compile it, the YAML composer in C (src/regtrack/parse/_composer.c).

Hatchling runs it when it builds a wheel (not an editable one, which reads data/ from the
checkout and parses it). It parses data/obligations.yaml with the package being built, so the
build needs what that parse imports (PyYAML; [build-system] requires it), and a registry with a
problem stops the build: no package is made with a registry `validate` refuses.

The composer is optional: it needs a C compiler, Python's headers and libyaml's (Debian's
libyaml-dev). Without them the wheel is pure Python and composes with PyYAML, the same tree
more slowly; REGTRACK_COMPOSER=require makes a failed compile stop the build (CI sets it, so
that the tests run what users of a full build run), REGTRACK_COMPOSER=skip builds without.
A developer's editable install builds it in place with `python hatch_build.py`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SOURCE = Path("src/regtrack/parse/_composer.c")


def compile_composer(root: Path, folder: Path, extra: Sequence[str] = ()) -> Path:
    """The composer compiled into `folder` with the compiler and flags Python was built with,
    and `extra` ones (.ci/sanitize's); CalledProcessError or OSError when this machine cannot."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = folder / f"_composer{suffix}"
    shared = sysconfig.get_config_var("LDSHARED") or "cc -shared"
    flags = sysconfig.get_config_var("CCSHARED") or "-fPIC"
    command = [
        *shlex.split(shared),
        *shlex.split(flags),
        "-O2",
        "-std=c99",
        *extra,
        f"-I{sysconfig.get_paths()['include']}",
        str(root / SOURCE),
        "-lyaml",
        "-o",
        str(target),
    ]
    subprocess.run(command, check=True, capture_output=True)
    return target


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # `python hatch_build.py` outside a build
    BuildHookInterface = object


class PrebuiltRegistry(BuildHookInterface):  # type: ignore[misc,valid-type]
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
        self._composer(root, folder, build_data)

    def _composer(self, root: Path, folder: Path, build_data: dict[str, Any]) -> None:
        wanted = os.environ.get("REGTRACK_COMPOSER", "")
        if wanted == "skip":
            return
        try:
            target = compile_composer(root, folder)
        except (OSError, subprocess.CalledProcessError) as error:
            said = getattr(error, "stderr", b"") or b""
            reason = said.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(error)]
            if wanted == "require":
                raise RuntimeError(f"the YAML composer did not compile: {reason[0]}") from None
            self.app.display_warning(
                f"regtrack: the YAML composer in C was not built ({reason[0]}); the wheel "
                "composes YAML with PyYAML, the same results more slowly"
            )
            return
        build_data["force_include"][str(target)] = f"regtrack/parse/{target.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    print(compile_composer(here, here / SOURCE.parent))
