"""Runners: registration tokens per scope, registering, authenticating, status.

A scope is ``(owner_id, repository_id)``: ``(0, 0)`` the instance (admin), ``(owner, 0)`` a
user's or organization's runners, ``(0, repo)`` one repository's. A runner sees the jobs of
its scope only.
"""

from __future__ import annotations

import datetime
import uuid

from plue_core.db import CompiledSelect, update_row, utcnow, write_transaction
from plue_core.errors import Invalid, NotFound, Unauthorized

from plue_workflows.statuses import Status
from plue_actions import crypto
from plue_actions.models import RegistrationToken, Runner, Task

MAX_LABELS = 64
LAST_ONLINE_DEBOUNCE = datetime.timedelta(seconds=5)


def registration_token(box, owner_id: int, repository_id: int, ttl_seconds: int, *,
                       fresh: bool = False) -> tuple[str, datetime.datetime]:
    """The scope's active registration token (a new one when ``fresh`` or none is valid);
    a new token deactivates the previous ones."""
    now = utcnow()
    scope = (RegistrationToken.owner_id == owner_id) & (RegistrationToken.repository_id == repository_id)
    with write_transaction():
        if not fresh:
            row = (RegistrationToken.select().where(scope & RegistrationToken.is_active
                                                    & (RegistrationToken.expires_at > now))
                   .order_by(RegistrationToken.id.desc()).first())
            if row is not None:
                return box.decrypt(row.token_encrypted), row.expires_at
        RegistrationToken.update(is_active=False).where(scope).execute()
        token = crypto.new_token()
        expires = now + datetime.timedelta(seconds=ttl_seconds)
        RegistrationToken.create(owner_id=owner_id, repository_id=repository_id,
                                 token_hash=crypto.token_hash(token),
                                 token_encrypted=box.encrypt(token), expires_at=expires)
        return token, expires


def clean_labels(labels) -> list[str]:
    """Label names as declared: ``name[:scheme[:arg]]`` reduced to names, de-duplicated."""
    names: list[str] = []
    for label in labels or []:
        name = str(label).strip().split(":", 1)[0].strip()
        if not name:
            continue
        if len(name) > 255:
            raise Invalid(f"label {name[:40]!r}... is longer than 255 characters")
        if name not in names:
            names.append(name)
    if len(names) > MAX_LABELS:
        raise Invalid(f"a runner may declare at most {MAX_LABELS} labels")
    return names


def register(registration: str, name: str, labels, version: str, ephemeral: bool) -> tuple[Runner, str]:
    """Create a runner from a registration token; returns it and its token (shown once)."""
    if not registration:
        raise Unauthorized("a registration token is required")
    name = (name or "").strip()
    if not name:
        raise Invalid("the runner needs a name")
    if len(name) > 255:
        raise Invalid("the runner name is longer than 255 characters")
    labels = clean_labels(labels)
    now = utcnow()
    with write_transaction():
        row = RegistrationToken.get_or_none(RegistrationToken.token_hash == crypto.token_hash(registration))
        if row is None or not row.is_active or row.expires_at <= now:
            raise Unauthorized("runner registration token not found, expired or replaced")
        token = crypto.new_token()
        runner = Runner.create(uuid=str(uuid.uuid4()), name=name, owner_id=row.owner_id,
                               repository_id=row.repository_id, token_hash=crypto.token_hash(token),
                               version=(version or "")[:64], labels=labels,
                               ephemeral=bool(ephemeral), last_online=now)
    return runner, token


# Every call of every runner (an idle one's FetchTask every few seconds): compiled once.
_RUNNER_BY_UUID = CompiledSelect(
    lambda runner_uuid: Runner.select().where(Runner.uuid == runner_uuid).limit(1), str)


def authenticate(runner_uuid: str | None, token: str | None) -> Runner:
    """The runner of the ``x-runner-uuid``/``x-runner-token`` headers, or Unauthorized."""
    if not runner_uuid or not token:
        raise Unauthorized("x-runner-uuid and x-runner-token headers are required")
    # A NUL names no runner (PostgreSQL cannot even compare it).
    runner = None if "\0" in runner_uuid else _RUNNER_BY_UUID.first(runner_uuid)
    if runner is None or not crypto.same_hash(token, runner.token_hash):
        raise Unauthorized("unregistered runner")
    return runner


def touch(runner: Runner, *, active: bool = False) -> None:
    """Record that the runner called (debounced, so a busy runner is not a write per call)."""
    now = utcnow()
    changes = {}
    if runner.last_online is None or now - runner.last_online > LAST_ONLINE_DEBOUNCE:
        changes["last_online"] = now
    if active and (runner.last_active is None or now - runner.last_active > LAST_ONLINE_DEBOUNCE):
        changes["last_active"] = now
    if changes:
        update_row(Runner, runner.id, **changes)
        for key, value in changes.items():
            setattr(runner, key, value)


def declare(runner: Runner, version: str, labels) -> Runner:
    runner.labels = clean_labels(labels)
    runner.version = (version or "")[:64]
    runner.updated = utcnow()
    runner.save()
    return runner


def is_online(runner: Runner, offline_after: int) -> bool:
    return runner.last_online is not None and \
        utcnow() - runner.last_online < datetime.timedelta(seconds=offline_after)


def busy_runner_ids(runner_ids: list[int]) -> set[int]:
    """Runners holding a running task (one query for a page of runners)."""
    if not runner_ids:
        return set()
    rows = (Task.select(Task.runner_id).where(Task.runner_id.in_(runner_ids)
                                              & (Task.status == int(Status.RUNNING))).distinct())
    return {row.runner_id for row in rows}


def runners_in_scope(owner_id: int, repository_id: int, *, disabled: bool | None = None):
    """The runners registered for this scope, by id; only the (not) disabled ones when
    ``disabled`` is given."""
    query = Runner.select().where((Runner.owner_id == owner_id)
                                  & (Runner.repository_id == repository_id))
    if disabled is not None:
        query = query.where(Runner.disabled == disabled)
    return query.order_by(Runner.id)


def get_runner(owner_id: int, repository_id: int, runner_id: int) -> Runner:
    if not 0 < runner_id < 2 ** 63:  # no such id, and the database could not even compare it
        raise NotFound(f"runner {runner_id} does not exist")
    runner = Runner.get_or_none((Runner.id == runner_id) & (Runner.owner_id == owner_id)
                                & (Runner.repository_id == repository_id))
    if runner is None:
        raise NotFound(f"runner {runner_id} does not exist")
    return runner
