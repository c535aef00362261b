"""The host's numbers as ``schemas.SYSTEM_METRICS_SHAPE`` renders them: CPU (since the previous
reading, in this process), memory, the data directory's disk, uptime.

psutil is imported with a process's first reading, not with the app: the gunicorn master, the
background child and a worker that is never asked hold none of it (docs/serving.md, Memory).
"""

from __future__ import annotations

import threading
import time

# ``cpu_percent`` measures since its previous call in this process; the first call has nothing
# to compare with, so it samples over this long instead of answering 0.
FIRST_SAMPLE_SECONDS = 0.1

_primed = False
_prime_lock = threading.Lock()


def _psutil():
    import psutil

    return psutil


def cpu_usage() -> float:
    """Percent of the host's CPU in use since this process's previous reading."""
    global _primed
    psutil = _psutil()
    if not _primed:
        with _prime_lock:
            if not _primed:
                _primed = True
                return psutil.cpu_percent(interval=FIRST_SAMPLE_SECONDS)
    return psutil.cpu_percent(interval=None)


def memory_usage() -> float:
    return _psutil().virtual_memory().percent


def disk_usage(path) -> float:
    return _psutil().disk_usage(str(path)).percent


def uptime() -> int:
    """Seconds since the host booted."""
    return int(time.time() - _psutil().boot_time())
