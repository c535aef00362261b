"""Gitea's wire shapes for actions (ActionWorkflowRun, ActionWorkflowJob, ActionWorkflowStep,
ActionArtifact, ActionRunner, Secret, ActionVariable, ActionWorkflow, CommitStatus,
CombinedStatus and the ``{"total_count", ...}`` lists), field for field as in its OpenAPI.

Each is one :class:`plue_core.shapes.Shape` that renders and documents the body; ``Shapes``
gathers what a body needs for one request (accounts and repositories looked up once) and calls
them.
"""

from __future__ import annotations

import datetime

from plue_core import timestamps
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.shapes import Shape, array, boolean, integer, obj, string, time
from plue_core.timestamps import ZERO_TIME
from plue_workflows.statuses import Status, rest_status


def rfc3339(value: datetime.datetime | None) -> str:
    """Gitea's ActionWorkflowRun/Job times: the zero time where there is none."""
    return timestamps.rfc3339(value) or ZERO_TIME


def _branch(ref: str) -> str:
    return ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else ref


class _RunView:
    __slots__ = ("api", "html", "status", "conclusion", "actor", "repository")

    def __init__(self, api, html, status, conclusion, actor, repository):
        self.api, self.html, self.status, self.conclusion = api, html, status, conclusion
        self.actor, self.repository = actor, repository


# ``repository`` is Gitea's whole Repository as the viewer sees it (git_hosting renders it).
RUN_SHAPE = Shape("ActionWorkflowRun", [
    integer("id"),
    string("url", lambda run, v: v.api),
    string("html_url", lambda run, v: v.html),
    string("display_title", "title"),
    string("path", lambda run, _: f"{run.workflow_id}@{run.ref}"),
    string("event"),
    integer("run_attempt", "attempt"),
    integer("run_number", "number"),
    string("head_sha", "commit_sha"),
    string("head_branch", lambda run, _: _branch(run.ref)),
    string("status", lambda run, v: v.status),
    string("conclusion", lambda run, v: v.conclusion or ""),
    obj("actor", lambda run, v: v.actor, shape=USER_SHAPE, nullable=True),
    obj("trigger_actor", lambda run, v: v.actor, shape=USER_SHAPE, nullable=True),
    obj("repository", lambda run, v: v.repository, description="Repository"),
    obj("head_repository", lambda run, v: v.repository, description="Repository"),
    integer("repository_id", lambda run, v: v.repository["id"]),
    array("pull_requests", const=[]),
    time("started_at", lambda run, _: rfc3339(run.started)),
    time("completed_at", lambda run, _: rfc3339(run.stopped)),
    string("previous_attempt_url", lambda run, v: f"{v.api}/attempts/{run.attempt - 1}"
           if run.attempt > 1 else None, nullable=True),
])


def _status(row) -> tuple[str, str]:
    status, conclusion = rest_status(Status(row.status))
    return status, conclusion or ""


STEP_SHAPE = Shape("ActionWorkflowStep", [
    string("name"),
    integer("number", lambda step, _: step.index + 1),
    string("status", lambda step, _: _status(step)[0]),
    string("conclusion", lambda step, _: _status(step)[1]),
    time("started_at", lambda step, _: rfc3339(step.started)),
    time("completed_at", lambda step, _: rfc3339(step.stopped)),
])


class _JobView:
    __slots__ = ("api", "html", "run", "status", "conclusion", "runner", "steps")

    def __init__(self, api, html, run, status, conclusion, runner, steps):
        self.api, self.html, self.run = api, html, run
        self.status, self.conclusion, self.runner, self.steps = status, conclusion, runner, steps


JOB_SHAPE = Shape("ActionWorkflowJob", [
    integer("id"),
    string("url", lambda job, v: f"{v.api}/actions/jobs/{job.id}"),
    string("html_url", lambda job, v: f"{v.html}/actions/runs/{v.run.number}/jobs/{job.id}"),
    integer("run_id", lambda job, v: v.run.id),
    string("run_url", lambda job, v: f"{v.api}/actions/runs/{v.run.id}"),
    integer("run_attempt", "attempt"),
    string("name"),
    array("labels", lambda job, _: list(job.runs_on or ()), items="string"),
    string("head_sha", "commit_sha"),
    string("head_branch", lambda job, v: _branch(v.run.ref)),
    string("status", lambda job, v: v.status),
    string("conclusion", lambda job, v: v.conclusion),
    integer("runner_id", lambda job, v: v.runner.id if v.runner else 0),
    string("runner_name", lambda job, v: v.runner.name if v.runner else ""),
    time("created_at", lambda job, _: rfc3339(job.created)),
    time("started_at", lambda job, _: rfc3339(job.started)),
    time("completed_at", lambda job, _: rfc3339(job.stopped)),
    array("steps", lambda job, v: STEP_SHAPE.many(v.steps), items=STEP_SHAPE),
])

def _pretty_ref(ref: str) -> str:
    """Gitea's ``PrettyRef``: a branch's or tag's short name."""
    for prefix in ("refs/heads/", "refs/tags/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


# obj: a Task with its job and the job's run joined; view: the repository's html_url.
TASK_SHAPE = Shape("ActionTask", [
    integer("id"),
    string("name", lambda task, _: task.job.name),
    string("head_branch", lambda task, _: _pretty_ref(task.job.run.ref)),
    string("head_sha", lambda task, _: task.job.commit_sha),
    integer("run_number", lambda task, _: task.job.run.number),
    string("event", lambda task, _: task.job.run.event),
    string("display_title", lambda task, _: task.job.run.title),
    string("status", lambda task, _: Status(task.status).label),
    string("workflow_id", lambda task, _: task.job.run.workflow_id),
    string("url", lambda task, html: f"{html}/actions/runs/{task.job.run.number}"),
    time("created_at", lambda task, _: rfc3339(task.created)),
    time("updated_at", lambda task, _: rfc3339(task.updated)),
    time("run_started_at", lambda task, _: rfc3339(task.started)),
])

# view: (the repository's API URL, the run's body)
ARTIFACT_SHAPE = Shape("ActionArtifact", [
    integer("id"),
    string("name"),
    integer("size_in_bytes", "size"),
    string("url", lambda a, v: f"{v[0]}/actions/artifacts/{a.id}"),
    string("archive_download_url", lambda a, v: f"{v[0]}/actions/artifacts/{a.id}/zip"),
    boolean("expired", lambda a, _: a.status == "expired"),
    time("created_at", lambda a, _: rfc3339(a.created)),
    time("updated_at", lambda a, _: rfc3339(a.updated)),
    time("expires_at", lambda a, _: rfc3339(a.expires_at)),
    # Gitea's spec types this as a whole ActionWorkflowRun (its converter fills id,
    # repository_id and head_sha and sends the rest zeroed); the real run is a superset.
    obj("workflow_run", lambda a, v: v[1], shape=RUN_SHAPE),
])

RUNNER_LABEL_SHAPE = Shape("ActionRunnerLabel", [
    integer("id", lambda label, _: label[0] + 1),
    string("name", lambda label, _: label[1]),
    string("type", const="custom"),
])
# view: (online, busy)
RUNNER_SHAPE = Shape("ActionRunner", [
    integer("id"),
    string("name"),
    string("status", lambda r, v: "online" if v[0] else "offline"),
    boolean("busy", lambda r, v: v[1]),
    boolean("disabled"),
    boolean("ephemeral"),
    array("labels", lambda r, _: RUNNER_LABEL_SHAPE.many(enumerate(r.labels or ())),
          items=RUNNER_LABEL_SHAPE),
])

SECRET_SHAPE = Shape("Secret", [
    string("name"), string("description"),
    time("created_at", lambda secret, _: rfc3339(secret.created)),
])

VARIABLE_SHAPE = Shape("ActionVariable", [
    integer("owner_id"), integer("repo_id", "repository_id"), string("name"), string("data"),
    string("description"),
])

# Rendered from the parsed workflow file: obj is (workflow id, name, path, disabled), view
# (api, html, default branch).
WORKFLOW_SHAPE = Shape("ActionWorkflow", [
    string("id", lambda w, _: w[0]),
    string("name", lambda w, _: w[1]),
    string("path", lambda w, _: w[2]),
    string("state", lambda w, _: "disabled_manually" if w[3] else "active"),
    time("created_at", const=ZERO_TIME),
    time("updated_at", const=ZERO_TIME),
    time("deleted_at", const=ZERO_TIME),
    string("url", lambda w, v: f"{v[0]}/actions/workflows/{w[0]}"),
    string("html_url", lambda w, v: f"{v[1]}/src/branch/{v[2]}/{w[2]}"),
    string("badge_url", lambda w, v: f"{v[1]}/actions/workflows/{w[0]}/badge.svg"),
])

# view: (the repository's API URL, Shapes)
COMMIT_STATUS_SHAPE = Shape("CommitStatus", [
    integer("id"),
    string("status", "state"),
    string("target_url"),
    string("description"),
    string("context"),
    string("url", lambda row, v: f"{v[0]}/statuses/{row.sha}"),
    obj("creator", lambda row, v: v[1].user(row.creator_id), shape=USER_SHAPE, nullable=True),
    time("created_at", lambda row, _: rfc3339(row.created)),
    time("updated_at", lambda row, _: rfc3339(row.updated)),
])


def _list(name: str, key: str, items: Shape) -> Shape:
    """Gitea's ``{"total_count": n, key: [...]}``; rendered from ``(total, bodies)``."""
    return Shape(name, [integer("total_count", lambda page, _: page[0]),
                        array(key, lambda page, _: page[1], items=items)])


RUNS_SHAPE = _list("ActionWorkflowRunsResponse", "workflow_runs", RUN_SHAPE)
JOBS_SHAPE = _list("ActionWorkflowJobsResponse", "jobs", JOB_SHAPE)
ARTIFACTS_SHAPE = _list("ActionArtifactsResponse", "artifacts", ARTIFACT_SHAPE)
RUNNERS_SHAPE = _list("ActionRunnersResponse", "runners", RUNNER_SHAPE)
WORKFLOWS_SHAPE = _list("ActionWorkflowResponse", "workflows", WORKFLOW_SHAPE)
# Gitea names the tasks' list ``workflow_runs`` too (its ActionTaskResponse).
TASKS_SHAPE = _list("ActionTaskResponse", "workflow_runs", TASK_SHAPE)

# obj: (state, sha, statuses, repository body); view: the repository's API URL
COMBINED_STATUS_SHAPE = Shape("CombinedStatus", [
    string("state", lambda c, _: c[0]),
    string("sha", lambda c, _: c[1]),
    integer("total_count", lambda c, _: len(c[2])),
    array("statuses", lambda c, _: c[2], items=COMMIT_STATUS_SHAPE),
    obj("repository", lambda c, _: c[3], description="Repository"),
    string("commit_url", lambda c, api: f"{api}/commits/{c[1]}"),
    string("url", lambda c, api: f"{api}/commits/{c[1]}/status"),
])


# Every status's ``rest_status`` of a run (no approval asked): what a page renders per run.
_REST_STATUSES = {int(status): rest_status(status) for status in Status}


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
            self._accounts[user_id] = self._user_json(account)
        return self._accounts[user_id]

    def _user_json(self, account) -> dict | None:
        return self.service.accounts.user_json(account, self.viewer) if account else None

    def repository(self, repository) -> dict:
        """Gitea's whole ``Repository`` as the viewer sees it, rendered by git_hosting once per
        repository for this request (a page of runs shares it); its branch count is the one
        read with it when the request asked for it (``require_repository(branch_count=True)``),
        else counted."""
        if repository.id not in self._repositories:
            self._repositories[repository.id] = self.service.hosting.repository_json(
                repository, self.viewer, branch_count=getattr(repository, "branch_count", None))
        return self._repositories[repository.id]

    def runs(self, runs: list, repository) -> list[dict]:
        """A page of runs read with their trigger users (``run_queries.repository_run_page``):
        no account looked up again."""
        for run in runs:
            if run.trigger_user_id and run.trigger_user_id not in self._accounts:
                self._accounts[run.trigger_user_id] = self._user_json(run.trigger_user)
        return self._runs(runs, repository)

    def run(self, run, repository) -> dict:
        return self._runs([run], repository)[0]

    def _runs(self, runs: list, repository) -> list[dict]:
        # The repository's URLs and body once for the page, each status's REST pair from a
        # table: per run they were a third of its own calls (issue 13).
        api = f"{self.service.hosting.api_url(repository)}/actions/runs/"
        html = f"{self.service.hosting.html_url(repository)}/actions/runs/"
        body = self.repository(repository)
        return [RUN_SHAPE(run, _RunView(
            f"{api}{run.id}", f"{html}{run.number}",
            *(_REST_STATUSES.get(run.status) or rest_status(Status(run.status))),
            self.user(run.trigger_user_id), body)) for run in runs]

    def job(self, job, run, repository, task=None, steps=(), runner=None) -> dict:
        status, conclusion = rest_status(Status(job.status))
        return JOB_SHAPE(job, _JobView(
            self.service.hosting.api_url(repository), self.service.hosting.html_url(repository),
            run, status, conclusion or "", runner, steps))

    def jobs(self, jobs: list, repository) -> list[dict]:
        """Jobs with their steps and runners: three queries for a whole page."""
        from plue_actions.models import Run, Runner, Task, TaskStep

        task_ids = [job.task_id for job in jobs if job.task_id]
        tasks = {task.id: task for task in Task.select().where(Task.id.in_(task_ids))} if task_ids else {}
        steps: dict[int, list] = {}
        if task_ids:
            for step in TaskStep.select().where(TaskStep.task.in_(task_ids)).order_by(TaskStep.index):
                steps.setdefault(step.task_id, []).append(step)
        runner_ids = [task.runner_id for task in tasks.values() if task.runner_id]
        runners = {r.id: r for r in Runner.select().where(Runner.id.in_(runner_ids))} if runner_ids else {}
        runs = {run.id: run for run in Run.select().where(Run.id.in_({job.run_id for job in jobs}))} \
            if jobs else {}
        rendered = []
        for job in jobs:
            task = tasks.get(job.task_id)
            rendered.append(self.job(job, runs[job.run_id], repository, task,
                                     steps.get(job.task_id, []),
                                     runners.get(task.runner_id) if task else None))
        return rendered

    def workflow(self, repository, workflow_id: str, name: str, path: str,
                 disabled: bool) -> dict:
        """Gitea's ``ActionWorkflow``."""
        return WORKFLOW_SHAPE((workflow_id, name, path, disabled), (
            self.service.hosting.api_url(repository), self.service.hosting.html_url(repository),
            repository.default_branch))

    @staticmethod
    def step(step) -> dict:
        return STEP_SHAPE(step)

    def artifact(self, artifact, run, repository) -> dict:
        return ARTIFACT_SHAPE(artifact, (self.service.hosting.api_url(repository),
                                         self.run(run, repository)))

    @staticmethod
    def runner(runner, online: bool, busy: bool) -> dict:
        return RUNNER_SHAPE(runner, (online, busy))

    @staticmethod
    def secret(secret) -> dict:
        return SECRET_SHAPE(secret)

    @staticmethod
    def variable(variable) -> dict:
        return VARIABLE_SHAPE(variable)

    def commit_status(self, row, repository) -> dict:
        return COMMIT_STATUS_SHAPE(row, (self.service.hosting.api_url(repository), self))
