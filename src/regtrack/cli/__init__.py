"""The command line: parse options, call the core, render, choose the exit code. Thin on purpose:
one module per group of commands (read, registry, check, clock, export, org), each loaded by the
app (`app.py`) only when one of its commands runs."""

from regtrack.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
