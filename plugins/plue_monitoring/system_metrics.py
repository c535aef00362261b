"""The host's numbers through psutil: CPU, memory, disk of the data directory, uptime."""

from __future__ import annotations

import time

import psutil


def prime() -> None:
    """``cpu_percent`` measures since its previous call: call once at startup."""
    psutil.cpu_percent(interval=None)


def system(data_dir) -> dict:
    """Percentages 0-100 (cpu since the previous call, in this process), uptime in seconds
    since the host booted."""
    return {
        "cpu_usage": psutil.cpu_percent(interval=None),
        "memory_usage": psutil.virtual_memory().percent,
        "disk_usage": psutil.disk_usage(str(data_dir)).percent,
        "uptime": int(time.time() - psutil.boot_time()),
    }
