"""Start a site's crawl as a child process and collect what it wrote.

Each crawl gets a fresh Python process (``python -m spiders.crawl``): Scrapy's
Twisted reactor cannot restart inside one process, and a crawl that crashes
must not take the flow with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError, ConfigProblem, CrawlError

EXIT_CONFIG = 2


@dataclass
class CrawlOutcome:
    site: str
    items_path: Path
    stats: dict[str, Any] = field(default_factory=dict)
    log_path: Path | None = None
    skipped: list[str] = field(default_factory=list)

    @property
    def items(self) -> int:
        return int(self.stats.get("item_scraped_count", 0))

    @property
    def requests(self) -> int:
        return int(self.stats.get("downloader/request_count", 0))

    @property
    def failures(self) -> int:
        return int(self.stats.get("leads/request_failures", 0)) + int(self.stats.get("leads/page_errors", 0))

    def responses_by_status(self) -> dict[str, int]:
        prefix = "downloader/response_status_count/"
        return {k.removeprefix(prefix): int(v) for k, v in self.stats.items() if k.startswith(prefix)}


def run_crawl(site: str, work_dir: Path, config_dir: Path | None = None, sets: list[str] | None = None,
              max_pages: int | None = None, recent: list[str] | None = None,
              timeout: float | None = 6 * 3600, extra_args: list[str] | None = None) -> CrawlOutcome:
    """Crawl one site to ``work_dir/<site>.jsonl``; raise CrawlError when the crawl itself failed.

    ``recent`` lists the site's listings seen lately: their detail pages are
    not fetched again, and the ones met in result pages come back in
    ``CrawlOutcome.skipped``.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    items = work_dir / f"{site}.jsonl"
    stats = work_dir / f"{site}.stats.json"
    log = work_dir / f"{site}.log"
    seen_in = work_dir / f"{site}.recent.txt"
    seen_out = work_dir / f"{site}.skipped.txt"
    stats.unlink(missing_ok=True)
    seen_out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "spiders.crawl", "--site", site, "--out", str(items),
           "--stats", str(stats), "--log", str(log), "--seen-out", str(seen_out)]
    if recent:
        seen_in.write_text("".join(f"{k}\n" for k in recent), encoding="utf-8")
        cmd += ["--seen", str(seen_in)]
    if config_dir:
        cmd += ["--config", str(config_dir)]
    if sets:
        cmd += ["--sets", ",".join(sets)]
    if max_pages:
        cmd += ["--max-pages", str(max_pages)]
    cmd += extra_args or []
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise CrawlError(f"{site}: crawl did not finish within {timeout:.0f} s") from exc
    if proc.returncode == EXIT_CONFIG:
        raise ConfigError([ConfigProblem(f"config/sites/{site}.yaml", None, "(site)", proc.stderr.strip())])
    if proc.returncode != 0 or not stats.exists():
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise CrawlError(f"{site}: crawler exited with {proc.returncode}: {tail} (log: {log})")
    skipped = seen_out.read_text("utf-8").split() if seen_out.exists() else []
    outcome = CrawlOutcome(site=site, items_path=items, stats=json.loads(stats.read_text("utf-8")),
                           log_path=log, skipped=skipped)
    if not items.exists():
        items.write_text("", encoding="utf-8")
    return outcome
