"""The outbox: a webhook event becomes one ``webhook_payload`` row, written in the transaction
of the change that caused it (so a crash between the commit and the send loses nothing),
whatever the number of hooks; the sender fans it out to the hooks (``fan_out``) and sends
the deliveries (``sender``)."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from plue_core import transaction_memo
from plue_core.db import CompiledSelect, utcnow

from plue_webhooks.hooks import AUDIENCE, wanted_by
from plue_webhooks.models import Webhook, WebhookPayload, dump_json


@dataclasses.dataclass(frozen=True)
class WebhookEvent:
    """One webhook event: its Gitea event ``type`` (what hooks select, ``X-Gitea-Event-Type``),
    the JSON ``payload`` a ``gitea`` hook receives (or a function returning it, called only
    when some hook wants the event), and who hears it: the hooks of ``repository_id``, of the
    organization or user ``owner_id``, and every system hook. ``branch`` (a short branch
    name) is matched against the hooks' ``branch_filter``."""

    type: str
    payload: dict | Callable[[], dict]
    repository_id: int | None = None
    owner_id: int | None = None
    branch: str | None = None

    @classmethod
    def of_repository(cls, event_type: str, payload, repository, branch: str | None = None):
        """An event heard by ``repository``'s hooks and those of its owner."""
        return cls(event_type, payload, repository_id=repository.id, owner_id=repository.owner_id,
                   branch=branch)

    def body(self) -> dict:
        return self.payload() if callable(self.payload) else self.payload


def audience(repository_id, owner_id):
    """The active hooks that hear an event of ``repository_id`` owned by ``owner_id`` (0 for
    none: no row has that id), whatever they select."""
    return Webhook.active & (
        (Webhook.owner_kind == "system")
        | ((Webhook.owner_kind == "repository") & (Webhook.repository_id == repository_id))
        | (Webhook.owner_kind.in_(("organization", "user")) & (Webhook.owner_id == owner_id)))


# Compiled once (peewee building a query's SQL costs more than running this one). DISTINCT:
# hooks that choose alike count once, so fifty hooks cost the change one short row or a few.
_CHOICES = CompiledSelect(
    lambda repository_id, owner_id: Webhook.select(Webhook.events, Webhook.branch_filter)
    .where(audience(repository_id, owner_id)).distinct().tuples(), int, int)

COLUMNS = ("event", "body", "repository_id", "owner_id", "branch", "fanned_out", "created_at")


def choices(repository_id: int, owner_id: int) -> list[tuple]:
    """What the hooks of ``audience`` select (events, branch filter), read once per
    transaction: a push's events (push, its runs, jobs and commit statuses) share one
    audience. A hook written in the transaction forgets it (``hooks``)."""
    key = (AUDIENCE, repository_id, owner_id)
    found = transaction_memo.get(key)
    if found is None:
        found = _CHOICES.rows(repository_id, owner_id)
        transaction_memo.put(key, found)
    return found


def heard(event: WebhookEvent) -> bool:
    """Whether some active hook receives ``event`` (its events and branch filter)."""
    return any(wanted_by(events, branch_filter, event.type, event.branch)
               for events, branch_filter in choices(event.repository_id or 0,
                                                     event.owner_id or 0))


def enqueue(service, event: WebhookEvent) -> int:
    """Write ``event`` to the outbox when some hook wants it: one row, its payload rendered
    once; returns 1 if written, else 0. Which hooks get it, and their queues, is the
    sender's business (``fan_out``)."""
    if not heard(event):
        return 0
    db = WebhookPayload._meta.database
    values = (event.type, dump_json(event.body()), event.repository_id, event.owner_id,
              event.branch, False, WebhookPayload.created_at.db_value(utcnow()))
    # Prepared once by hand: peewee building an INSERT costs more than the database's work.
    db.execute_sql(f'INSERT INTO "{WebhookPayload._meta.table_name}" ({", ".join(COLUMNS)}) '
                   f'VALUES ({", ".join([db.param] * len(COLUMNS))})', values)
    return 1


def enqueue_all(service, events: list[Any]) -> int:
    return sum(enqueue(service, event) for event in events)
