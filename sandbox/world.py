"""The sandbox world: companies, their listings on each directory, and the seed.

Why: tests and the e2e crawl need the same world every time for a given seed,
so everything here derives from ``random.Random(seed)`` (and SHA-256 sub-seeds),
never from the global random module, the clock or ``hash()``.
"""

from __future__ import annotations

from sandbox.companies import make_companies
from sandbox.listings import make_listings
from sandbox.model import SITES, Company, Listing, World

__all__ = ["SITES", "Company", "Listing", "World", "generate_world"]


def generate_world(seed: int = 7, n_companies: int = 600) -> World:
    """Build the full world for ``seed``: identical output for identical arguments."""
    companies = make_companies(seed, n_companies)
    return World(seed=seed, companies=companies, listings=make_listings(seed, companies))
