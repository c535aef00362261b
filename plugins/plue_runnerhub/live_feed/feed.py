"""One change feed per worker process: while at least one connection subscribes, look for
changes once per ``interval`` seconds (in a thread: the queries block) and hand each
subscriber the events its user may see. With nobody subscribed it makes no query at all.

The events come from **sources** (``SOURCES``): a class made with the context, with a
``kind`` (the event type it produces; several sources may produce one kind), ``look()`` —
``(audience key, event data)`` for each change since its previous look — and
``audience(identity, keys)`` — which of those keys the user may hear. Sources find changes in
the database (or the clock, or the disk), because the worker that makes a change is rarely
the one holding the listener's socket. docs/websocket.md, "Adding an event source"."""

from __future__ import annotations

import asyncio
import logging

from plue_runnerhub.live_feed.alerts import SystemAlerts
from plue_runnerhub.live_feed.changes import JobChanges, RunnerChanges
from plue_runnerhub.live_feed.external_changes import ExternalJobChanges
from plue_runnerhub.live_feed.github_webhooks import GitHubWebhookChanges

log = logging.getLogger("plue.websocket")

SOURCES = (JobChanges, ExternalJobChanges, RunnerChanges, SystemAlerts, GitHubWebhookChanges)
# The event types this server produces; the seed's other names are known but not produced.
PRODUCED = tuple(dict.fromkeys(source.kind for source in SOURCES))
KNOWN = PRODUCED + ("security_alerts", "performance_metrics")


class ChangeFeed:
    """Subscribers register here; the polling task runs only while there are any."""

    def __init__(self, ctx, interval: float = 1.0):
        self.ctx = ctx
        self.interval = interval
        self.subscribers: set = set()
        self.task: asyncio.Task | None = None
        self.sources: list | None = None

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
            deliveries = await asyncio.to_thread(self._look, wanted, list(self.subscribers))
            for subscriber, message in deliveries:
                subscriber.deliver(message)
            await asyncio.sleep(self.interval)
        self.task = None

    def _look(self, wanted: set[str], subscribers: list) -> list[tuple[object, dict]]:
        if self.sources is None:
            self.sources = [source(self.ctx) for source in SOURCES]
        deliveries = []
        for index, source in enumerate(self.sources):
            if source.kind not in wanted:  # nobody listens: start afresh when someone does
                self.sources[index] = type(source)(self.ctx)
                continue
            try:  # a failed look (database restart) must not end the feed or the other sources
                changes = source.look()
                if changes:
                    deliveries += self._route(source, changes, subscribers)
            except Exception:
                log.exception("websocket change feed: %s failed", type(source).__name__)
        return deliveries

    @staticmethod
    def _route(source, changes: list, subscribers: list) -> list[tuple[object, dict]]:
        """Each change to each subscriber of its kind allowed to see it (one query per user)."""
        allowed_by_user: dict[int, set] = {}
        keys = {key for key, _ in changes}
        deliveries = []
        for subscriber in subscribers:
            if source.kind not in subscriber.events:
                continue
            user = subscriber.identity.user_id
            if user not in allowed_by_user:
                allowed_by_user[user] = source.audience(subscriber.identity, keys)
            for key, data in changes:
                if key in allowed_by_user[user]:
                    deliveries.append((subscriber, {"type": source.kind, "data": data}))
        return deliveries
