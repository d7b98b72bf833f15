"""Two processes loading overlapping batches at once: no duplicate company, no lost source."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pipeline.paths import PROJECT_ROOT
from pipeline.store import Store


def test_two_processes_loading_at_once(db_url: str, tmp_path: Path) -> None:
    Store(db_url).migrate()
    flag = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-m", "tests.load_worker", db_url, site, "60", str(flag)],
                                cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True) for site in ("a", "b")]
    time.sleep(1.5)  # let both import and wait at the start line
    flag.touch()
    for worker in workers:
        _, stderr = worker.communicate(timeout=180)
        assert worker.returncode == 0, stderr[-2000:]
    store = Store(db_url)
    assert store.count_companies() == 60, "each company once, whichever process came first"
    assert store.count_sources() == 120, "both sites' listings kept"
    sites = {tuple(c.sites) for c in store.get_companies(range(1, 500))}
    assert sites == {("a", "b")}, "every company has both sources: no update was lost"
    store.dispose()
