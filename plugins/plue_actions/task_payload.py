"""What a runner receives with a task: the single-job workflow, the github context with the
task token, secrets (none for fork pull requests but the token), vars and needed outputs."""

from __future__ import annotations

import peewee

from plue_core.db import CompiledSelect

from plue_workflows.statuses import Status, aggregate_job_statuses
from plue_actions.contexts import github_context
from plue_actions.emitter import job_outputs
from plue_actions.models import Job, Secret, Variable


def _secrets_and_variables(owner_id: int, repository_id: int):
    def of(model, kind: str):
        return model.select(peewee.Value(kind), model.repository_id, model.name, model.data).where(
            ((model.owner_id == owner_id) & (model.repository_id == 0))
            | ((model.owner_id == 0) & (model.repository_id == repository_id)))
    return of(Secret, "secret").union_all(of(Variable, "variable")).tuples()


# Every claim's task payload needs both: one statement (one round trip), compiled once.
_SECRETS_AND_VARIABLES = CompiledSelect(_secrets_and_variables, int, int)


def task_secrets_and_vars(service, job: Job, token: str) -> tuple[dict[str, str], dict[str, str]]:
    """The task's ``secrets`` (decrypted; none for a fork pull request but the token) and
    ``vars``: the owner's overridden by the repository's, as ``secrets_for_repository`` and
    ``variables_for_repository`` give them apart."""
    secrets: dict[str, str] = {}
    variables: dict[str, str] = {}
    rows = _SECRETS_AND_VARIABLES.rows(job.owner_id, job.repository_id)
    for kind, _repository_id, name, data in sorted(rows, key=lambda row: row[1] != 0):
        if kind == "variable":
            variables[name] = data
        elif not job.is_fork_pull_request:
            secrets[name] = service.box.decrypt(data)
    secrets["GITHUB_TOKEN"] = token
    secrets["GITEA_TOKEN"] = token
    return secrets, variables


def task_needs(job: Job) -> dict[str, dict]:
    """``needs.<id>.{outputs,result}`` for every job this one needs (all matrix rows)."""
    if not job.needs:
        return {}
    rows = list(Job.select().where((Job.run == job.run_id) & (Job.attempt == job.attempt)
                                   & Job.job_id.in_(list(job.needs))))
    outputs = job_outputs(rows)
    needs: dict[str, dict] = {}
    for name in job.needs:
        mine = [row for row in rows if row.job_id == name]
        merged: dict[str, str] = {}
        for row in mine:
            for key, value in outputs.get(row.id, {}).items():
                if value or key not in merged:
                    merged[key] = value
        status = aggregate_job_statuses([(Status(r.status), r.continue_on_error) for r in mine])
        needs[name] = {"outputs": merged, "result": status.result_code()}
    return needs


def build_task(service, task, job: Job, token: str) -> dict:
    """The runner.v1 ``Task`` as a dict for the message class."""
    run = job.run  # the claim's own row, or read here
    repository = service.repository_of(job.repository_id)
    context = github_context(service.base_url, service.hosting, run, repository,
                             actor=service.actor_name(run), job=job, token=token,
                             default_actions_url=service.settings["default_actions_url"],
                             retention_days=service.settings["artifact_retention_days"])
    secrets, variables = task_secrets_and_vars(service, job, token)
    return {
        "id": task.id,
        "workflow_payload": job.payload.encode(),
        "context": context,
        "secrets": secrets,
        "needs": task_needs(job),
        "vars": variables,
    }
