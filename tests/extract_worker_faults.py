"""An extraction worker that misbehaves on cue, for tests/test_extractworker.py.

    python -m tests.extract_worker_faults

The real worker (spiders.extractworker.main), except that a page containing
one of these markers makes it: CRASH-WORKER exit at once (as a crash in a
parser would), HANG-WORKER never answer, RAISE-WORKER raise (an error around
the page, outside extract_page's own guard), LOG-WORKER log a warning first,
PRINT-WORKER print to stdout first (which must not reach the frames).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from spiders import extractworker

real_extract_page = extractworker.extract_page


def faulty_extract_page(html: str, url: str | None = None, **kwargs: Any) -> Any:
    if "CRASH-WORKER" in html:
        os._exit(7)
    if "HANG-WORKER" in html:
        time.sleep(3600)
    if "RAISE-WORKER" in html:
        raise RuntimeError("no good")
    if "LOG-WORKER" in html:
        logging.getLogger("spiders.page").warning("odd markup on %s", url)
    if "PRINT-WORKER" in html:
        print("a stray print from a library")
    return real_extract_page(html, url, **kwargs)


if __name__ == "__main__":
    extractworker.extract_page = faulty_extract_page
    extractworker.main()
