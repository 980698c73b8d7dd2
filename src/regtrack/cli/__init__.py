"""The command line: parse options, call the core, render, choose the exit code. Thin on purpose:
one module per group of commands, all registered on the one typer app of `app.py`."""

from __future__ import annotations

from regtrack.cli import check, clock, export, org, read, registry  # noqa: F401  (registers the commands)
from regtrack.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
