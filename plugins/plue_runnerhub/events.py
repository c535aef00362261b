"""Events RunnerHub publishes."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class GitHubWebhookReceived(Event):
    """A GitHub webhook delivery passed its signature check at ``POST /api/github/webhook`` and
    was accepted. Published once per ``X-GitHub-Delivery`` id (a redelivery is not published
    again), inside the transaction that records the delivery, so work a listener writes commits
    or rolls back with it. The tracked_repos plugin asks for a sync of a tracked repository on
    ``push``; a plugin may react to any of RunnerHub's events here without importing it."""

    name: ClassVar[str] = "github_webhook"

    delivery_id: str    # X-GitHub-Delivery
    github_event: str   # X-GitHub-Event: workflow_job, push or ping
    action: str         # the payload's "action" ("" for push and ping)
    repository: str     # the payload's repository.full_name ("" when it has none)
    payload: dict       # the decoded JSON body, as GitHub sent it
