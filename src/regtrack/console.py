"""The console script (`regtrack`, `python -m regtrack`): quiet from its first instruction.

Ctrl-C while Python imports typer and rich (a third of a run) would print a raw traceback; until
the CLI's error boundary takes over, an interrupt prints one line and exits 130. Output streams
whose encoding cannot write everything (PYTHONIOENCODING=ascii, a POSIX locale) escape what they
cannot write instead of failing: data on stdout is written as UTF-8 bytes anyway.
"""

import os
import signal
import sys


def _interrupted(signum: int, frame: object) -> None:
    os.write(2, b"regtrack: interrupted\n")
    os._exit(130)


def main() -> None:
    """Entry point: set up the process, then run the CLI."""
    import gc

    # A short-lived process (regtrack.cli.main says why it runs without the cyclic collector):
    # off before typer, rich and regtrack are imported too, whose hundreds of classes and
    # functions set off collections that find nothing, 4 % of a start's instructions (issue 29)
    gc.disable()
    signal.signal(signal.SIGINT, _interrupted)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="backslashreplace")
    from regtrack.cli import main as run

    # from here on, the error boundary turns Ctrl-C into its one line and exit 130, after the
    # command's own clean-up (an atomic write removes its temporary file)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run()
    except KeyboardInterrupt:  # while typer builds the app, before the boundary is entered
        _interrupted(signal.SIGINT, None)
    finally:
        signal.signal(signal.SIGINT, _interrupted)
