"""``system_alerts``: state changes an operator must hear about, found by comparing the state
now with the state at the previous look (once per second while someone subscribes).

Each event's ``data``: ``{"alert", "severity", "state", "message", "details", "timestamp"}``
(docs/websocket.md). ``state`` is ``firing`` when a condition starts and ``resolved`` when it
ends; the first look only records the state, so a condition that held before anyone listened
is not news (``GET /health`` and ``/api/runners`` tell the present)."""

from __future__ import annotations

from plue_core.db import connection, utcnow
from plue_core.meta import health
from plue_core.timestamps import rfc3339
from plue_runnerhub.envelope import prefixed
from plue_runnerhub.live_feed.changes import visible_runner_ids

SEVERITY = {"healthy": "info", "degraded": "warning", "unhealthy": "critical"}
# Who receives an alert: site admins, the users who see a runner, or an organization's members.
ADMINS = ("admins", None)


def alert(kind: str, severity: str, state: str, message: str, details: dict) -> dict:
    return {"alert": kind, "severity": severity, "state": state, "message": message,
            "details": details, "timestamp": rfc3339(utcnow())}


class SystemAlerts:
    """The ``system_alerts`` source of the change feed (live_feed/feed.py)."""

    kind = "system_alerts"

    def __init__(self, ctx):
        self.ctx = ctx
        self.health: str | None = None
        self.disk_low: bool | None = None
        self.runners: dict[int, bool] | None = None
        self.nodes: dict[int, str] | None = None

    def look(self) -> list[tuple[tuple, dict]]:
        """``(audience, data)`` per transition since the previous look."""
        changes = self._health()  # first, and without the database: it may be what is down
        try:
            with connection(self.ctx.db):
                changes += self._runners() + self._nodes()
        except Exception:
            if self.health != "unhealthy":
                raise
        return changes

    def _health(self) -> list:
        report = health.check(self.ctx)
        try:
            disk = health.disk_space(self.ctx)
        except OSError:
            disk = None
        changes = []
        status, previous = report["status"], self.health
        if previous is not None and status != previous:
            changes.append((ADMINS, alert(
                "health", SEVERITY[status], "resolved" if status == "healthy" else "firing",
                f"health is {status} (was {previous})",
                {"status": status, "previous": previous,
                 "services": report["services"]})))
        self.health = status
        if disk is not None:
            if self.disk_low is not None and disk["low"] != self.disk_low:
                free_mib = disk["free_bytes"] // health.MIB
                limit_mib = disk["threshold_bytes"] // health.MIB
                changes.append((ADMINS, alert(
                    "disk_space", "warning" if disk["low"] else "info",
                    "firing" if disk["low"] else "resolved",
                    f"disk space {'low' if disk['low'] else 'back'}: {free_mib} MiB free on the "
                    f"data directory's disk, threshold {limit_mib} MiB",
                    {"free_bytes": disk["free_bytes"], "threshold_bytes": disk["threshold_bytes"]})))
            self.disk_low = disk["low"]
        return changes

    def _runners(self) -> list:
        service = self.ctx.services["actions"]
        runners = service.all_runners()
        online = {runner.id: service.runner_is_online(runner) for runner in runners}
        changes = []
        if self.runners is not None:
            for runner in runners:
                was = self.runners.get(runner.id)
                if was is None or was == online[runner.id] or runner.disabled:
                    continue
                state = "resolved" if online[runner.id] else "firing"
                changes.append((("runner", runner.id), alert(
                    "runner_offline", "info" if online[runner.id] else "warning", state,
                    f"runner {runner.name!r} is {'back online' if online[runner.id] else 'offline'}",
                    {"runner_id": prefixed("runner", runner.id), "name": runner.name,
                     "status": "online" if online[runner.id] else "offline",
                     "last_online": rfc3339(runner.last_online) if runner.last_online else None})))
        self.runners = online
        return changes

    def _nodes(self) -> list:
        service = self.ctx.services.get("nodes")
        if service is None:  # the nodes plugin is off: no node to watch
            return []
        nodes = service.node_states()
        changes = []
        if self.nodes is not None:
            for node in nodes:
                was = self.nodes.get(node.id)
                if was is None or was == node.status:
                    continue
                offline = node.status != "active"
                changes.append((("org", node.org_id), alert(
                    "node_offline", "warning" if offline else "info",
                    "firing" if offline else "resolved",
                    f"node {node.name!r} is {'offline' if offline else 'back online'} "
                    f"(status {node.status})",
                    {"node_id": str(node.uid), "name": node.name, "status": node.status})))
        self.nodes = {node.id: node.status for node in nodes}
        return changes

    def audience(self, identity, keys: set) -> set:
        """Which of ``keys`` ``identity`` may hear: admins hear everything."""
        if identity.is_admin:
            return set(keys)
        allowed = set()
        if any(kind == "runner" for kind, _ in keys):
            with connection(self.ctx.db):
                visible = visible_runner_ids(self.ctx.services["actions"], identity)
            allowed |= {key for key in keys if key[0] == "runner" and key[1] in visible}
        orgs = {key for key in keys if key[0] == "org"}
        if orgs:
            accounts = self.ctx.services["accounts"]
            with connection(self.ctx.db):
                allowed |= {key for key in orgs if accounts.is_org_member(key[1], identity.user_id)}
        return allowed
