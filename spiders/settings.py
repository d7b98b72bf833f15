"""Scrapy settings of the project: every default in one place, polite first.

Per-site politeness (delay, concurrency, robots) comes from the site's YAML
and is applied by the spider at start; these are the defaults for anything a
site does not say.
"""

from __future__ import annotations

import os

from pipeline.paths import data_dir

BOT_NAME = "leads"
SPIDER_MODULES = ["spiders.directory", "spiders.website"]
NEWSPIDER_MODULE = "spiders"

# An honest user agent: who we are and where to read about it.
USER_AGENT = (
    "lead-pipeline/0.1 (+https://github.com/lead-pipeline/lead-pipeline; "
    "B2B lead research; respects robots.txt)"
)
ROBOTSTXT_OBEY = True

# Polite defaults; a site file may loosen them for a local sandbox only.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = float(os.environ.get("LEADS_DOWNLOAD_TIMEOUT", "30"))

# Transient failures are retried; 429 and 503 too (directories rate-limit).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Development cache: LEADS_HTTPCACHE=1 replays pages instead of asking again.
HTTPCACHE_ENABLED = os.environ.get("LEADS_HTTPCACHE", "") == "1"
HTTPCACHE_DIR = str(data_dir() / "httpcache")
HTTPCACHE_EXPIRATION_SECS = 24 * 3600

DOWNLOADER_MIDDLEWARES = {
    # replaces Scrapy's RetryMiddleware: same retries, plus Retry-After honoured site-wide
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.PoliteRetryMiddleware": 550,
    # ban pages are checked after decoding and before anything parses them
    "spiders.middlewares.BanDetectionMiddleware": 560,
    "spiders.middlewares.EncodingMiddleware": 570,
}
LEADS_MAX_RETRY_AFTER = 300.0  # never wait longer than this for one Retry-After
LEADS_ERROR_BACKOFF = float(os.environ.get("LEADS_ERROR_BACKOFF", "1.0"))  # s after a 5xx, doubled per retry
LEADS_BAN_PAUSE = float(os.environ.get("LEADS_BAN_PAUSE", "5.0"))  # seconds a site is left alone after a ban page

# Loops and traps end: redirects are followed a few times only.
REDIRECT_MAX_TIMES = 5
URLLENGTH_LIMIT = 2083

ITEM_PIPELINES = {
    "spiders.pipelines.LeadValidationPipeline": 100,
    "spiders.pipelines.LeadFileWriter": 800,  # only when LEADS_ITEMS_FILE is set (python -m spiders.crawl)
}
EXTENSIONS = {
    "spiders.extensions.StatsDump": 500,
    "spiders.extensions.LogLevelGate": 505,
    "spiders.extensions.CrawlGC": 507,
    "spiders.extensions.ResponseLog": 510,  # only when LEADS_RESPONSE_LOG is set
    "spiders.extensions.CrashPoints": 530,  # only when LEADS_CRASH_AT names a crawl point (tests)
}

# Detail pages are read in a second process (spiders/extractworker.py) while this one fetches:
# auto = when the machine has a second core; 0 = in the crawl process. A page the worker spends
# longer than LEADS_EXTRACT_TIMEOUT seconds on is skipped and logged, and the worker restarted.
LEADS_EXTRACT_WORKER = os.environ.get("LEADS_EXTRACT_WORKER", "auto")
LEADS_EXTRACT_TIMEOUT = float(os.environ.get("LEADS_EXTRACT_TIMEOUT", "60"))
# Seconds the spider waits at start for the worker to have loaded (about one); 0: pages are read in
# the crawl process until it has, so the crawl never waits. Tests set it to see every page go there.
LEADS_EXTRACT_WORKER_WAIT = float(os.environ.get("LEADS_EXTRACT_WORKER_WAIT", "0"))

# Collector tuned once the crawl runs (spiders.extensions.CrawlGC); LEADS_CRAWL_GC=0 keeps Python's defaults.
LEADS_CRAWL_GC = os.environ.get("LEADS_CRAWL_GC", "1") != "0"

# Scrapy starts this many asyncio tasks per response to process its output;
# our item pipeline is synchronous and cheap, and the default of 100 cost
# about a third of the spider's CPU (benchmarks/spider_throughput.py).
CONCURRENT_ITEMS = 4

# Scrapy reads the source of a generator callback again whenever its weak cache
# forgets the bound method (every few hundred pages), to warn about `return value`
# in generators; tests/test_spider.py checks our callbacks for that once instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("LEADS_CRAWL_LOG_LEVEL", "INFO")
