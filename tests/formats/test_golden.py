"""Golden output of every format for `upcoming`, `list` and `show` on the test registry, through
the CLI with a fixed day, an 80-column terminal and NO_COLOR. REGTRACK_UPDATE_GOLDEN=1 rewrites."""

from __future__ import annotations

import pytest

from regtrack.formats import Format
from tests.helpers import FIXTURE, TODAY, golden, run

EXTENSIONS = {Format.TABLE: "txt", Format.JSON: "json", Format.CSV: "csv", Format.MARKDOWN: "md"}


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize(
    "command",
    [
        ("upcoming", "--within", "2y"),
        ("list",),
        ("show", "test-deadline-amended"),
    ],
)
def test_golden(fmt: Format, command: tuple[str, ...]) -> None:
    result = run(
        *command,
        "--no-builtin",
        "--registry",
        str(FIXTURE),
        "--today",
        TODAY,
        "--format",
        fmt.value,
    )
    assert result.code == 0, result.err
    golden(f"{command[0]}.{EXTENSIONS[fmt]}", result.out)
