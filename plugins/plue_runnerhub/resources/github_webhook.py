"""``POST /api/github/webhook``: where GitHub sends the webhooks (see ``github_webhook``)."""

from __future__ import annotations

from plue_core.openapi import operation
from plue_runnerhub import github_webhook
from plue_runnerhub.envelope import success
from plue_runnerhub.schemas import DELIVERY_ENVELOPE, DELIVERY_SHAPE
from plue_runnerhub.resources.jobs import TAGS

HEADERS = ("x-hub-signature-256", "x-github-event", "x-github-delivery")


class GitHubWebhookResource:
    """Authenticated by the delivery's signature, never by user credentials."""

    def __init__(self, service, secret: str):
        self.service = service  # ctx.services["actions"]
        self.secret = secret    # [runnerhub] github_webhook_secret

    @operation("Receive a GitHub webhook delivery (workflow_job, push, ping) signed with "
               "X-Hub-Signature-256", response=DELIVERY_ENVELOPE, tags=TAGS)
    def on_post(self, req, resp):
        body = req.bounded_stream.read()
        headers = {name: req.get_header(name) for name in HEADERS}
        delivery, duplicate = github_webhook.receive(self.service, self.secret, headers, body,
                                                     req.content_type)
        success(resp, DELIVERY_SHAPE(delivery, duplicate),
                message="Delivery already received" if duplicate else "Webhook accepted")
