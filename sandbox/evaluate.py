"""Score a store's clustering of sandbox listings against the ground truth.

Pairwise precision and recall, the usual entity-resolution measure: of the
pairs of listings put in one company, how many are truly one company
(precision), and of the true pairs, how many were found (recall).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

Listing = tuple[str, str]  # (site, path)


@dataclass(frozen=True)
class MatchScores:
    listings: int
    true_companies: int
    predicted_companies: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(assignment: Mapping[Listing, Hashable]) -> set[tuple[Listing, Listing]]:
    groups: dict[Hashable, list[Listing]] = defaultdict(list)
    for listing, cluster in assignment.items():
        groups[cluster].append(listing)
    pairs: set[tuple[Listing, Listing]] = set()
    for members in groups.values():
        members.sort()
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return pairs


def score_clusters(truth: list[dict[str, Any]], predicted: Mapping[Listing, Hashable]) -> MatchScores:
    """Compare predicted clusters with the truth over the listings present in both."""
    true_map = {(r["site"], r["path"]): r["company_id"] for r in truth}
    common = set(true_map) & set(predicted)
    true_pairs = _pairs({k: true_map[k] for k in common})
    predicted_pairs = _pairs({k: predicted[k] for k in common})
    return MatchScores(
        listings=len(common),
        true_companies=len({true_map[k] for k in common}),
        predicted_companies=len({predicted[k] for k in common}),
        true_pairs=len(true_pairs),
        predicted_pairs=len(predicted_pairs),
        correct_pairs=len(true_pairs & predicted_pairs),
    )
