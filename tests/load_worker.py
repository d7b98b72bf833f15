"""A separate process that matches and loads one site's batch: two of them race in test_concurrency."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline.dedup import DedupRules, resolve
from pipeline.grade import GradingRules, assign_grades
from pipeline.store import Store
from tests.factories import lead


def main(db_url: str, site: str, companies: int, start_flag: str) -> None:
    store = Store(db_url)
    leads = [lead(f"Company {i} {'Inc' if site == 'a' else 'Incorporated'}", site=site, url=f"{site}/{i}",
                  phones=[f"(212) 736-{5000 + i}"], country="US") for i in range(companies)]
    while not Path(start_flag).exists():  # both workers start matching at the same moment
        time.sleep(0.01)
    with store.batch_lock():
        result = resolve(leads, store.find_candidates(leads, DedupRules()), DedupRules())
        assign_grades(result.companies, store.scores(), GradingRules())
        store.load(result.companies)
    store.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
