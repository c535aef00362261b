"""Gitea's wire shapes for actions (ActionWorkflowRun, ActionWorkflowJob, ActionArtifact,
ActionRunner, Secret, ActionVariable, ActionWorkflow), field for field as in its OpenAPI."""

from __future__ import annotations

import datetime

from plue_core import timestamps
from plue_core.timestamps import ZERO_TIME
from plue_workflows.statuses import Status, rest_status


def rfc3339(value: datetime.datetime | None) -> str:
    """Gitea's ActionWorkflowRun/Job times: the zero time where there is none."""
    return timestamps.rfc3339(value) or ZERO_TIME


class Shapes:
    """Renders rows for one request (keeps the accounts it looked up)."""

    def __init__(self, service, viewer=None):
        self.service = service
        self.viewer = viewer
        self._accounts: dict[int, dict | None] = {}
        self._repositories: dict[int, dict] = {}

    def user(self, user_id: int | None) -> dict | None:
        if not user_id:
            return None
        if user_id not in self._accounts:
            account = self.service.accounts.find_account_by_id(user_id)
            self._accounts[user_id] = self.service.accounts.user_json(account, self.viewer) \
                if account else None
        return self._accounts[user_id]

    def repository(self, repository) -> dict:
        """Gitea's whole ``Repository`` as the viewer sees it, rendered by git_hosting once per
        repository for this request (a page of runs shares it)."""
        if repository.id not in self._repositories:
            self._repositories[repository.id] = self.service.hosting.repository_json(
                repository, self.viewer)
        return self._repositories[repository.id]

    def run(self, run, repository) -> dict:
        api = f"{self.service.hosting.api_url(repository)}/actions/runs/{run.id}"
        status, conclusion = rest_status(Status(run.status))
        branch = run.ref[len("refs/heads/"):] if run.ref.startswith("refs/heads/") else run.ref
        repo_json = self.repository(repository)
        return {
            "id": run.id, "url": api,
            "html_url": f"{self.service.hosting.html_url(repository)}/actions/runs/{run.number}",
            "display_title": run.title, "path": f"{run.workflow_id}@{run.ref}",
            "event": run.event, "run_attempt": run.attempt, "run_number": run.number,
            "head_sha": run.commit_sha, "head_branch": branch, "status": status,
            "conclusion": conclusion or "",
            "actor": self.user(run.trigger_user_id), "trigger_actor": self.user(run.trigger_user_id),
            "repository": repo_json, "head_repository": repo_json, "repository_id": repository.id,
            "pull_requests": [], "started_at": rfc3339(run.started),
            "completed_at": rfc3339(run.stopped),
            "previous_attempt_url": f"{api}/attempts/{run.attempt - 1}" if run.attempt > 1 else None,
        }

    def job(self, job, run, repository, task=None, steps=(), runner=None) -> dict:
        api = self.service.hosting.api_url(repository)
        status, conclusion = rest_status(Status(job.status))
        branch = run.ref[len("refs/heads/"):] if run.ref.startswith("refs/heads/") else run.ref
        return {
            "id": job.id, "url": f"{api}/actions/jobs/{job.id}",
            "html_url": f"{self.service.hosting.html_url(repository)}/actions/runs/{run.number}/jobs/{job.id}",
            "run_id": run.id, "run_url": f"{api}/actions/runs/{run.id}",
            "run_attempt": job.attempt, "name": job.name, "labels": list(job.runs_on or ()),
            "head_sha": job.commit_sha, "head_branch": branch, "status": status,
            "conclusion": conclusion or "", "runner_id": runner.id if runner else 0,
            "runner_name": runner.name if runner else "", "created_at": rfc3339(job.created),
            "started_at": rfc3339(job.started), "completed_at": rfc3339(job.stopped),
            "steps": [self.step(step) for step in steps],
        }

    @staticmethod
    def step(step) -> dict:
        status, conclusion = rest_status(Status(step.status))
        return {"name": step.name, "number": step.index + 1, "status": status,
                "conclusion": conclusion or "", "started_at": rfc3339(step.started),
                "completed_at": rfc3339(step.stopped)}

    def artifact(self, artifact, run, repository) -> dict:
        api = self.service.hosting.api_url(repository)
        return {
            "id": artifact.id, "name": artifact.name, "size_in_bytes": artifact.size,
            "url": f"{api}/actions/artifacts/{artifact.id}",
            "archive_download_url": f"{api}/actions/artifacts/{artifact.id}/zip",
            "expired": artifact.status == "expired", "created_at": rfc3339(artifact.created),
            "updated_at": rfc3339(artifact.updated), "expires_at": rfc3339(artifact.expires_at),
            # Gitea's spec types this as a whole ActionWorkflowRun (its converter fills id,
            # repository_id and head_sha and sends the rest zeroed); the real run is a superset.
            "workflow_run": self.run(run, repository),
        }

    @staticmethod
    def runner(runner, online: bool, busy: bool) -> dict:
        return {"id": runner.id, "name": runner.name, "status": "online" if online else "offline",
                "busy": busy, "disabled": runner.disabled, "ephemeral": runner.ephemeral,
                "labels": [{"id": index + 1, "name": label, "type": "custom"}
                           for index, label in enumerate(runner.labels or ())]}

    @staticmethod
    def secret(secret) -> dict:
        return {"name": secret.name, "description": secret.description,
                "created_at": rfc3339(secret.created)}

    @staticmethod
    def variable(variable) -> dict:
        return {"owner_id": variable.owner_id, "repo_id": variable.repository_id,
                "name": variable.name, "data": variable.data, "description": variable.description}
