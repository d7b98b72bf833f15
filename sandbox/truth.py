"""Ground truth: which listing (site + path) is which company, and how to find it.

Why JSON Lines: evaluation scripts stream it, diff it and grep it; one record
per listing keeps duplicates and cross-site listings explicit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sandbox.model import World
from sandbox.search import terms_for


def truth_records(world: World) -> list[dict[str, Any]]:
    """One record per listing, in world order."""
    return [
        {
            "site": listing.site,
            "path": listing.path,
            "company_id": listing.company_id,
            "search_terms": terms_for(listing),
        }
        for listing in world.listings
    ]


def write_ground_truth(world: World, path: str | Path) -> Path:
    """Write the world's ground truth as JSON Lines to ``path`` (parents created)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(record, ensure_ascii=False) for record in truth_records(world))
    target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return target


def load_ground_truth(path: str | Path) -> list[dict[str, Any]]:
    """Read a file written by ``write_ground_truth`` (blank lines ignored)."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
