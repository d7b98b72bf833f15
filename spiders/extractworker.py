"""Page extraction in a second process, so the crawl's event loop keeps fetching meanwhile.

A crawl process is one event loop: while it parses and reads a detail page,
no response is received and no request is sent. On a machine with a spare
core the spider hands its detail pages to a worker process instead
(``python -m spiders.extractworker``) and goes on; the worker sends back the
same ``PageExtraction`` that ``extract_page`` returns in the crawl process.

    worker = start_for(spider, crawler, site)   # in from_crawler: it loads while the crawl starts;
                                                # None when LEADS_EXTRACT_WORKER says no
    extraction = await worker.extract(html, url, base_fields=card)   # None: the page was skipped
    # closed with the spider (spider_closed)

The crawl never waits for the worker to be there:

- until the worker has loaded (about a second), pages are read in the crawl
  process, and so is any page that finds ``queue_limit`` pages already
  waiting for the worker (the crawl process then takes its share of a
  backlog instead of holding responses in memory);
- a page the worker dies on (a crash in a parser) or spends more than
  ``timeout`` seconds on is logged, counted and skipped: the worker is
  restarted, the pages queued behind it are read in the crawl process, and
  after ``max_restarts`` the crawl reads every page itself;
- what extraction logs in the worker is logged again by the crawl's logger.

Frames both ways are a 4-byte big-endian length and a pickle. The first frame
to the worker is the site (or None), the first frame back says it is ready;
then each request ``(key, html, url, country, base_fields)`` is answered with
``(key, extraction, log_records)``. The worker's stdout carries the frames;
anything extraction prints goes to its stderr.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from scrapy import signals

from pipeline.paths import PROJECT_ROOT
from spiders.page import PageExtraction, extract_page

_HEADER = struct.Struct("!I")
_READY = "ready"

log = logging.getLogger(__name__)


def enabled(setting: Any) -> bool:
    """``LEADS_EXTRACT_WORKER``: on, off, or auto (on when the machine has a second core)."""
    value = str(setting if setting is not None else "auto").strip().lower()
    if value in ("auto", ""):
        return (os.cpu_count() or 1) >= 2
    return value in ("1", "true", "yes", "on")


def start_for(spider: Any, crawler: Any, site: Any = None) -> ExtractionWorker | None:
    """A started worker for a spider, closed with it; None when ``LEADS_EXTRACT_WORKER`` says no.

    Called from ``from_crawler``: the worker loads while the crawl starts.
    """
    settings = crawler.settings
    # the crawl waits for the worker on asyncio's loop: Scrapy's default reactor, unless set otherwise
    reactor = str(settings.get("TWISTED_REACTOR") or "asyncio")
    if not enabled(settings.get("LEADS_EXTRACT_WORKER")) or "asyncio" not in reactor.lower():
        return None
    worker = ExtractionWorker(site, logger=spider.logger, count=spider.count_stat,
                              timeout=settings.getfloat("LEADS_EXTRACT_TIMEOUT", 60.0),
                              wait_ready=settings.getfloat("LEADS_EXTRACT_WORKER_WAIT", 0.0))
    try:
        worker.start()
    except OSError:
        spider.logger.warning("no extraction worker; this crawl reads its pages itself", exc_info=True)
        return None
    crawler.signals.connect(worker.close, signal=signals.spider_closed)
    return worker


class ExtractionWorker:
    """A worker process reading detail pages for one spider; see the module docstring."""

    def __init__(self, site: Any = None, *, logger: logging.Logger | logging.LoggerAdapter[Any] | None = None,
                 count: Callable[[str], None] | None = None, timeout: float = 60.0, queue_limit: int = 16,
                 max_restarts: int = 3, grace: float = 5.0, wait_ready: float = 0.0,
                 command: list[str] | None = None):
        self.site = site
        self.logger = logger or log
        self.count = count  # adds one to a crawl stat, "leads/" + what
        self.timeout = timeout
        self.queue_limit = queue_limit
        self.restarts_left = max_restarts
        self.grace = grace
        self.wait_ready = wait_ready  # start() waits this long for the worker to have loaded
        self.command = command or [sys.executable, "-m", "spiders.extractworker"]
        self._process: subprocess.Popen[bytes] | None = None
        self._writer: asyncio.WriteTransport | None = None
        self._reader: asyncio.ReadTransport | None = None
        self._connecting: asyncio.Future[None] | None = None
        self._ready = False
        self._closing = False
        self._next_key = 0
        # key -> (future, request), in the order sent, which is the order the worker reads them;
        # the oldest is the page the worker is on, since _head_since
        self._pending: dict[int, tuple[asyncio.Future[PageExtraction | None], tuple[Any, ...]]] = {}
        self._head_since = 0.0
        self._watchdog: asyncio.TimerHandle | None = None
        self._timed_out: int | None = None  # the key of the page the watchdog killed the worker over

    # --- the crawl's side ---------------------------------------------------------------------

    def start(self, wait: bool = True) -> None:
        """Start the worker process and hand it the site; returns at once unless ``wait_ready``.

        A restart (``wait`` False) never waits: the event loop is running by then.
        """
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")) if p)}
        # Its own session: a Ctrl-C meant for the crawl (a graceful stop) must not kill the worker
        # while pages are in flight; it ends when the crawl closes its input, or dies.
        self._process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         env=env, start_new_session=True)
        self._ready = False
        self._connecting = None
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(_frame(pickle.dumps(self.site, protocol=pickle.HIGHEST_PROTOCOL)))
            self._process.stdin.flush()
        except OSError:  # it died at once: no worker left behind
            self._process.kill()
            self._process.wait()
            self._process = None
            raise
        if wait and self.wait_ready > 0:
            self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        """Read the worker's first frame here, before the event loop takes its output over."""
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        deadline = time.monotonic() + self.wait_ready
        expected = _frame(pickle.dumps(_READY))
        got = b""
        while len(got) < len(expected):
            readable, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(fd, len(expected) - len(got)) if readable else b""
            if not chunk:
                if readable:
                    self.logger.warning("the extraction worker exited at start")
                else:
                    self.logger.warning("the extraction worker was not ready within %.0f s; "
                                        "pages are read in the crawl process until it is", self.wait_ready)
                if got:  # half a frame: nothing after it can be trusted
                    self._process.kill()
                return
            got += chunk
        self._ready = got == expected
        if not self._ready:
            self.logger.error("the extraction worker said something unreadable at start; stopped")
            self._process.kill()

    async def extract(self, html: str, url: str | None = None, country: str | None = None,
                      base_fields: dict[str, Any] | None = None) -> PageExtraction | None:
        """What ``extract_page`` gives for the page, or None when the page was skipped (see above)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on an asyncio loop (another Twisted reactor): nothing to wait with
            return self._here(html, url, country, base_fields)
        if self._process is not None and self._connecting is None:
            self._connecting = asyncio.ensure_future(self._connect())
        if self._connecting is not None and not self._connecting.done():
            await asyncio.shield(self._connecting)
        if not self._ready or self._writer is None or self._writer.is_closing() \
                or len(self._pending) >= self.queue_limit:
            return self._here(html, url, country, base_fields)
        self._next_key += 1
        key = self._next_key
        request = (key, html, url, country, base_fields)
        future: asyncio.Future[PageExtraction | None] = loop.create_future()
        if not self._pending:
            self._head_since = time.monotonic()
        self._pending[key] = (future, request)
        self._writer.write(_frame(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)))
        self._arm_watchdog()
        return await future

    async def close(self) -> None:
        """End the worker: its input closes and it exits; killed if it has not within ``grace`` seconds.

        A coroutine because the pipe closes on the event loop's next turn: waiting for the
        worker without letting the loop run would wait for the kill.
        """
        self._closing = True
        if self._watchdog is not None:
            self._watchdog.cancel()
        process, self._process = self._process, None
        # the transports close the pipes they own on the loop's next turn; the others close here
        if self._writer is not None:
            self._writer.close()
        elif process is not None and process.stdin is not None:
            process.stdin.close()
        for future, request in self._pending.values():
            if not future.done():
                future.set_result(self._here(*request[1:]))
        self._pending.clear()
        if process is None:
            return
        deadline = time.monotonic() + self.grace
        while process.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if process.poll() is None:
            self.logger.warning("extraction worker did not stop; killed")
            process.kill()
            process.wait()
        if self._reader is not None:
            self._reader.close()
        elif process.stdout is not None:
            process.stdout.close()

    def _here(self, html: str, url: str | None, country: str | None,
              base_fields: dict[str, Any] | None) -> PageExtraction:
        self._count("extract_worker/pages_in_crawl_process")
        return extract_page(html, url, country=country, site=self.site, base_fields=base_fields)

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        try:
            reader, _ = await loop.connect_read_pipe(
                lambda: _FrameReader(self._received, self._garbled, self._lost), process.stdout)
            self._reader = reader  # type: ignore[assignment]
            writer, _ = await loop.connect_write_pipe(asyncio.Protocol, process.stdin)
        except (OSError, ValueError, RuntimeError):
            self.logger.warning("cannot talk to the extraction worker; the crawl reads its pages itself",
                                exc_info=True)
            self.restarts_left = 0
            process.kill()
            return
        if process is not self._process:  # it died (and was replaced) while the pipes were connected
            writer.close()
            return
        self._writer = writer  # type: ignore[assignment]

    def _received(self, message: Any) -> None:
        if message == _READY:
            self._ready = True
            return
        try:
            key, extraction, records = message
        except (TypeError, ValueError) as exc:
            self._garbled(exc)
            return
        entry = self._pending.pop(key, None)
        self._head_since = time.monotonic()
        if entry is None:  # already read here (the worker was given up on meanwhile)
            return
        future, request = entry
        if not future.done():
            future.set_result(extraction)
        for level, text in records:
            self.logger.log(level, "%s", text)
        if extraction is None:  # the worker failed on this page without dying (see serve)
            self.logger.error("page skipped: extracting %s failed in the worker", request[2])
            self._count("page_errors")
            self._count("extract_worker/pages_skipped")
        else:
            self._count("extract_worker/pages")

    def _garbled(self, error: Exception) -> None:
        """The worker wrote something that is not a frame: it cannot be trusted with more pages."""
        self.logger.error("extraction worker sent something unreadable (%s); restarting it", error)
        if self._process is not None:
            self._process.kill()  # its output ends and _lost() takes over

    def _lost(self) -> None:
        """The worker's output ended: it exited, crashed or was killed by the watchdog."""
        if self._closing:
            return
        process, self._process = self._process, None
        timed_out, self._timed_out = self._timed_out, None
        if self._writer is not None:
            self._writer.close()  # the dead worker's input
            self._writer = None
        code = _exit_code(process)
        self._ready = False
        self._reader = None  # closed itself
        pending = list(self._pending.items())
        self._pending.clear()
        try:
            self._after_loss(pending, timed_out, code)
        finally:  # whatever fails above, no page is left waiting for a worker that is gone
            for _, (future, request) in pending:
                if not future.done():
                    future.set_result(self._here(*request[1:]))

    def _after_loss(self, pending: list[tuple[int, Any]], timed_out: int | None, code: int | None) -> None:
        # The worker reads in order: the oldest page is the one it was on, unless the watchdog timed
        # out a page whose answer came in just before the kill.
        culprit = pending[0] if pending and (timed_out is None or pending[0][0] == timed_out) else None
        if culprit is not None:
            future, request = culprit[1]
            what = f"took longer than {self.timeout:.0f} s" if timed_out is not None \
                else f"ended it (exit code {code})"
            self.logger.error("page skipped: extracting %s %s", request[2], what)
            self._count("page_errors")
            self._count("extract_worker/pages_skipped")
            if not future.done():
                future.set_result(None)
        elif timed_out is None:
            self.logger.warning("extraction worker exited (code %s) with no page in hand", code)
        if self.restarts_left > 0:
            self.restarts_left -= 1
            self._count("extract_worker/restarts")
            try:
                self.start(wait=False)
            except OSError:
                self.logger.warning("cannot restart the extraction worker; the crawl reads its pages itself",
                                    exc_info=True)
                self.restarts_left = 0
        else:
            self.logger.warning("extraction worker stopped too often: this crawl reads its pages itself")
        # the pages queued behind the skipped one are read in the crawl process (by _lost's finally)

    def _arm_watchdog(self) -> None:
        if self._watchdog is None:
            self._watchdog = asyncio.get_running_loop().call_later(min(self.timeout, 5.0), self._watch)

    def _watch(self) -> None:
        self._watchdog = None
        if not self._pending or self._process is None:
            return
        if time.monotonic() - self._head_since > self.timeout:
            self._timed_out = next(iter(self._pending))
            self._process.kill()  # the pipe closes and _lost() skips the page and restarts
            return
        self._arm_watchdog()

    def _count(self, what: str) -> None:
        if self.count is not None:
            self.count(what)


def _exit_code(process: subprocess.Popen[bytes] | None) -> int | None:
    if process is None:
        return None
    try:
        return process.wait(timeout=0.5)  # its output has ended: it is exiting, or stuck
    except subprocess.TimeoutExpired:  # its output closed but it lives on: end it
        process.kill()
        return process.wait()


def _frame(payload: bytes) -> bytes:
    return _HEADER.pack(len(payload)) + payload


class _FrameReader(asyncio.Protocol):
    """Splits the worker's output into frames and hands each unpickled message on."""

    def __init__(self, received: Callable[[Any], None], garbled: Callable[[Exception], None],
                 lost: Callable[[], None]):
        self.received = received
        self.garbled = garbled
        self.lost = lost
        self.broken = False
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        if self.broken:
            return
        self.buffer += data
        while len(self.buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.buffer)
            end = _HEADER.size + size
            if len(self.buffer) < end:
                return
            try:
                message = pickle.loads(memoryview(self.buffer)[_HEADER.size:end])
                del self.buffer[:end]
                self.received(message)
            except Exception as exc:  # noqa: BLE001 - whatever went wrong, the stream is not trusted
                self.broken = True
                self.garbled(exc)
                return

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost()


# --- the worker's side --------------------------------------------------------------------------


class _Collect(logging.Handler):
    """Keeps what extraction logs while reading one page, to send with its result."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append((record.levelno, text))

    def take(self) -> list[tuple[int, str]]:
        records, self.records = self.records, []
        return records


def _read_exactly(stream: Any, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve(stdin: Any, stdout: Any) -> None:
    """The worker's loop: read requests until the input ends, answer each in order."""
    from spiders.page import warm_up

    header = _read_exactly(stdin, _HEADER.size)
    if header is None:
        return
    payload = _read_exactly(stdin, _HEADER.unpack(header)[0])
    if payload is None:
        return
    site = pickle.loads(payload)
    warm_up()
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    stdout.write(_frame(pickle.dumps(_READY)))
    stdout.flush()
    while (header := _read_exactly(stdin, _HEADER.size)) is not None:
        payload = _read_exactly(stdin, _HEADER.unpack(header)[0])
        if payload is None:
            return
        key, html, url, country, base_fields = pickle.loads(payload)
        try:
            extraction = extract_page(html, url, site=site, country=country, base_fields=base_fields)
            answer = pickle.dumps((key, extraction, collect.take()), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a failure around the page, not a crash: this page is skipped, the worker goes on
            log.exception("reading %s", url)
            answer = pickle.dumps((key, None, collect.take()), protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(_frame(answer))
        stdout.flush()


def _exit_with_parent() -> None:
    """End this worker when the crawl that started it is gone.

    A worker reading its input notices at once (the pipe ends), but one stuck on a
    page would live on, holding the crawl's stderr open for whoever waits on it.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main() -> None:
    _exit_with_parent()
    # Frames go out on the original stdout; fd 1 is pointed at stderr so a stray print cannot
    # corrupt them.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    logging.getLogger().setLevel(logging.WARNING)
    try:
        serve(os.fdopen(0, "rb"), out)
    except BrokenPipeError:
        pass  # the crawl went away


if __name__ == "__main__":
    main()
