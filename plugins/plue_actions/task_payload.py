"""What a runner receives with a task: the single-job workflow, the github context with the
task token, secrets (none for fork pull requests but the token), vars and needed outputs."""

from __future__ import annotations

from plue_workflows.statuses import Status, aggregate_job_statuses
from plue_actions.contexts import github_context
from plue_actions.emitter import job_outputs
from plue_actions.models import Job
from plue_actions.secrets import secrets_for_repository
from plue_actions.variables import variables_for_repository


def task_secrets(service, job: Job, token: str) -> dict[str, str]:
    secrets = {} if job.is_fork_pull_request else \
        secrets_for_repository(service.box, job.owner_id, job.repository_id)
    secrets["GITHUB_TOKEN"] = token
    secrets["GITEA_TOKEN"] = token
    return secrets


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
    return {
        "id": task.id,
        "workflow_payload": job.payload.encode(),
        "context": context,
        "secrets": task_secrets(service, job, token),
        "needs": task_needs(job),
        "vars": variables_for_repository(job.owner_id, job.repository_id),
    }
