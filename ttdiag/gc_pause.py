"""Pause Python's cyclic garbage collector while a whole-module object graph is built or analysed."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block (re-entrant), then freeze
    what survives it.

    Parsing a 100k-op dump allocates millions of small acyclic objects; each allocation burst
    triggers a collection that walks the young heap and, as the graph grows, the older ones,
    which more than doubled the parse time (benchmarks/bench_dump.py). Switching the collector
    back on would only defer that walk: the first collections after it traverse the whole new
    graph (~0.9 s after a 100k-op parse). So the outermost block ends with ``gc.freeze()``: the
    objects alive then (the module) move to the permanent generation and are never scanned
    again. Reference counting still frees them; only cyclic garbage that exists at that moment
    would stay (``gc.unfreeze()`` undoes it). Not used by the streaming log reader, whose memory
    must stay flat over gigabytes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
