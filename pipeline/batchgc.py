"""Garbage collection tuned for a night's batch.

Python's cyclic collector walks every tracked object at each full
collection, and starts collections by the count of objects allocated. A
night holds a few hundred thousand leads and companies (pydantic models with
their lists and dicts) and allocates millions more while matching and
loading, so with the default thresholds a third of the night went into
walking the same live objects again and again (measured by
``benchmarks/nightly_scale.py``). Inside :func:`batch_gc` the objects alive at
its start are frozen out of collection and young collections run less often;
everything is as before on the way out. Nothing in the pipeline relies on
cycles being collected promptly: its data is trees of models.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 50_000  # allocations between young collections (CPython's default is 700)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Collect less often while a large batch is processed; restore the settings afterwards."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
