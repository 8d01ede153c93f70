"""Pause Python's cyclic garbage collector while a whole-module object graph is built or analysed."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block (re-entrant).

    Parsing a 100k-op dump allocates millions of small acyclic objects; each allocation burst
    triggers a collection that walks the young heap and, as the graph grows, the older ones,
    which more than doubled the parse time (benchmarks/bench_dump.py). Reference counting still
    frees everything; cycles made meanwhile are collected once the collector is back on. Not used
    by the streaming log reader, whose memory must stay flat over gigabytes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
