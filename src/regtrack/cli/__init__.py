"""The command line: parse options, call the core, render, choose the exit code. Thin on purpose:
one module per group of commands (read, registry, check, clock, export, org), each loaded by the
app (`app.py`) only when one of its commands runs."""

from regtrack.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    import gc

    # A short-lived process: the cyclic garbage collector would scan the tens of thousands of
    # objects a large registry loads, again and again, to find next to nothing (reference
    # counting still frees everything acyclic). Measured: a fifth of a 10,000-obligation run.
    gc.disable()
    try:
        app()
    finally:
        # At exit CPython runs a last full collection over every object still alive: typer's,
        # click's and typing's included, ~15 ms, more than regtrack's whole command. Freezing
        # them first (gc.freeze: the "permanent generation" that collections skip) makes exit
        # nearly free; objects are still released by reference counting, files still closed.
        gc.freeze()
