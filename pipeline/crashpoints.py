"""Named places where a test may kill this process, to prove a crash loses nothing.

``LEADS_CRASH_AT=load:companies-written`` makes the process SIGKILL itself
at that point: no cleanup, no ``finally``, exactly as if the machine had
died there. Unset (always, outside tests), a crash point costs one lookup.
"""

from __future__ import annotations

import os
import signal


def crash_point(name: str) -> None:
    if os.environ.get("LEADS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
