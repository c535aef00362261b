"""A running task's token as a credential (``GITHUB_TOKEN``, ``actions/checkout``).

Accepted as ``Authorization: token|Bearer <t>`` or as Basic credentials (any user name, the
token as password, or the token as user name with an empty password), only while the task
runs, and only for its own repository: git over smart HTTP (``/{owner}/{repo}.git/...``), the
repository's ``/api/v1/repos/{owner}/{repo}`` endpoints (read-only) and the actions endpoints
under ``/api/actions``. The identity is the repository owner with the ``read:repository``
scope only, so the token can clone and read but never push or write, and is useless for any
other repository. Tokens carry a prefix so other credentials cost no lookup here.
"""

from __future__ import annotations

import base64
import binascii

from plue_core.errors import Unauthorized
from plue_core.identity import Identity

from plue_workflows.statuses import Status
from plue_actions import crypto
from plue_actions.models import Task

READ_ONLY = frozenset({"read:repository"})


def token_from_request(req) -> str | None:
    header = req.get_header("Authorization") or ""
    scheme, _, value = header.partition(" ")
    scheme, value = scheme.lower(), value.strip()
    if scheme in ("token", "bearer") and value.startswith(crypto.TASK_TOKEN_PREFIX):
        return value
    if scheme == "basic" and value:
        try:
            user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        for candidate in (password, user):
            if candidate.startswith(crypto.TASK_TOKEN_PREFIX):
                return candidate
    return None


def running_task(token: str) -> Task:
    task = Task.get_or_none(Task.token_hash == crypto.token_hash(token))
    if task is None or task.status != Status.RUNNING:
        raise Unauthorized("this task token is unknown or its job has finished")
    return task


def _allowed(path: str, owner: str, repo: str) -> bool:
    path = path.lower()
    git = f"/{owner}/{repo}.git".lower()
    api = f"/api/v1/repos/{owner}/{repo}".lower()
    return (path == git or path.startswith(git + "/") or path == api
            or path.startswith(api + "/") or path.startswith("/api/actions/"))


def authenticate(service, req) -> Identity | None:
    token = token_from_request(req)
    if token is None:
        return None
    task = running_task(token)
    repository = service.repository_of(task.repository_id)
    if repository is None or not _allowed(req.path, repository.owner.name, repository.name):
        raise Unauthorized("a task token is only valid for its own repository")
    req.context.actions_task = task
    return Identity(user_id=repository.owner_id, username=repository.owner.name,
                    scopes=READ_ONLY, method="actions_task")
