"""The extraction worker process: the same fields as in the crawl process, and a page that
crashes or hangs it is skipped, logged and counted while the other pages are still read."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from spiders.extractworker import ExtractionWorker, enabled
from spiders.page import extract_page
from spiders.sites import SiteConfig

SAMPLES = Path(__file__).parent / "samples" / "pages"
PAGES = sorted(SAMPLES.glob("*.html"))
FAULTY = [sys.executable, "-m", "tests.extract_worker_faults"]
PROFILE = "<html><body><div class='profile'><h1>Marker Works {n} Ltd</h1><p>Tel: +44 20 7946 0{n:03d}</p>" \
          "<p>{marker}</p></div></body></html>"


def site() -> SiteConfig:
    return SiteConfig.model_validate({
        "name": "bizfinder", "title": "BizFinder Directory", "base_url": "https://www.bizfinder.example",
        "languages": ["en"], "country": "GB", "search": {"url": "/search?q={keyword}"},
        "listing": {"item": "div.result"}, "detail": {"scope": "div.profile", "fields": {"name": "h1"}},
    })


def page(n: int, marker: str = "") -> str:
    return PROFILE.format(n=n, marker=marker)


class Run:
    """One worker, driven on a fresh event loop; counts what it reports."""

    def __init__(self, **options: Any):
        self.counts: Counter[str] = Counter()
        options.setdefault("logger", logging.getLogger("tests.extractworker"))
        self.worker = ExtractionWorker(count=self._count, **options)

    def _count(self, what: str) -> None:
        self.counts[what] += 1

    async def ready(self, start: bool = True) -> None:
        """Waits for the worker to have loaded, so the pages below go to it, not to the crawl process."""
        if start:
            self.worker.start()
        await self.worker.extract(page(0), "https://www.bizfinder.example/biz/0")  # connects the pipes
        for _ in range(3000):
            if self.worker._ready:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the worker never said it was ready")


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_the_worker_reads_pages_as_the_crawl_process_does() -> None:
    async def main() -> list[Any]:
        job = Run(site=None)
        await job.ready()
        found = await asyncio.gather(*(job.worker.extract(p.read_text("utf-8"), f"https://example.com/{p.stem}")
                                       for p in PAGES))
        await job.worker.close()
        assert job.counts["extract_worker/pages"] == len(PAGES), "every page was read by the worker"
        return found

    found = run(main())
    for path, extraction in zip(PAGES, found, strict=True):
        here = extract_page(path.read_text("utf-8"), f"https://example.com/{path.stem}")
        assert extraction is not None
        assert (extraction.fields, extraction.methods, extraction.country) == \
               (here.fields, here.methods, here.country), path.name


def test_a_site_and_the_cards_fields_reach_the_worker() -> None:
    async def main() -> Any:
        job = Run(site=site())
        await job.ready()
        found = await job.worker.extract(page(5), "https://www.bizfinder.example/biz/5",
                                         base_fields={"business_type": "Manufacturer"})
        await job.worker.close()
        return found

    found = run(main())
    assert found.fields["name"] == "Marker Works 5 Ltd" and found.methods["name"] == "selector"
    assert found.fields["business_type"] == "Manufacturer" and found.methods["business_type"] == "base"
    assert found.country == "GB"


def test_a_page_that_crashes_the_worker_is_skipped_and_the_rest_are_read(
        caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> tuple[list[Any], Run]:
        job = Run(site=site(), command=FAULTY)
        await job.ready()
        pages = [page(1), page(2, "CRASH-WORKER"), page(3), page(4)]
        found = await asyncio.gather(*(job.worker.extract(html, f"https://www.bizfinder.example/biz/{n}")
                                       for n, html in enumerate(pages, 1)))
        # the restarted worker takes pages again
        await job.ready(start=False)
        later = await job.worker.extract(page(9), "https://www.bizfinder.example/biz/9")
        await job.worker.close()
        return [*found, later], job

    with caplog.at_level(logging.WARNING):
        found, job = run(main())
    names = [f.fields["name"] if f else None for f in found]
    assert names == ["Marker Works 1 Ltd", None, "Marker Works 3 Ltd", "Marker Works 4 Ltd", "Marker Works 9 Ltd"]
    assert job.counts["page_errors"] == 1 and job.counts["extract_worker/pages_skipped"] == 1
    assert job.counts["extract_worker/restarts"] == 1
    assert "https://www.bizfinder.example/biz/2" in caplog.text and "exit code 7" in caplog.text


def test_a_page_that_hangs_the_worker_is_skipped_after_the_timeout(caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> tuple[list[Any], Run]:
        job = Run(site=site(), command=FAULTY, timeout=1.0)
        await job.ready()
        found = await asyncio.gather(job.worker.extract(page(1, "HANG-WORKER"), "https://www.bizfinder.example/biz/1"),
                                     job.worker.extract(page(2), "https://www.bizfinder.example/biz/2"))
        await job.worker.close()
        return list(found), job

    with caplog.at_level(logging.WARNING):
        found, job = run(main())
    assert found[0] is None and found[1].fields["name"] == "Marker Works 2 Ltd"
    assert job.counts["extract_worker/pages_skipped"] == 1
    assert "took longer than 1 s" in caplog.text and "biz/1" in caplog.text


def test_after_too_many_crashes_the_crawl_process_reads_every_page() -> None:
    async def main() -> tuple[list[Any], Run]:
        job = Run(site=site(), command=FAULTY, max_restarts=0)
        await job.ready()
        crashed = await job.worker.extract(page(1, "CRASH-WORKER"), "https://www.bizfinder.example/biz/1")
        here_before = job.counts["extract_worker/pages_in_crawl_process"]
        # this page would crash a worker, but there is none now: the crawl process reads it itself
        after = await job.worker.extract(page(2, "CRASH-WORKER"), "https://www.bizfinder.example/biz/2")
        assert job.counts["extract_worker/pages_in_crawl_process"] == here_before + 1
        await job.worker.close()
        return [crashed, after], job

    (crashed, after), job = run(main())
    assert crashed is None
    assert after is not None and after.fields["name"] == "Marker Works 2 Ltd"
    assert job.counts["extract_worker/pages_skipped"] == 1 and not job.counts["extract_worker/restarts"]


def test_an_error_around_a_page_skips_it_and_the_worker_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> tuple[list[Any], Run]:
        job = Run(site=site(), command=FAULTY)
        await job.ready()
        found = [await job.worker.extract(page(n, "RAISE-WORKER" if n == 1 else ""),
                                          f"https://www.bizfinder.example/biz/{n}") for n in (1, 2)]
        await job.worker.close()
        return found, job

    with caplog.at_level(logging.WARNING):
        found, job = run(main())
    assert found[0] is None and found[1].fields["name"] == "Marker Works 2 Ltd"
    assert job.counts["page_errors"] == 1 and not job.counts["extract_worker/restarts"]
    assert "no good" in caplog.text and "biz/1 failed in the worker" in caplog.text


WORKER_OF_A_CRAWL_THAT_DIES = """
import asyncio, os, sys
from spiders.extractworker import ExtractionWorker
async def main():
    worker = ExtractionWorker(None, command={command!r}, wait_ready=120)
    worker.start()
    print(worker._process.pid, flush=True)
    asyncio.ensure_future(worker.extract("<p>HANG-WORKER</p>", "https://example.com/"))
    await asyncio.sleep(0.5)  # the page reaches the worker, which hangs on it
    os._exit(9)               # and the crawl dies (killed, out of memory...)
asyncio.run(main())
"""


def test_a_worker_ends_when_its_crawl_dies_even_while_stuck_on_a_page(tmp_path: Path) -> None:
    import subprocess
    import time

    script = tmp_path / "crawl.py"
    script.write_text(WORKER_OF_A_CRAWL_THAT_DIES.format(command=FAULTY), encoding="utf-8")
    crawl = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                           cwd=Path(__file__).parent.parent, check=False)
    assert crawl.returncode == 9, crawl.stderr
    pid = int(crawl.stdout.split()[0])
    # an orphan worker is a zombie of init at worst, never a running process; it checks twice a second
    deadline = time.monotonic() + 30
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(pid), "the worker outlived its crawl"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def test_what_the_worker_logs_reaches_the_crawl_log_and_prints_do_not_break_it(
        caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> list[Any]:
        job = Run(site=site(), command=FAULTY)
        await job.ready()
        found = [await job.worker.extract(page(1, "LOG-WORKER"), "https://www.bizfinder.example/biz/1"),
                 await job.worker.extract(page(2, "PRINT-WORKER"), "https://www.bizfinder.example/biz/2")]
        await job.worker.close()
        assert job.counts["extract_worker/pages"] == 2 and not job.counts["page_errors"]
        return found

    with caplog.at_level(logging.WARNING, logger="tests.extractworker"):
        found = run(main())
    assert [f.fields["name"] for f in found] == ["Marker Works 1 Ltd", "Marker Works 2 Ltd"]
    assert "odd markup on https://www.bizfinder.example/biz/1" in caplog.text


def test_pages_before_the_worker_is_ready_or_beyond_its_queue_are_read_in_the_crawl_process() -> None:
    async def main() -> Run:
        job = Run(site=site(), queue_limit=2)
        job.worker.start()
        first = await job.worker.extract(page(1), "https://www.bizfinder.example/biz/1")  # still loading
        assert first.fields["name"] == "Marker Works 1 Ltd"
        assert job.counts["extract_worker/pages_in_crawl_process"] == 1
        await job.ready(start=False)
        found = await asyncio.gather(*(job.worker.extract(page(n), f"https://www.bizfinder.example/biz/{n}")
                                       for n in range(10, 16)))
        assert [f.fields["name"] for f in found] == [f"Marker Works {n} Ltd" for n in range(10, 16)]
        await job.worker.close()
        return job

    job = run(main())
    # two of the six went to the worker at once; the others found its queue full
    assert job.counts["extract_worker/pages"] == 2
    assert job.counts["extract_worker/pages_in_crawl_process"] == 1 + 1 + 4


def test_close_ends_the_worker() -> None:
    async def main() -> Any:
        job = Run(site=None)
        await job.ready()
        process = job.worker._process
        await job.worker.close()
        return process

    process = run(main())
    assert process.poll() == 0, "it read the end of its input and exited by itself"


@pytest.mark.parametrize("setting, cores, expected", [
    ("auto", 2, True), ("auto", 1, False), (None, 4, True), ("0", 8, False), ("off", 8, False),
    ("1", 1, True), ("on", 1, True),
])
def test_the_setting(monkeypatch: pytest.MonkeyPatch, setting: Any, cores: int, expected: bool) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert enabled(setting) is expected


@pytest.mark.parametrize("crawls, cores, preset, expected", [
    (6, 2, None, "0"),      # a night of six sites on two cores: the crawls fill the cores already
    (1, 2, None, None),     # one site: its crawl decides (auto)
    (2, 4, None, None),
    (6, 2, "1", None),      # the user's setting is left alone
])
def test_a_night_of_parallel_crawls_runs_them_without_workers(monkeypatch: pytest.MonkeyPatch, crawls: int,
                                                              cores: int, preset: str | None,
                                                              expected: str | None) -> None:
    from flows.crawling import _crawl_env

    monkeypatch.setattr("os.cpu_count", lambda: cores)
    if preset is None:
        monkeypatch.delenv("LEADS_EXTRACT_WORKER", raising=False)
    else:
        monkeypatch.setenv("LEADS_EXTRACT_WORKER", preset)
    env = _crawl_env(crawls)
    assert (env or {}).get("LEADS_EXTRACT_WORKER") == expected
