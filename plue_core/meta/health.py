"""The server's health, one home for ``GET /health`` and the WebSocket's ``system_alerts``.

``unhealthy`` when the database does not answer; ``degraded`` when it does but a plugin's
``health_metrics`` failed or the data directory's disk has less free space than
``disk_space_low_mb``; else ``healthy``."""

from __future__ import annotations

import logging
import shutil

from plue_core.db import connection

log = logging.getLogger("plue.meta")

MIB = 1024 * 1024


def disk_space(ctx) -> dict:
    """Free bytes on the data directory's file system against the configured threshold."""
    free = shutil.disk_usage(ctx.config.data_path).free
    threshold = ctx.config.disk_space_low_mb * MIB
    return {"free_bytes": free, "threshold_bytes": threshold, "low": free < threshold}


def check(ctx) -> dict:
    """``{"status", "services": {"database", "disk"}, "metrics"}``; never raises. Opens its own
    database connection when none is open (outside a request), so a database that went away
    is seen as such rather than through a connection opened before."""
    metrics, complete = {}, True
    try:
        with connection(ctx.db):
            ctx.db.execute_sql("SELECT 1")
            try:
                for part in ctx.plugins.hook.health_metrics(ctx=ctx):
                    metrics.update(part or {})
            except Exception:  # a plugin's figures failing must not hide the rest
                log.exception("a health_metrics hook failed")
                complete = False
        database = "healthy"
    except Exception:  # the point of a health check is to report, not raise
        database = "unhealthy"
    try:
        disk = "low" if disk_space(ctx)["low"] else "healthy"
    except OSError:  # the data directory is gone or unreadable: as bad as no room
        disk = "low"
    if database != "healthy":
        status = "unhealthy"
    else:
        status = "healthy" if complete and disk == "healthy" else "degraded"
    return {"status": status, "services": {"database": database, "disk": disk}, "metrics": metrics}
