"""RunnerHub runners: the actions plugin's runners (the ones act_runner and ``plue runner``
register over runner.v1), with what ``POST /api/runners`` declared about them.

Who sees which: site administrators every runner; others the runners of their own scope, of
organizations they own, and of repositories owned by either (the scopes whose runner
settings they could manage in the Gitea API)."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Forbidden, NotFound
from plue_runnerhub.envelope import number_of, prefixed, reject
from plue_runnerhub.external_jobs import HELD
from plue_runnerhub.external_jobs import PREFIX as EXTERNAL_PREFIX
from plue_runnerhub.models import ExternalJob, RunnerProfile
from plue_runnerhub.schemas import HUB_RUNNER_SHAPE, RUNNER_STATUS_SHAPE

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


class CurrentJob(NamedTuple):
    """The job a busy runner holds (``schemas.CURRENT_JOB_SHAPE``)."""
    job_id: str
    job_name: str
    started: datetime.datetime | None


class Listing(NamedTuple):
    """``GET /api/runners``: the runners its filters let through, and every visible one
    (the summary counts those)."""
    shown: list
    every: list


def current_jobs(service, runner_ids: list[int]) -> dict[int, CurrentJob]:
    """The job each busy runner holds (a running actions task, else its oldest assigned or
    running external job; two queries)."""
    if not runner_ids:
        return {}
    found = {}
    held = (ExternalJob.select().where(ExternalJob.runner_id.in_(runner_ids)
                                       & ExternalJob.status.in_(HELD))
            .order_by(ExternalJob.id.desc()))
    for job in held:
        found[job.runner_id] = CurrentJob(prefixed(EXTERNAL_PREFIX, job.id), job.job_name,
                                          job.started)
    found.update({runner_id: CurrentJob(prefixed("job", job_id), name, started)
                  for runner_id, (job_id, name, started) in service.running_jobs_of(runner_ids).items()})
    return found


class RunnerRenderer:
    """What the runner shapes (``schemas.HUB_RUNNER_SHAPE``, ``RUNNER_STATUS_SHAPE``...)
    read beside each runner row: profiles, busy flags and current jobs, fetched at once for
    all the runners; ``token``, a runner's just registered, is shown this once."""

    def __init__(self, service, runners: list, token: str | None = None):
        ids = [runner.id for runner in runners]
        self.service = service
        self.token = token
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

    def profile(self, runner, field: str):
        """What the runner declared when it registered (None without a profile)."""
        profile = self.profiles.get(runner.id)
        return getattr(profile, field) if profile is not None else None

    def health(self, runner) -> str:
        if runner.disabled:
            return "disabled"
        return "healthy" if self.online(runner) else "offline"

    def uptime(self, runner) -> int | None:
        # A runner declares itself (runner.v1 Declare) when its process starts, which
        # stamps ``updated``: the time since then is the runner's uptime while it is online.
        return int((utcnow() - runner.updated).total_seconds()) if self.online(runner) else None

    def runner(self, runner) -> dict:
        return HUB_RUNNER_SHAPE(runner, self)

    def status(self, runner) -> dict:
        return RUNNER_STATUS_SHAPE(runner, self)


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

