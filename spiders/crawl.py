"""Run one site's crawl in this process and write its leads as JSON Lines.

    python -m spiders.crawl --site tradeboard --out leads.jsonl --stats stats.json

The nightly flow starts this as a child process for each site: Twisted's
reactor cannot be restarted within one process, so a second crawl in the same
flow (or a retry) needs a fresh process, and a site that crashes its crawler
cannot take the flow down with it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.keywords import load_keywords
from pipeline.paths import config_dir
from spiders.sites import load_site, sites_dir

EXIT_CONFIG = 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl", description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="site name: a file config/sites/NAME.yaml (the directory spider)")
    parser.add_argument("--spider", choices=("directory", "website"), default="directory",
                        help="directory (search a site) or website (enrich companies from their own sites)")
    parser.add_argument("--targets", type=Path, help="website spider: JSON Lines of company_id, name, website")
    parser.add_argument("--out", required=True, type=Path, help="JSON Lines file for the leads")
    parser.add_argument("--stats", type=Path, help="JSON file for the crawl's stats")
    parser.add_argument("--log", type=Path, help="log file (default: stderr)")
    parser.add_argument("--sets", help="comma-separated keyword sets (default: all enabled)")
    parser.add_argument("--keywords", help="comma-separated ad-hoc search terms instead of the sets")
    parser.add_argument("--max-pages", type=int, help="result pages per search term")
    parser.add_argument("--jobdir", type=Path, help="Scrapy's JOBDIR: resume after a graceful stop (Ctrl-C once)")
    parser.add_argument("--append", action="store_true", help="add to --out instead of replacing it")
    parser.add_argument("--done", type=Path, help="listing paths already read by this crawl: not fetched again")
    parser.add_argument("--seen", type=Path, help="listing paths seen recently: their detail pages are skipped")
    parser.add_argument("--seen-out", type=Path, help="write the listing paths skipped as recent here")
    parser.add_argument("--max-details", type=int, help="fetch at most this many detail pages")
    parser.add_argument("--cards", action="store_true", help="also emit what result cards show, as leads")
    parser.add_argument("--response-log", type=Path, help="write every response URL here (benchmarks)")
    parser.add_argument("--crawl-id", help="with LEADS_REDIS_URL: join the shared crawl of this id")
    parser.add_argument("--idle-seconds", type=float, default=float(os.environ.get("LEADS_REDIS_IDLE_SECONDS", 10)),
                        help="with Redis: stop after the shared queue has been idle this long")
    parser.add_argument("--config", type=Path, help="config folder (default: ./config)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = args.config or config_dir()
    if args.spider == "website":
        if not args.targets:
            print("the website spider needs --targets FILE.jsonl", file=sys.stderr)
            return EXIT_CONFIG
    elif not args.site:
        print("which site? --site NAME (a file in config/sites/)", file=sys.stderr)
        return EXIT_CONFIG
    else:
        try:  # fail before starting Twisted, with the marketer-facing message
            load_site(sites_dir(folder) / f"{args.site}.yaml")
            if not args.keywords:
                load_keywords(folder / "keywords.yaml")
        except ConfigError as exc:
            print(f"configuration error:\n{exc}", file=sys.stderr)
            return EXIT_CONFIG

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from spiders.directory import DirectorySpider
    from spiders.distributed import configure, redis_url

    settings = get_project_settings()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    settings.set("LEADS_ITEMS_FILE", str(args.out))
    settings.set("LEADS_ITEMS_APPEND", args.append)
    if args.stats:
        settings.set("LEADS_STATS_FILE", str(args.stats))
    if args.log:
        args.log.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(args.log))
    if args.jobdir:
        settings.set("JOBDIR", str(args.jobdir))
    if args.response_log:
        settings.set("LEADS_RESPONSE_LOG", str(args.response_log))
    url = redis_url()
    if args.spider == "website":
        from spiders.website import WebsiteSpider

        process = CrawlerProcess(settings)
        process.crawl(WebsiteSpider, targets=str(args.targets))
        process.start()
        return 0
    if url:
        crawl_id = args.crawl_id or time.strftime("%Y%m%d")
        configure(settings, url, crawl_id, args.site, args.idle_seconds)
    process = CrawlerProcess(settings)
    process.crawl(DirectorySpider, site=args.site, sets=args.sets, keywords=args.keywords,
                  max_pages=args.max_pages, config=str(folder),
                  seen=str(args.seen) if args.seen else None,
                  seen_out=str(args.seen_out) if args.seen_out else None,
                  max_details=args.max_details, cards=args.cards, done=str(args.done) if args.done else None)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
