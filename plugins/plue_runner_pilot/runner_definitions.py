"""Runner definitions as plain functions over the models."""

from __future__ import annotations

import uuid

from plue_core.constraints import unique_write
from plue_core.db import is_sqlite, utcnow, write_transaction
from plue_core.errors import Conflict, NotFound

from plue_runner_pilot.models import Runner, RunnerInstance
from plue_runner_pilot.token_vault import TokenVault, mask


def list_runners(org_id: int) -> list[Runner]:
    return list(Runner.select().where(Runner.org_id == org_id).order_by(Runner.created_at, Runner.id))


def get_runner(org_id: int, uid: str) -> Runner:
    try:
        parsed = uuid.UUID(str(uid))
    except ValueError:
        parsed = None
    runner = parsed and Runner.get_or_none((Runner.uid == parsed) & (Runner.org_id == org_id))
    if not runner:
        raise NotFound(f"runner {uid} does not exist in this organization")
    return runner


def lock_runner(runner_id: int) -> Runner | None:
    """The runner as stored now, locked until the surrounding transaction ends (None when
    gone): a new instance and the runner's deletion never interleave (SQLite's write
    transactions already take the database lock up front)."""
    query = Runner.select().where(Runner.id == runner_id)
    if not is_sqlite(Runner._meta.database):
        query = query.for_update()
    return query.first()


def _ensure_unique_name(org_id: int, name: str, runner_id: int | None = None) -> None:
    clash = Runner.select().where((Runner.org_id == org_id) & (Runner.lower_name == name.lower()))
    if runner_id is not None:
        clash = clash.where(Runner.id != runner_id)
    if clash.exists():
        raise Conflict(_name_taken(name))


def _name_taken(name: str) -> str:
    return f"name: this organization already has a runner named {name!r}"


def create_runner(vault: TokenVault, org_id: int, body: dict) -> Runner:
    token = body["github_runner_token"]
    with unique_write(_name_taken(body["name"]), Conflict):
        _ensure_unique_name(org_id, body["name"])
        return Runner.create(org_id=org_id, name=body["name"], lower_name=body["name"].lower(),
                             docker_image=body["docker_image"], github_repo=body["github_repo"],
                             token_sealed=vault.seal(token), token_masked=mask(token),
                             status=body["status"])


def update_runner(vault: TokenVault, runner: Runner, changes: dict) -> Runner:
    """A partial update; running instances keep the image, repository and token they started
    with (the new values apply to instances started afterwards)."""
    with unique_write(_name_taken(changes.get("name")), Conflict):
        if "name" in changes:
            _ensure_unique_name(runner.org_id, changes["name"], runner.id)
            runner.name, runner.lower_name = changes["name"], changes["name"].lower()
        for field in ("docker_image", "github_repo", "status"):
            if field in changes:
                setattr(runner, field, changes[field])
        if "github_runner_token" in changes:
            token = changes["github_runner_token"]
            runner.token_sealed, runner.token_masked = vault.seal(token), mask(token)
        runner.updated_at = utcnow()
        runner.save()
        return runner


def delete_runner(runner: Runner) -> None:
    """Refused (409) while the runner has instances: deleting them first stops their
    containers one by one, with an answer for each (a dead node is reported, not hidden)."""
    with write_transaction():
        lock_runner(runner.id)
        names = [i.instance_identifier for i in runner.instances.order_by(RunnerInstance.id)]
        if names:
            raise Conflict(f"runner {runner.name!r} still has instances: {', '.join(names)}; "
                           "delete them first (DELETE .../instance/{instance_id}), which "
                           "stops and removes their containers")
        runner.delete_instance()
