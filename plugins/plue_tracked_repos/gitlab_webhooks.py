"""GitLab push webhooks of tracked GitLab repositories: ``/api/repos/{id}/webhook``.

The user who tracks a GitLab repository gives it a token (``PUT``), and in GitLab's project
settings adds a webhook with that URL, that token as its *Secret token* and the *Push events*
trigger. GitLab sends each push as ``POST`` with the token in ``X-Gitlab-Token``, compared in
constant time with the one stored (sealed, never shown again); a match asks for a sync
(``push_syncs``). A repository without a token, another id or a wrong token are the same 401,
so the endpoint tells an outsider nothing about which ids exist.
"""

from __future__ import annotations

import hmac

from plue_core.db import write_transaction
from plue_core.errors import BadRequest, Unauthorized
from plue_core.request_json import loads
from plue_core.timestamps import rfc3339
from plue_core.integers import is_digits
from plue_tracked_repos import push_syncs, repositories
from plue_tracked_repos.models import TrackedRepository

PUSH_EVENT = "Push Hook"
TOKEN_LENGTH = (8, 255)
REFUSED = "X-Gitlab-Token does not match this repository's webhook token"


def webhook_json(service, repository: TrackedRepository) -> dict:
    """What the owner sees: where GitLab should send pushes, and whether a token is set."""
    base = service.ctx.config.base_url.rstrip("/")
    return {"id": repository.id, "provider": repository.provider,
            "url": f"{base}/api/repos/{repository.id}/webhook",
            "token_configured": bool(repository.webhook_token),
            "sync_requested_at": rfc3339(repository.sync_requested_at)}


def gitlab_repository(user_id: int, repository_id) -> TrackedRepository:
    repository = repositories.get_repository(user_id, repository_id)
    if repository.provider != "gitlab":
        raise BadRequest("only GitLab repositories take a webhook token: GitHub sends pushes "
                         "to POST /api/github/webhook, signed with the server's GitHub "
                         "webhook secret")
    return repository


def set_token(service, user_id: int, repository_id, token) -> TrackedRepository:
    """Store (sealed) the token GitLab will send; replaces an earlier one."""
    repository = gitlab_repository(user_id, repository_id)
    low, high = TOKEN_LENGTH
    if not isinstance(token, str) or not low <= len(token) <= high or not token.isprintable():
        raise BadRequest(f"token must be a string of {low} to {high} printable characters "
                         "(the webhook's Secret token in GitLab)")
    repository.webhook_token = service.webhook_tokens.encrypt(token)
    with write_transaction():
        repository.save(only=[TrackedRepository.webhook_token])
    return repository


def clear_token(user_id: int, repository_id) -> TrackedRepository:
    """Forget the token: GitLab's deliveries are refused from now on."""
    repository = gitlab_repository(user_id, repository_id)
    repository.webhook_token = ""
    with write_transaction():
        repository.save(only=[TrackedRepository.webhook_token])
    return repository


def _authenticated(service, repository_id, token: str | None) -> TrackedRepository:
    number = int(repository_id) if is_digits(str(repository_id)) and \
        len(str(repository_id)) <= 18 else None
    repository = TrackedRepository.get_or_none(TrackedRepository.id == number) \
        if number else None
    expected = b""
    if repository is not None and repository.provider == "gitlab" and repository.webhook_token:
        try:
            expected = service.webhook_tokens.decrypt(repository.webhook_token).encode()
        except ValueError:  # sealed under another secret_key: the owner must set it again
            expected = b""
    sent = (token or "").encode("utf-8", "surrogateescape")
    # Compared even when nothing is expected, so timing does not tell ids apart.
    matches = hmac.compare_digest(expected or b"\0" * 32, sent)
    if not (expected and matches):
        raise Unauthorized(REFUSED)
    return repository


def receive(service, repository_id, token: str | None, event: str | None,
            body: bytes) -> dict:
    """A delivery from GitLab: authenticate, check it is a push of this repository, ask for
    a sync; returns the answer."""
    repository = _authenticated(service, repository_id, token)
    if event != PUSH_EVENT:
        raise BadRequest(f"GitLab event {event!r} is not handled here: send only {PUSH_EVENT} "
                         "(the webhook's Push events trigger)")
    try:
        payload = loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("request body is not GitLab's JSON push payload") from None
    project = payload.get("project") if isinstance(payload, dict) else None
    path = project.get("path_with_namespace") if isinstance(project, dict) else None
    if not isinstance(path, str):
        raise BadRequest("the payload has no project.path_with_namespace: is it GitLab's "
                         "push payload?")
    if path.lower() != repository.full_name_key:
        raise BadRequest(f"the push is for {path}, but this webhook belongs to "
                         f"{repository.full_name}")
    with write_transaction():
        push_syncs.request_sync(TrackedRepository.id == repository.id)
    return {"id": repository.id, "event": PUSH_EVENT, "sync_requested": True}
