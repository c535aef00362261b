"""``POST /api/github/webhook``: GitHub's webhook deliveries, verified and acted on.

A delivery is accepted only when ``X-Hub-Signature-256`` is ``sha256=`` and the hex
HMAC-SHA256 of the raw body under ``[runnerhub] github_webhook_secret`` (compared in constant
time); without a configured secret every delivery is refused. Then:

* ``workflow_job`` — an external job recorded or updated (``github_workflow_jobs``);
* ``push`` — nothing here: the ``github_webhook`` event tells whoever listens (tracked_repos
  asks for a sync of the repository when someone tracks it);
* ``ping`` — nothing (GitHub sends it when the webhook is created).

Each accepted delivery is one transaction: its ``runnerhub_github_delivery`` row (unique on
``X-GitHub-Delivery``, so a redelivery is answered as a duplicate and does nothing again), the
job change, and the ``github_webhook`` event's listeners' work. The /api/ws feed announces the
row. Other events are a 400 naming the ones handled, recorded nowhere.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse

import peewee

from plue_core.db import write_transaction
from plue_core.errors import Unauthorized
from plue_core.request_json import loads
from plue_runnerhub import external_assignment, external_jobs, github_workflow_jobs
from plue_runnerhub.envelope import reject
from plue_runnerhub.events import GitHubWebhookReceived
from plue_runnerhub.models import GitHubDelivery

EVENTS = ("workflow_job", "push", "ping")
DELIVERY_ID_LIMIT = 64  # GitHub's are GUIDs (36 characters)


def verify_signature(secret: str, body: bytes, signature: str | None) -> None:
    """401 unless ``signature`` is GitHub's ``sha256=<hex HMAC-SHA256 of body>``."""
    if not secret:
        raise Unauthorized("GitHub webhooks are refused: no webhook secret is configured on "
                           "this server")
    if not signature:
        raise Unauthorized("X-Hub-Signature-256 is missing: give the webhook a secret")
    expected = b"sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(expected, signature.strip().encode("utf-8", "surrogateescape")):
        raise Unauthorized("X-Hub-Signature-256 does not match the body: check the webhook's "
                           "secret")


def _payload(body: bytes, content_type: str | None) -> dict:
    """The JSON object GitHub sent, as ``application/json`` or as the ``payload`` field of
    ``application/x-www-form-urlencoded`` (the webhook's two content types)."""
    try:
        text = body.decode("utf-8")
        if (content_type or "").split(";")[0].strip().lower() == \
                "application/x-www-form-urlencoded":
            text = urllib.parse.parse_qs(text, strict_parsing=True)["payload"][0]
        payload = loads(text)
    except (UnicodeDecodeError, ValueError, KeyError):
        raise reject("body", None, "GitHub's JSON payload (application/json, or the payload "
                     "field of a form)", "request body is not GitHub's JSON payload") from None
    if not isinstance(payload, dict):
        raise reject("body", None, "a JSON object", "the payload is not a JSON object")
    return payload


def _header(value: str | None, name: str, expected: str, limit: int) -> str:
    if not value or len(value) > limit or not value.isprintable():
        raise reject(name, value, expected, f"{name} is missing or malformed")
    return value


def _repository(payload: dict, required: bool) -> str:
    repository = payload.get("repository")
    full_name = repository.get("full_name") if isinstance(repository, dict) else None
    if full_name is None and not required:
        return ""
    if not isinstance(full_name, str):
        raise reject("repository.full_name", full_name, "owner/repo format",
                     "Invalid repository format")
    return external_jobs.checked_repository(full_name)


def _sender(payload: dict) -> str:
    sender = payload.get("sender")
    login = sender.get("login") if isinstance(sender, dict) else None
    return login[:255] if isinstance(login, str) else ""


def receive(service, secret: str, headers: dict, body: bytes,
            content_type: str | None) -> tuple[GitHubDelivery, bool]:
    """Verify, record and act on one delivery; returns its row and whether it had been
    received before (``schemas.DELIVERY_SHAPE`` renders both). ``headers`` maps the
    lower-cased names of GitHub's headers to their values."""
    verify_signature(secret, body, headers.get("x-hub-signature-256"))
    event = headers.get("x-github-event")
    if event not in EVENTS:
        raise reject("X-GitHub-Event", event, "one of " + ", ".join(EVENTS),
                     f"GitHub event {event!r} is not handled here: send only "
                     + ", ".join(EVENTS))
    delivery_id = _header(headers.get("x-github-delivery"), "X-GitHub-Delivery",
                          "GitHub's delivery GUID", DELIVERY_ID_LIMIT)
    payload = _payload(body, content_type)
    repository = _repository(payload, required=event != "ping")
    job_event = github_workflow_jobs.parse(payload, repository) \
        if event == "workflow_job" else None
    action = payload.get("action") if isinstance(payload.get("action"), str) else ""
    try:
        with write_transaction(service.ctx.db):
            # The row first: a concurrent redelivery waits here, then fails on the unique id.
            delivery = GitHubDelivery.create(delivery_id=delivery_id, event=event,
                                             action=action[:64], repository=repository,
                                             sender=_sender(payload))
            job = github_workflow_jobs.apply(job_event) if job_event else None
            if job is not None:
                delivery.job_id = job.id
                delivery.save(only=[GitHubDelivery.job_id])
            service.ctx.events.publish(GitHubWebhookReceived(
                delivery_id=delivery_id, github_event=event, action=action,
                repository=repository, payload=payload))
    except peewee.IntegrityError:
        delivery = GitHubDelivery.get_or_none(GitHubDelivery.delivery_id == delivery_id)
        if delivery is None:
            raise
        return delivery, True
    if job is not None and job.status in ("pending", *external_jobs.FINISHED):
        # A new job may go to a hub runner now; a finished one freed a slot.
        external_assignment.assign_pending(
            service, job_ids=[job.id] if job.status == "pending" else None)
    return delivery, False
