"""Deterministic random streams derived from the world seed.

Why: every listing's rendering must be reproducible on its own, independent of
the order in which other listings were generated. Python's ``hash()`` of a str
is randomised per process, so sub-seeds are derived with SHA-256 instead.
"""

from __future__ import annotations

import hashlib
import random


def derive_rng(seed: int, *parts: str | int) -> random.Random:
    """Return a ``random.Random`` seeded from ``seed`` and a path of labels.

    The same (seed, parts) always yields the same stream, across processes and
    Python builds, because the sub-seed comes from SHA-256 rather than ``hash``.
    """
    key = ":".join([str(seed), *(str(p) for p in parts)])
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def weighted_choice(rng: random.Random, options: list[tuple[str, int]]) -> str:
    """Pick one option from ``(value, weight)`` pairs using ``rng``.

    Kept here so every module draws weighted choices the same way, which keeps
    output stable when an option list is reordered only by intent.
    """
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights, k=1)[0]
