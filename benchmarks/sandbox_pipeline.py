"""Time each stage of the nightly path on the sandbox, and score deduplication against its truth.

    .venv/bin/python -m benchmarks.sandbox_pipeline [--companies 600] [--seed 7]

Runs the stages directly (no Prefect, whose in-process server costs seconds
per run and is not what is measured here): crawl each site in its own
process over HTTP on 127.0.0.1, normalise, deduplicate, grade, load into a
fresh SQLite file, export. Prints wall time per stage, pages per second, and
pairwise precision / recall / F1 of the companies against the ground truth.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from flows.crawling import run_crawl
from pipeline.dedup import DedupRules, resolve
from pipeline.export import export_new
from pipeline.grade import GradingRules, assign_grades
from pipeline.models import Lead
from pipeline.normalize import normalize_lead
from pipeline.paths import PROJECT_ROOT
from pipeline.store import Store
from sandbox.evaluate import score_clusters
from sandbox.server import start_sandbox
from sandbox.truth import truth_records
from sandbox.world import generate_world
from spiders.sites import load_sites


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sites", default="all", help='sandbox sites to crawl: "all" or a comma list')
    args = parser.parse_args()

    config = PROJECT_ROOT / "config"
    world = generate_world(seed=args.seed, n_companies=args.companies)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, start_sandbox(world, sites=args.sites) as sandbox:
        os.environ.update(sandbox.env())
        world = sandbox.world  # the listings of the sites served
        sites = {s.name: s for s in load_sites(config, sorted(n for n in sandbox.urls if n != "web"))}
        leads: list[Lead] = []
        pages = 0
        for name in sites:
            started = time.perf_counter()
            outcome = run_crawl(name, Path(tmp) / "crawl", config_dir=config)
            timings[f"crawl {name}"] = time.perf_counter() - started
            pages += outcome.requests
            print(f"crawl {name}: {outcome.requests} requests, {outcome.items} leads, "
                  f"{outcome.requests / timings[f'crawl {name}']:.0f} requests/s including process start")
            leads += [Lead.model_validate(json.loads(line))
                      for line in outcome.items_path.read_text("utf-8").splitlines() if line.strip()]

        started = time.perf_counter()
        clean = [normalize_lead(lead, sites[lead.site].country) for lead in leads]
        timings["normalise"] = time.perf_counter() - started

        rules = DedupRules(site_trust={n: s.trust for n, s in sites.items()})
        started = time.perf_counter()
        result = resolve(clean, [], rules)
        timings["dedup"] = time.perf_counter() - started

        started = time.perf_counter()
        assign_grades(result.companies, [], GradingRules())
        timings["grade"] = time.perf_counter() - started

        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        store.migrate()
        started = time.perf_counter()
        store.load(result.companies)
        timings["load"] = time.perf_counter() - started
        started = time.perf_counter()
        exported = export_new(store, "bench", Path(tmp) / "exports")
        timings["export"] = time.perf_counter() - started
        store.dispose()

    predicted = {(c_lead.site, c_lead.listing): i for i, c in enumerate(result.companies) for c_lead in c.sources}
    scores = score_clusters(truth_records(world), predicted)
    print()
    for stage, seconds in timings.items():
        print(f"{stage:<20} {seconds:8.3f} s")
    print(f"\nleads {len(leads)}, companies {len(result.companies)}, pairs compared {result.pairs_compared}, "
          f"exported rows {exported.rows}")
    print(f"match quality: precision {scores.precision:.4f}, recall {scores.recall:.4f}, F1 {scores.f1:.4f} "
          f"({scores.predicted_companies} predicted vs {scores.true_companies} true companies, "
          f"{scores.correct_pairs}/{scores.true_pairs} true pairs found, "
          f"{scores.predicted_pairs - scores.correct_pairs} wrong pairs)")


if __name__ == "__main__":
    main()
