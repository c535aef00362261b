"""Hooks the webhooks plugin adds (through ``add_hookspecs``): how a plugin turns its own
event-bus events into webhook events. The built-in events (push, issues, pull requests...)
are translated through these same hooks by the webhooks plugin itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plue_core.context import PlueContext
    from plue_core.events import Event
    from plue_webhooks.outbox import WebhookEvent

hookspec = pluggy.HookspecMarker("plue")


@hookspec
def webhook_event_types() -> list[str]:
    """Return the webhook event types your plugin sends (``"deployment"``), so hooks may
    choose them in their ``events``. Called when a hook is created or edited."""


@hookspec
def webhook_events(ctx: PlueContext, event: Event) -> list[WebhookEvent] | None:
    """Turn a bus ``event`` into webhook events: return ``WebhookEvent(type, payload,
    repository_id=..., owner_id=..., branch=...)`` for each (``plue_webhooks.outbox``), or
    None when ``event`` is not yours.

    Fires inside the publisher's transaction (from the webhooks plugin's ``on_event``); the
    event is written to the outbox in that same transaction (once, however many hooks want
    it), and after the commit the sender fans it out to every hook that selected the type
    and sends it. ``repository_id`` reaches the repository's hooks,
    ``owner_id`` the hooks of that organization or user; system hooks get everything. The
    payload is the JSON body a ``gitea`` hook receives; build it with the owning plugins'
    services (``ctx.services["git_hosting"].repository_json`` ...), never a copy of a shape.
    """
