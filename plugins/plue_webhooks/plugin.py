"""webhooks: Gitea's hooks API (repository, organization, user and system hooks) and the
delivery of every plugin's events to them: an outbox written with the change (one row per
event), a sender that fans it out to the hooks, signs, posts, retries and records. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.scheduler import ScheduledJob

from plue_webhooks import (
    hooks, hookspecs, models, outbox, payloads, resources, scheduled_jobs, sender,
)
from plue_webhooks.models import Webhook
from plue_webhooks.service import WebhooksService
from plue_webhooks.settings import WebhooksSettings

PLUE_NAME = "webhooks"
PLUE_REQUIRES = ("accounts", "git_hosting")


@hookimpl
def add_hookspecs(plugin_manager):
    plugin_manager.add_hookspecs(hookspecs)


@hookimpl
def register_settings():
    return [("webhooks", WebhooksSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("webhooks", WebhooksService(ctx))]


@hookimpl
def register_routes(ctx):
    return resources.routes(ctx)


@hookimpl
def register_jobs(ctx):
    service = ctx.services["webhooks"]
    return [
        ScheduledJob("webhooks.deliver", lambda ctx: sender.send_due(service), "interval",
                     {"seconds": service.settings["sender_interval"]}),
        ScheduledJob("webhooks.prune_deliveries",
                     lambda ctx: scheduled_jobs.prune_deliveries(service),
                     "interval", {"seconds": 86400}),
    ]


@hookimpl
def webhook_events(ctx, event):
    return payloads.translate(ctx, event)


@hookimpl
def on_event(ctx, event):
    service = ctx.services["webhooks"]
    if event.name == "repository_created":
        hooks.copy_default_hooks(event.repository_id)
    found = [item for items in ctx.plugins.hook.webhook_events(ctx=ctx, event=event)
             for item in items or ()]
    if found and outbox.enqueue_all(service, found):
        service.wake_sender()
    # The owner's hooks go with it (after its own events were queued for the others).
    if event.name == "repository_deleted":
        hooks.delete_hooks_where((Webhook.owner_kind == "repository")
                                 & (Webhook.repository_id == event.repository_id))
    elif event.name == "account_deleted":
        hooks.delete_hooks_where(Webhook.owner_kind.in_(("organization", "user"))
                                 & (Webhook.owner_id == event.account_id))


@hookimpl
def shutdown(ctx):
    ctx.services["webhooks"].close()
