"""The host's numbers come from psutil as ``schemas.SYSTEM_METRICS_SHAPE`` renders them: CPU
(since the previous call, in this process), memory, the data directory's disk, uptime."""

from __future__ import annotations

import psutil


def prime() -> None:
    """``cpu_percent`` measures since its previous call: call once at startup."""
    psutil.cpu_percent(interval=None)
