"""One change feed per worker process: while at least one connection subscribes, look for
changes once per ``interval`` seconds (in a thread: the queries block) and hand each
subscriber the events its user may see. With nobody subscribed it makes no query at all."""

from __future__ import annotations

import asyncio
import logging

from hosts.websocket.changes import (
    JobChanges,
    RunnerChanges,
    visible_job_repositories,
    visible_runner_ids,
)
from plue_core.db import connection

log = logging.getLogger("plue.websocket")

# The event types this server produces; the seed's other names are known but not produced.
PRODUCED = ("job_status", "runner_status")
KNOWN = PRODUCED + ("system_alerts", "github_webhook", "security_alerts", "performance_metrics")


class ChangeFeed:
    """Subscribers register here; the polling task runs only while there are any."""

    def __init__(self, ctx, interval: float = 1.0):
        self.ctx = ctx
        self.interval = interval
        self.subscribers: set = set()
        self.task: asyncio.Task | None = None
        self.sources: dict | None = None

    def add(self, subscriber) -> None:
        """Start delivering to ``subscriber`` (has ``identity``, ``events``, ``deliver``)."""
        self.subscribers.add(subscriber)
        if self.task is None or self.task.done():
            self.sources = None  # a fresh baseline: changes while nobody listened are not news
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, subscriber) -> None:
        self.subscribers.discard(subscriber)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        while self.subscribers:
            wanted = {kind for subscriber in self.subscribers for kind in subscriber.events}
            try:
                deliveries = await asyncio.to_thread(self._look, wanted, list(self.subscribers))
            except Exception:  # a failed look (database restart) must not end the feed
                log.exception("websocket change feed: looking for changes failed")
                deliveries = []
            for subscriber, message in deliveries:
                subscriber.deliver(message)
            await asyncio.sleep(self.interval)
        self.task = None

    def _look(self, wanted: set[str], subscribers: list) -> list[tuple[object, dict]]:
        service = self.ctx.services["actions"]
        with connection(self.ctx.db):
            if self.sources is None:
                self.sources = {"job_status": JobChanges(), "runner_status": RunnerChanges(service)}
            deliveries = []
            for kind in PRODUCED:
                if kind not in wanted:
                    self.sources[kind] = JobChanges() if kind == "job_status" else RunnerChanges(service)
                    continue
                changes = self.sources[kind].look()
                if changes:
                    deliveries += self._route(service, kind, changes, subscribers)
            return deliveries

    @staticmethod
    def _route(service, kind: str, changes: list, subscribers: list) -> list[tuple[object, dict]]:
        """Each change to each subscriber of ``kind`` allowed to see it (one query per user)."""
        allowed_by_user: dict[int, set[int]] = {}
        deliveries = []
        for subscriber in subscribers:
            if kind not in subscriber.events:
                continue
            user = subscriber.identity.user_id
            if user not in allowed_by_user:
                if kind == "job_status":
                    allowed_by_user[user] = visible_job_repositories(
                        service, subscriber.identity, {owner for owner, _ in changes})
                else:
                    allowed_by_user[user] = visible_runner_ids(service, subscriber.identity)
            for owner, data in changes:
                if owner in allowed_by_user[user]:
                    deliveries.append((subscriber, {"type": kind, "data": data}))
        return deliveries
