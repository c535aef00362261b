"""Gitea's "test delivery" (``POST .../hooks/{id}/tests``): a push event with the last commit
of a branch, tag or commit (``ref``, default the default branch), queued for that one hook
whatever its events and active flag, and sent by the sender like any other delivery. As
Gitea's ``TestHook``: ``ref`` is the ``ref`` asked for as given (``refs/heads/`` + the default
branch without one), ``compare_url`` compares the commit with itself, and a repository
without commits sends nothing."""

from __future__ import annotations

import uuid

from plue_core.db import utcnow, write_transaction
from plue_core.errors import NotFound

from plue_webhooks.models import WebhookDelivery, WebhookPayload
from plue_webhooks.payloads import Renderer


def test_payload(service, repository, identity, ref: str) -> dict | None:
    """The push payload, or None when the repository has no commit yet."""
    render = Renderer(service.ctx)
    hosting = render.hosting
    branch = ref or repository.default_branch
    commits = []
    with hosting.open_git(repository) as repo:
        try:
            _kind, commit = hosting.resolve_commit(repo, branch)
        except NotFound:
            commit = None
        if commit is not None:
            [body] = hosting.commits_json(repository, repo, [commit], None, stat=False,
                                          files=False, verification=False)
            commits = [{"id": body["sha"], "message": body["commit"]["message"],
                        "url": body["html_url"], "author": body["commit"]["author"],
                        "committer": body["commit"]["committer"],
                        "timestamp": body["commit"]["committer"]["date"]}]
    if not commits and ref:
        raise NotFound(f"{ref!r} is not a branch, tag or commit of {repository.full_name}")
    if not commits:
        return None
    payload_commits = render.payload_commits(repository, commits)
    sha = commits[0]["id"]
    sender = render.accounts.user_json(render.accounts.account_for(identity), None)
    repository_json = render.repository_json(repository)
    return {"ref": ref or f"refs/heads/{branch}", "before": sha, "after": sha,
            "compare_url": f"{repository_json['html_url']}/compare/{sha}...{sha}",
            "commits": payload_commits, "total_commits": len(payload_commits),
            "head_commit": payload_commits[0], "repository": repository_json,
            "pusher": sender, "sender": sender}


def send_test(service, hook, repository, identity, ref: str) -> WebhookDelivery | None:
    """The queued delivery; None (nothing sent) for a repository without commits."""
    payload = test_payload(service, repository, identity, ref)
    if payload is None:
        return None
    with write_transaction():
        # For this hook alone: the event is not fanned out to the others.
        stored = WebhookPayload.create(event="push", body=payload, fanned_out=True)
        delivery = WebhookDelivery.create(uuid=str(uuid.uuid4()), webhook=hook.id, event="push",
                                          payload=stored.id, next_attempt_at=utcnow())
    service.wake_sender()
    return delivery
