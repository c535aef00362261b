"""The ``wiki`` webhook event, Gitea's ``WikiPayload``: ``action`` (created, edited,
deleted), the ``repository``, the ``sender``, the ``page`` (its web path) and the
``comment`` (the commit message), rendered for nobody in particular."""

from __future__ import annotations

# The type a plugin's ``webhook_events`` returns (docs/webhooks.md): imported only when the
# webhooks plugin asks, so this plugin runs without it.
from plue_webhooks.outbox import WebhookEvent


def wiki_events(ctx, event) -> list[WebhookEvent]:
    hosting, accounts = ctx.services["git_hosting"], ctx.services["accounts"]
    repository = hosting.get_repository_by_id(event.repository_id)
    if repository is None:
        return []

    def payload() -> dict:
        sender = (accounts.find_account_by_id(event.sender_id)
                  if event.sender_id is not None else None)
        return {"action": event.action,
                "repository": hosting.repository_json(repository, None),
                "sender": accounts.user_json(sender, None) if sender is not None else None,
                "page": event.page, "comment": event.comment}

    return [WebhookEvent.of_repository("wiki", payload, repository)]
