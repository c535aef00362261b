"""RunnerHub runners: the actions plugin's runners (the ones act_runner and ``plue runner``
register over runner.v1), with what ``POST /api/runners`` declared about them.

Who sees which: site administrators every runner; others the runners of their own scope, of
organizations they own, and of repositories owned by either (the scopes whose runner
settings they could manage in the Gitea API)."""

from __future__ import annotations

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Forbidden, NotFound
from plue_core.timestamps import rfc3339
from plue_runnerhub.envelope import number_of, prefixed, reject
from plue_runnerhub.external_jobs import HELD
from plue_runnerhub.external_jobs import PREFIX as EXTERNAL_PREFIX
from plue_runnerhub.models import ExternalJob, RunnerProfile

STATUS_FILTERS = ("online", "offline", "busy", "idle")


def owned_scopes(service, identity) -> set[int]:
    """The caller and the organizations they own."""
    owners = {identity.user_id}
    for team in service.accounts.teams_of_user(identity.user_id):
        if team.org_id not in owners and service.accounts.is_org_owner(team.org, identity.user_id):
            owners.add(team.org_id)
    return owners


def visible_runners(service, identity) -> list:
    """The actions runners (rows of ``service.all_runners``) ``identity`` may manage."""
    if identity.is_admin:
        return service.all_runners()
    owners = owned_scopes(service, identity)
    visible = []
    for runner in service.runners_of(owners):
        if runner.repository_id:
            repository = service.repository_of(runner.repository_id)
            if repository is None or repository.owner_id not in owners:
                continue
        visible.append(runner)
    return visible


def find_runner(service, identity, raw_id: str):
    number = number_of("runner", raw_id, "runner")
    for runner in visible_runners(service, identity):
        if runner.id == number:
            return runner
    raise NotFound(f"runner {raw_id} does not exist")


def current_jobs(service, runner_ids: list[int]) -> dict[int, dict]:
    """The job each busy runner holds (a running actions task, else its oldest assigned or
    running external job; two queries)."""
    if not runner_ids:
        return {}
    found = {}
    held = (ExternalJob.select().where(ExternalJob.runner_id.in_(runner_ids)
                                       & ExternalJob.status.in_(HELD))
            .order_by(ExternalJob.id.desc()))
    for job in held:
        found[job.runner_id] = {"job_id": prefixed(EXTERNAL_PREFIX, job.id),
                                "job_name": job.job_name, "started_at": rfc3339(job.started)}
    found.update({runner_id: {"job_id": prefixed("job", job_id), "job_name": name,
                              "started_at": rfc3339(started)}
                  for runner_id, (job_id, name, started) in service.running_jobs_of(runner_ids).items()})
    return found


class RunnerRenderer:
    """Renders runners with their profiles, busy flags and current jobs fetched at once."""

    def __init__(self, service, runners: list):
        ids = [runner.id for runner in runners]
        self.service = service
        self.jobs = current_jobs(service, ids)
        profiles = RunnerProfile.select().where(RunnerProfile.runner_id.in_(ids)) if ids else []
        created = {runner.id: runner.created for runner in runners}
        # SQLite may reuse the id of a deleted runner: a profile older than its runner was
        # another runner's.
        self.profiles = {row.runner_id: row for row in profiles
                         if row.created >= created[row.runner_id]}

    def online(self, runner) -> bool:
        return self.service.runner_is_online(runner)

    def busy(self, runner) -> bool:
        return runner.id in self.jobs

    def matches(self, runner, status: str | None, labels: list[str]) -> bool:
        if labels and not set(labels) <= set(runner.labels or ()):
            return False
        online, busy = self.online(runner), self.busy(runner)
        return {None: True, "online": online, "offline": not online, "busy": busy,
                "idle": online and not busy}[status]

    def summary(self, runners: list) -> dict:
        online = [r for r in runners if self.online(r)]
        busy = [r for r in runners if self.busy(r)]
        return {"total": len(runners), "online": len(online), "busy": len(busy),
                "idle": len([r for r in online if not self.busy(r)]),
                "offline": len(runners) - len(online)}

    def runner(self, runner) -> dict:
        profile = self.profiles.get(runner.id)
        return {
            "id": prefixed("runner", runner.id), "name": runner.name,
            "status": "online" if self.online(runner) else "offline",
            "busy": self.busy(runner), "labels": list(runner.labels or ()),
            "os": (profile.os or None) if profile else None,
            "architecture": (profile.architecture or None) if profile else None,
            "current_job": self.jobs.get(runner.id),
            "last_seen": rfc3339(runner.last_online), "created_at": rfc3339(runner.created),
            "capabilities": profile.capabilities if profile else None,
            "resource_info": profile.resource_info if profile else None,
            "disabled": runner.disabled, "version": runner.version or None,
        }

    def status(self, runner) -> dict:
        online = self.online(runner)
        health = "disabled" if runner.disabled else "healthy" if online else "offline"
        # A runner declares itself (runner.v1 Declare) when its process starts, which
        # stamps ``updated``: the time since then is the runner's uptime while it is online.
        uptime = int((utcnow() - runner.updated).total_seconds()) if online else None
        return {"id": prefixed("runner", runner.id), "name": runner.name,
                "status": "online" if online else "offline", "busy": self.busy(runner),
                "current_job": self.jobs.get(runner.id), "resource_usage": None,
                "health": {"status": health, "last_heartbeat": rfc3339(runner.last_online),
                           "uptime": uptime}}


def registration_scope(service, identity, owner_name: str | None) -> int:
    """The owner id of a new runner: none given -> the instance for administrators, the
    caller's own scope for others; a user or organization name -> that owner's scope."""
    if not owner_name:
        return 0 if identity.is_admin else identity.user_id
    account = service.accounts.find_account(owner_name)
    if account is None or not service.accounts.can_see_account(identity, account):
        raise NotFound(f"owner {owner_name} does not exist")
    if identity.is_admin or account.id == identity.user_id:
        return account.id
    if account.is_organization and service.accounts.is_org_owner(account, identity.user_id):
        return account.id
    raise Forbidden(f"you may not register runners for {account.name}")


def register(service, identity, body: dict) -> tuple[object, str]:
    """Register a runner the way a runner.v1 Register does (through the actions service),
    store its declared profile; returns it and its token, shown this once."""
    owner_id = registration_scope(service, identity, body.get("owner"))
    with write_transaction(service.ctx.db):
        runner, token = service.register_runner(owner_id, body["name"], body["labels"])
        RunnerProfile.delete().where(RunnerProfile.runner_id == runner.id).execute()  # a reused id
        RunnerProfile.create(runner_id=runner.id, os=body.get("os") or "",
                             architecture=body.get("architecture") or "",
                             capabilities=body.get("capabilities") or {},
                             resource_info=_whole_numbers(body.get("resource_info") or {}))
    return runner, token


def _whole_numbers(values: dict) -> dict:
    """16.0 GB is stored (and shown) as 16, as the runner declared it."""
    return {key: int(value) if isinstance(value, float) and value.is_integer() else value
            for key, value in values.items()}


def parse_filters(status: str | None, labels: str | None) -> tuple[str | None, list[str]]:
    if status is not None and status not in STATUS_FILTERS:
        raise reject("status", status, "one of " + ", ".join(STATUS_FILTERS))
    return status, [label.strip() for label in (labels or "").split(",") if label.strip()]

