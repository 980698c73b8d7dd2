"""Where a cold parse of one registry file spends its time, in-process: composing the YAML
nodes, the typing walk, freeing the tree, encoding the parse-cache entry (issue 29). A
diagnostic beside bench/run.py's whole-process timings, not a replacement for them.

Usage: .venv/bin/python bench/phases.py FILE [--pyyaml] [--runs N]
`--pyyaml` composes with PyYAML's composer instead of the compiled one. The garbage collector
is off, as regtrack's CLI runs; each phase's median over N runs (3) is printed in seconds.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--pyyaml", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    from regtrack import cache_format
    from regtrack.parse import reader
    from regtrack.parse import registry as parse_registry

    if options.pyyaml:
        reader.COMPOSER = None
    print(f"composer: {'PyYAML' if reader.COMPOSER is None else 'compiled'}")
    text = Path(options.file).read_text(encoding="utf-8")
    gc.disable()
    phases: dict[str, list[float]] = {"compose": [], "walk": [], "free": [], "dumps": []}
    for _ in range(options.runs):
        start = time.perf_counter()
        node = reader.compose(text, options.file)
        composed = time.perf_counter()
        obligations = tuple(parse_registry.obligations_of(reader.Reader(options.file, text), node))
        walked = time.perf_counter()
        del node
        freed = time.perf_counter()
        cache_format.dumps((obligations, ()))
        done = time.perf_counter()
        for name, seconds in zip(
            phases, (composed - start, walked - composed, freed - walked, done - freed), strict=True
        ):
            phases[name].append(seconds)
        del obligations
    print(" ".join(f"{name} {statistics.median(times):.3f}" for name, times in phases.items()))


if __name__ == "__main__":
    main()
