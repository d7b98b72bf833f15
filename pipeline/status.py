"""Lead statuses and the moves sales may make between them.

potential: not contacted yet, or no signal; intended: showed interest;
established: a customer; invalid: unreachable, wrong target, duplicate, or
asked not to be contacted. A customer who leaves goes back to potential; an
invalid lead comes back only by an explicit move to potential.
"""

from __future__ import annotations

from pipeline.models import Status

ALLOWED_MOVES: dict[Status, frozenset[Status]] = {
    Status.POTENTIAL: frozenset({Status.POTENTIAL, Status.INTENDED, Status.ESTABLISHED, Status.INVALID}),
    Status.INTENDED: frozenset({Status.INTENDED, Status.POTENTIAL, Status.ESTABLISHED, Status.INVALID}),
    Status.ESTABLISHED: frozenset({Status.ESTABLISHED, Status.POTENTIAL, Status.INVALID}),
    Status.INVALID: frozenset({Status.INVALID, Status.POTENTIAL}),
}

# Words sales use for each status, in the languages of the source plans.
STATUS_WORDS: dict[str, Status] = {
    "potential": Status.POTENTIAL, "prospect": Status.POTENTIAL, "new": Status.POTENTIAL, "潜在": Status.POTENTIAL,
    "intended": Status.INTENDED, "interested": Status.INTENDED, "intent": Status.INTENDED, "意向": Status.INTENDED,
    "established": Status.ESTABLISHED, "customer": Status.ESTABLISHED, "won": Status.ESTABLISHED,
    "client": Status.ESTABLISHED, "成交": Status.ESTABLISHED, "客户": Status.ESTABLISHED,
    "invalid": Status.INVALID, "lost": Status.INVALID, "dead": Status.INVALID, "无效": Status.INVALID,
}


def parse_status(text: str) -> Status | None:
    return STATUS_WORDS.get(text.strip().casefold())


def can_move(current: Status, new: Status) -> bool:
    return new in ALLOWED_MOVES[current]
