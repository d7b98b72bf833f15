"""A deterministic local world of B2B directory websites, with ground truth.

Why: spiders and the lead pipeline need realistic, messy directory pages to be
tested against without touching the internet; everything here is served on
127.0.0.1 and derived from one seed.

Public API (imported lazily so ``sandbox.world`` users do not load aiohttp):
``generate_world``, ``World``, ``Company``, ``Listing``, ``SITES``, ``SERVERS``,
``start_sandbox``, ``Sandbox``, ``Faults``, ``write_ground_truth``,
``write_company_truth``, ``load_ground_truth``, ``truth_records``,
``company_records``.

Sites: tradeboard, yellowpages, chinab2b (GBK), importers (buying leads),
gelbeseiten (JSON-LD), pagesjaunes (microdata), and "web": every company's
own website behind one HTTP forward proxy. Fault modes: ``sandbox.faults``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "generate_world": "sandbox.world",
    "World": "sandbox.world",
    "Company": "sandbox.world",
    "Listing": "sandbox.world",
    "SITES": "sandbox.world",
    "SERVERS": "sandbox.model",
    "start_sandbox": "sandbox.server",
    "Sandbox": "sandbox.server",
    "Faults": "sandbox.faults",
    "write_ground_truth": "sandbox.truth",
    "write_company_truth": "sandbox.truth",
    "load_ground_truth": "sandbox.truth",
    "truth_records": "sandbox.truth",
    "company_records": "sandbox.truth",
}

__all__ = [
    "SERVERS",
    "SITES",
    "Company",
    "Faults",
    "Listing",
    "Sandbox",
    "World",
    "company_records",
    "generate_world",
    "load_ground_truth",
    "start_sandbox",
    "truth_records",
    "write_company_truth",
    "write_ground_truth",
]


def __getattr__(name: str) -> Any:
    """Resolve public names on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
