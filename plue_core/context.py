"""The app's context: everything a hook, resource, job or CLI command needs, passed in."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import peewee

if TYPE_CHECKING:
    from plue_core.config import Config
    from plue_core.events import EventBus
    from plue_core.plugins import PluginHost
    from plue_core.routing import Route, Sink
    from plue_core.scheduler import ScheduledJob
    from plue_core.websockets import WebSocketEndpoint


@dataclasses.dataclass
class PlueContext:
    config: Config
    plugins: PluginHost
    db: peewee.Database
    version: str
    events: EventBus = None  # type: ignore[assignment]  (set right after construction)
    routes: list[tuple[str, Route | Sink]] = dataclasses.field(default_factory=list)
    # WebSocket paths the plugins serve (hook register_websocket_endpoints): path -> (plugin,
    # endpoint); the gunicorn worker (plue_hosts.worker) hands their handshakes over.
    websocket_endpoints: dict[str, tuple[str, WebSocketEndpoint]] = dataclasses.field(
        default_factory=dict)
    jobs: dict[str, ScheduledJob] = dataclasses.field(default_factory=dict)
    # Which plugin contributed each job (by id), as ``routes`` keeps it for each route.
    job_plugins: dict[str, str] = dataclasses.field(default_factory=dict)
    models: dict[str, tuple[str, type[peewee.Model]]] = dataclasses.field(default_factory=dict)
    # Services a plugin offers to others (documented names, e.g. "accounts"); see docs/plugins.md.
    services: dict[str, Any] = dataclasses.field(default_factory=dict)
    _closed: bool = False

    @property
    def secret_key(self) -> str:
        return self.config.secret_key

    def section(self, name: str) -> dict:
        return self.config.section(name)

    def describe_plugins(self) -> list[dict]:
        """Each enabled plugin's name, version and hooks, with the routes and job ids it
        contributed (``plue plugins list`` and ``/-/plugins``)."""
        routes: dict[str, list[str]] = {}
        for plugin, route in self.routes:
            routes.setdefault(plugin, []).append(getattr(route, "path", None) or route.prefix)
        jobs: dict[str, list[str]] = {}
        for job_id in self.jobs:
            jobs.setdefault(self.job_plugins[job_id], []).append(job_id)
        return [dict(entry, routes=routes.get(entry["name"], []), jobs=jobs.get(entry["name"], []))
                for entry in self.plugins.describe()]

    def close(self) -> None:
        """Fire ``shutdown`` once and close the database."""
        if self._closed:
            return
        self._closed = True
        self.plugins.hook.shutdown(ctx=self)
        if not self.db.is_closed():
            self.db.close()
