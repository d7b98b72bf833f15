"""Start a site's crawl as a child process and collect what it wrote.

Each crawl gets a fresh Python process (``python -m spiders.crawl``): Scrapy's
Twisted reactor cannot restart inside one process, and a crawl that crashes
must not take the flow with it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError, ConfigProblem, CrawlError
from pipeline.urls import listing_key
from spiders.distributed import redis_url

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


def _crawl_env(processes: int) -> dict[str, str] | None:
    """The crawl's environment: no extraction worker when the crawls already fill every core.

    A crawl reads its detail pages in a second process when the machine has a
    core to spare (spiders/extractworker.py). When as many crawls run at once
    as there are cores, the cores are busy already and a worker per crawl
    would only add processes; ``LEADS_EXTRACT_WORKER``, when set, decides.
    """
    if "LEADS_EXTRACT_WORKER" in os.environ or processes < (os.cpu_count() or 1):
        return None
    return {**os.environ, "LEADS_EXTRACT_WORKER": "0"}


def run_crawl(site: str, work_dir: Path, config_dir: Path | None = None, sets: list[str] | None = None,
              max_pages: int | None = None, recent: list[str] | None = None,
              timeout: float | None = 6 * 3600, extra_args: list[str] | None = None,
              crawl_id: str | None = None, workers: int | None = None,
              jobdir: Path | None = None, crawls_at_once: int = 1) -> CrawlOutcome:
    """Crawl one site to ``work_dir/<site>.jsonl``; raise CrawlError when the crawl itself failed.

    ``recent`` lists the site's listings seen lately: their detail pages are
    not fetched again, and the ones met in result pages come back in
    ``CrawlOutcome.skipped``. With ``LEADS_REDIS_URL`` set, ``workers``
    processes (``LEADS_CRAWLERS``, default 2) share the site through Redis
    under ``crawl_id``; crawlers on other machines may join with the same id.

    With ``jobdir`` (one process, no Redis), the crawl keeps its state and its
    leads there: a crawl that was stopped or killed resumes where it was, and
    the folder is removed once the crawl has finished.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    items = work_dir / f"{site}.jsonl"
    seen_in = work_dir / f"{site}.recent.txt"
    if recent:
        seen_in.write_text("".join(f"{k}\n" for k in recent), encoding="utf-8")
    url = redis_url()
    count = max(1, workers or int(os.environ.get("LEADS_CRAWLERS", "2"))) if url else 1
    resumable = jobdir is not None and not url
    crawl_id = crawl_id or f"{site}-{os.getpid()}"
    runs = []
    for k in range(count):
        tag = site if count == 1 else f"{site}.{k}"
        out = jobdir / "items.jsonl" if resumable and jobdir else work_dir / f"{tag}.jsonl"
        files = {"out": out, "stats": work_dir / f"{tag}.stats.json",
                 "log": work_dir / f"{tag}.log", "seen_out": work_dir / f"{tag}.skipped.txt"}
        for path in (files["stats"], files["seen_out"]):
            path.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "spiders.crawl", "--site", site, "--out", str(files["out"]),
               "--stats", str(files["stats"]), "--log", str(files["log"]), "--seen-out", str(files["seen_out"])]
        if recent:
            cmd += ["--seen", str(seen_in)]
        if config_dir:
            cmd += ["--config", str(config_dir)]
        if sets:
            cmd += ["--sets", ",".join(sets)]
        if max_pages:
            cmd += ["--max-pages", str(max_pages)]
        if url:
            cmd += ["--crawl-id", crawl_id]
        if resumable and jobdir:
            jobdir.mkdir(parents=True, exist_ok=True)
            done = sorted({listing_key(json.loads(line)["url"]) for line in _lines(jobdir / "items.jsonl")})
            (jobdir / "done.txt").write_text("".join(f"{k}\n" for k in done), encoding="utf-8")
            cmd += ["--append", "--done", str(jobdir / "done.txt")]
        cmd += extra_args or []
        runs.append((files, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                             env=_crawl_env(count * crawls_at_once))))
    outcomes = []
    for files, proc in runs:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            for _, other in runs:
                other.kill()
            raise CrawlError(f"{site}: crawl did not finish within {timeout:.0f} s") from exc
        if proc.returncode == EXIT_CONFIG:
            raise ConfigError([ConfigProblem(f"config/sites/{site}.yaml", None, "(site)", stderr.strip())])
        if proc.returncode != 0 or not files["stats"].exists():
            tail = (stderr.strip().splitlines() or ["no output"])[-1]
            raise CrawlError(f"{site}: crawler exited with {proc.returncode}: {tail} (log: {files['log']})")
        skipped = files["seen_out"].read_text("utf-8").split() if files["seen_out"].exists() else []
        outcomes.append(CrawlOutcome(site=site, items_path=files["out"],
                                     stats=json.loads(files["stats"].read_text("utf-8")), log_path=files["log"],
                                     skipped=skipped))
    if url:
        from spiders.distributed import collect

        collected = collect(url, crawl_id, site)
        items.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in collected), encoding="utf-8")
    elif resumable and jobdir:
        # finished: the leads of every attempt, each listing once, then the state goes
        leads: dict[str, str] = {}
        for line in _lines(jobdir / "items.jsonl"):
            leads[json.loads(line).get("url", line)] = line
        items.write_text("".join(f"{line}\n" for line in leads.values()), encoding="utf-8")
        outcomes = [CrawlOutcome(site=o.site, items_path=items, stats={**o.stats, "item_scraped_count": len(leads)},
                                 log_path=o.log_path, skipped=o.skipped) for o in outcomes]
        shutil.rmtree(jobdir, ignore_errors=True)
    elif not items.exists():
        items.write_text("", encoding="utf-8")
    return merge_outcomes(site, items, outcomes)


def _lines(path: Path) -> list[str]:
    """Complete JSON lines of a file a killed crawler may have been writing (a torn last line is dropped)."""
    if not path.exists():
        return []
    good = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        try:
            json.loads(line)
        except json.JSONDecodeError:
            continue
        good.append(line)
    return good


def merge_outcomes(site: str, items: Path, outcomes: list[CrawlOutcome]) -> CrawlOutcome:
    """One outcome for a site crawled by several processes: counts summed, the longest time kept."""
    if len(outcomes) == 1 and outcomes[0].items_path == items:
        return outcomes[0]
    stats: dict[str, Any] = {}
    for outcome in outcomes:
        for key, value in outcome.stats.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                stats[key] = max(stats.get(key, 0), value) if key == "elapsed_time_seconds" \
                    else stats.get(key, 0) + value
            else:
                stats.setdefault(key, value)
    stats["item_scraped_count"] = sum(1 for line in items.read_text("utf-8").splitlines() if line.strip())
    stats["leads/crawler_processes"] = len(outcomes)
    skipped = list(dict.fromkeys(k for o in outcomes for k in o.skipped))
    return CrawlOutcome(site=site, items_path=items, stats=stats, log_path=outcomes[0].log_path, skipped=skipped)


def run_enrichment(targets: list[dict[str, Any]], work_dir: Path, timeout: float = 3 * 3600) -> CrawlOutcome:
    """Visit the companies' own websites (one crawler process); leads in ``work_dir/website.jsonl``."""
    work_dir.mkdir(parents=True, exist_ok=True)
    targets_file = work_dir / "website.targets.jsonl"
    targets_file.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in targets), encoding="utf-8")
    files = {"out": work_dir / "website.jsonl", "stats": work_dir / "website.stats.json",
             "log": work_dir / "website.log"}
    cmd = [sys.executable, "-m", "spiders.crawl", "--spider", "website", "--targets", str(targets_file),
           "--out", str(files["out"]), "--stats", str(files["stats"]), "--log", str(files["log"])]
    env = dict(os.environ)
    proxy = os.environ.get("LEADS_WEB_PROXY")
    if proxy:  # every request, robots.txt included, goes through it: nothing is resolved or sent elsewhere
        env.update({"http_proxy": proxy, "HTTP_PROXY": proxy, "https_proxy": proxy, "HTTPS_PROXY": proxy})
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired as exc:
        raise CrawlError(f"website enrichment did not finish within {timeout:.0f} s") from exc
    if proc.returncode != 0 or not files["stats"].exists():
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise CrawlError(f"website enrichment exited with {proc.returncode}: {tail} (log: {files['log']})")
    if not files["out"].exists():
        files["out"].write_text("", encoding="utf-8")
    return CrawlOutcome(site="website", items_path=files["out"],
                        stats=json.loads(files["stats"].read_text("utf-8")), log_path=files["log"])
