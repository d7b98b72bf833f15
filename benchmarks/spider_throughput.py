"""Pages per second of the directory spider against a bare spider fetching the same pages.

    .venv/bin/python -m benchmarks.spider_throughput [--site tradeboard] [--companies 3000] [--runs 3]

The full spider crawls one sandbox site (search, pagination, detail pages,
extraction, item validation, JSON Lines feed). The bare spider walks the
same pages the same way (same settings, same per-site politeness, the same
link following) but extracts nothing and yields no items. The ratio of their
rates is the cost of extraction and item handling: what the project adds on
top of fetching. Target: full >= 80% of bare. A third figure, a spider that
only replays the full spider's URL list, shows Scrapy's floor.

The full spider runs twice: as configured (on a machine with a second core it
reads detail pages in a worker process, spiders/extractworker.py) and with
LEADS_EXTRACT_WORKER=0 (everything in the crawl process). Each line also gives
the CPU time of the crawl, its worker included, per page: the worker buys
pages per second with the second core, not with less work.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler

from pipeline.paths import PROJECT_ROOT


def bare_directory_spider() -> type:
    """The directory spider with its extraction taken out: it routes, nothing more."""
    from spiders.directory import DirectorySpider

    class BareDirectorySpider(DirectorySpider):
        name = "bare-directory"

        def parse_detail(self, response: Any, term: Any, card: Any) -> Any:
            return iter(())

    return BareDirectorySpider


class ReplaySpider(scrapy.Spider):
    """Fetches a list of URLs and does nothing with them."""

    name = "replay"

    def __init__(self, urls: str, site: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = Path(urls).read_text(encoding="utf-8").split()
        self.site_name = site

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReplaySpider:
        from spiders.sites import load_site

        spider = super().from_crawler(crawler, *args, **kwargs)
        site = load_site(PROJECT_ROOT / "config" / "sites" / f"{spider.site_name}.yaml")
        for key, value in (("DOWNLOAD_DELAY", site.politeness.delay),
                           ("CONCURRENT_REQUESTS_PER_DOMAIN", site.politeness.concurrency),
                           ("AUTOTHROTTLE_ENABLED", site.politeness.autothrottle)):
            crawler.settings.set(key, value, priority="spider")
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            if not url.endswith("/robots.txt"):
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Any) -> None:
        return None


def run_other(kind: str, urls: Path, site: str, stats: Path) -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("LEADS_STATS_FILE", str(stats))
    settings.set("LOG_LEVEL", "WARNING")
    if kind == "bare":  # it logs its responses as the full spider does, so they differ by extraction only
        settings.set("LEADS_RESPONSE_LOG", str(stats.with_suffix(".urls")))
    process = CrawlerProcess(settings)
    if kind == "bare":
        process.crawl(bare_directory_spider(), site=site)
    else:
        process.crawl(ReplaySpider, urls=str(urls), site=site)
    process.start()


def children_cpu() -> float:
    """CPU seconds of the finished child processes (and the workers they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rate(stats: dict[str, Any]) -> tuple[int, float, float]:
    pages = int(stats.get("response_received_count", 0))
    seconds = float(stats.get("elapsed_time_seconds", 0.0))
    return pages, seconds, pages / seconds if seconds else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="tradeboard")
    parser.add_argument("--companies", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3,
                        help="crawls of each spider, taken in turns; the fastest of each is compared "
                             "(a shared 2-core machine varies by 20%% from one run to the next)")
    parser.add_argument("--other", nargs=4, metavar=("KIND", "URLS", "SITE", "STATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.other:
        run_other(args.other[0], Path(args.other[1]), args.other[2], Path(args.other[3]))
        return

    from sandbox.server import start_sandbox
    from sandbox.world import generate_world

    world = generate_world(n_companies=args.companies)
    results: dict[str, list[dict[str, Any]]] = {"full": [], "in-process": [], "bare": [], "replay": []}
    with tempfile.TemporaryDirectory() as tmp, start_sandbox(world) as sandbox:
        env = {**os.environ, **sandbox.env(), "LEADS_CRAWL_LOG_LEVEL": "WARNING"}
        work = Path(tmp)
        full_stats, urls = work / "full.json", work / "urls.txt"
        for _ in range(max(1, args.runs)):
            for kind, worker in (("full", env.get("LEADS_EXTRACT_WORKER", "auto")), ("in-process", "0")):
                urls.unlink(missing_ok=True)
                before = children_cpu()
                subprocess.run([sys.executable, "-m", "spiders.crawl", "--site", args.site, "--out",
                                str(work / "x.jsonl"), "--stats", str(full_stats), "--response-log", str(urls)],
                               env={**env, "LEADS_EXTRACT_WORKER": worker}, check=True)
                stats = json.loads(full_stats.read_text("utf-8"))
                stats["cpu_seconds"] = children_cpu() - before
                results[kind].append(stats)
            for kind in ("bare", "replay"):
                stats_file = work / f"{kind}.json"
                before = children_cpu()
                subprocess.run([sys.executable, "-m", "benchmarks.spider_throughput", "--other", kind, str(urls),
                                args.site, str(stats_file)], env=env, check=True)
                stats = json.loads(stats_file.read_text("utf-8"))
                stats["cpu_seconds"] = children_cpu() - before
                results[kind].append(stats)
    print(f"site {args.site}, world of {args.companies} companies, best of {max(1, args.runs)} runs each")
    rates = {}
    for kind, runs in results.items():
        pages, seconds, rates[kind] = max((rate(stats) for stats in runs), key=lambda r: r[2])
        items = max(stats.get("item_scraped_count", 0) for stats in runs)
        every = ", ".join(f"{rate(stats)[2]:.0f}" for stats in runs)
        cpu = min(stats["cpu_seconds"] / max(1, rate(stats)[0]) for stats in runs) * 1000
        print(f"{kind:>10} spider: {pages} pages in {seconds:.2f} s = {rates[kind]:.0f} pages/s ({items} leads; "
              f"runs: {every}; CPU {cpu:.2f} ms/page with start-up)")
    print(f"full / bare = {rates['full'] / rates['bare']:.0%}   "
          f"in-process / bare = {rates['in-process'] / rates['bare']:.0%}   "
          f"full / replay = {rates['full'] / rates['replay']:.0%}")


if __name__ == "__main__":
    main()
