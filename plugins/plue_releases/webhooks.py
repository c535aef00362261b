"""The ``release`` webhook event, Gitea's ``ReleasePayload``: ``action`` (published, updated,
deleted), the ``release``, its ``repository`` and the ``sender``, rendered for nobody in
particular (webhooks reach outside the forge)."""

from __future__ import annotations

# The type a plugin's ``webhook_events`` returns (docs/webhooks.md): imported only when the
# webhooks plugin asks, so this plugin runs without it.
from plue_webhooks.outbox import WebhookEvent

from plue_releases.models import Release


def release_events(ctx, event) -> list[WebhookEvent]:
    hosting, accounts = ctx.services["git_hosting"], ctx.services["accounts"]
    repository = hosting.get_repository_by_id(event.repository_id)
    if repository is None:
        return []

    def payload() -> dict:
        body = event.body
        if body is None:
            release = Release.get_by_id(event.release_id)
            release.publisher = (accounts.find_account_by_id(release.publisher_id)
                                 if release.publisher_id is not None else None)
            if release.publisher is None:
                release.publisher_id = None
            body = ctx.services["releases"].release_json(repository, release)
        sender = (accounts.find_account_by_id(event.sender_id)
                  if event.sender_id is not None else None)
        return {"action": event.action, "release": body,
                "repository": hosting.repository_json(repository, None),
                "sender": accounts.user_json(sender, None) if sender is not None else None}

    return [WebhookEvent.of_repository("release", payload, repository)]
