"""Runs and jobs: list, get, delete, rerun, cancel, job logs."""

from __future__ import annotations

import falcon

from plue_core.content_disposition import content_disposition
from plue_core.db import write_transaction
from plue_core.errors import BadRequest, Conflict
from plue_core.openapi import operation
from plue_core.pagination import Page, paginate
from plue_core.identity import current_identity

from plue_workflows.statuses import Status
from plue_actions import emitter, logs, rerun
from plue_actions.run_queries import get_job, get_run
from plue_actions.schemas.shapes import (
    JOBS_SHAPE, JOB_SHAPE, RUNS_SHAPE, RUN_SHAPE, TASK_SHAPE, TASKS_SHAPE)
from plue_actions.resources.access import ActionsResource
from plue_actions import run_queries
from plue_actions.run_lock import lock_run

class JobRendering(ActionsResource):
    def render_jobs(self, req, jobs: list, repository) -> list[dict]:
        """Jobs with their steps and runners: three queries for a whole page."""
        return self.shapes(req).jobs(jobs, repository)


class RunListing(ActionsResource):
    def list_runs(self, req, resp, repository, workflow_id: str | None = None) -> None:
        """Gitea's run list of ``repository`` (of one workflow file with ``workflow_id``),
        newest first, with its query filters."""
        trigger_user_id = None
        if req.get_param("actor"):
            user = self.accounts.find_user(req.get_param("actor"))
            trigger_user_id = user.id if user else -1
        page = Page.from_request(req, self.pagination)
        total, runs = run_queries.repository_run_page(
            repository.id, page.limit, page.offset, event=req.get_param("event"),
            branch=req.get_param("branch"), head_sha=req.get_param("head_sha"),
            trigger_user_id=trigger_user_id, status=req.get_param("status"),
            workflow_id=workflow_id)
        page.set_headers(req, resp, total)
        resp.media = RUNS_SHAPE((total, self.shapes(req).runs(runs, repository)))


class RunsResource(RunListing):
    @operation("List a repository's workflow runs", response=RUNS_SHAPE, tags=["actions"],
               operation_id="getWorkflowRuns")
    def on_get(self, req, resp, owner, repo):
        self.list_runs(req, resp, self.repository(req, owner, repo, branch_count=True))


class RunResource(ActionsResource):
    @operation("Get a workflow run", response=RUN_SHAPE, tags=["actions"],
               operation_id="GetWorkflowRun")
    def on_get(self, req, resp, owner, repo, run_id):
        repository = self.repository(req, owner, repo)
        resp.media = self.shapes(req).run(get_run(repository, run_id), repository)

    @operation("Delete a finished workflow run", tags=["actions"], operation_id="deleteActionRun")
    def on_delete(self, req, resp, owner, repo, run_id):
        repository = self.repository(req, owner, repo, "write")
        with write_transaction(self.service.ctx.db):
            run = lock_run(self.service.ctx.db, get_run(repository, run_id).id)
            if not Status(run.status).is_done():
                # Gitea (routers/api/v1/repo/action.go DeleteActionRun): 400, "not done".
                raise BadRequest(f"run {run_id} is not done ({Status(run.status).label}): cancel it first")
            files = run_queries.stored_files(run)
            run.delete_instance(recursive=False)
        for relative in files:  # after the commit: a failed delete keeps its files
            path = self.service.storage / relative
            if path.exists():
                path.unlink()
        resp.status = falcon.HTTP_204


class RunJobsResource(JobRendering):
    @operation("List the jobs of a workflow run (its latest attempt)", response=JOBS_SHAPE,
               tags=["actions"], operation_id="listWorkflowRunJobs")
    def on_get(self, req, resp, owner, repo, run_id):
        repository = self.repository(req, owner, repo)
        run = get_run(repository, run_id)
        query = run_queries.jobs_of_attempt(run, run.attempt, req.get_param("status"))
        total = query.count()
        jobs = paginate(req, resp, query, self.pagination, total=total)
        resp.media = JOBS_SHAPE((total, self.render_jobs(req, jobs, repository)))


class RepoJobsResource(JobRendering):
    @operation("List a repository's workflow jobs", response=JOBS_SHAPE, tags=["actions"],
               operation_id="listWorkflowJobs")
    def on_get(self, req, resp, owner, repo):
        repository = self.repository(req, owner, repo)
        query = run_queries.jobs(repository_id=repository.id, status=req.get_param("status"))
        total = query.count()
        jobs = paginate(req, resp, run_queries.newest_first(query), self.pagination, total=total)
        resp.media = JOBS_SHAPE((total, self.render_jobs(req, jobs, repository)))


class RepoTasksResource(ActionsResource):
    """Gitea's ``ListActionTasks``: the repository's tasks (each attempt of a job a runner
    took), newest first, each with its job's and run's names (one query for the page)."""

    @operation("List a repository's action tasks", response=TASKS_SHAPE, tags=["repository"],
               query=("page", "limit"), operation_id="ListActionTasks")
    def on_get(self, req, resp, owner, repo):
        repository = self.repository(req, owner, repo)
        query = run_queries.repository_tasks(repository.id)
        total = query.count()
        tasks = paginate(req, resp, query, self.pagination, total=total)
        resp.media = TASKS_SHAPE((total, TASK_SHAPE.many(tasks, self.hosting.html_url(repository))))


class JobResource(JobRendering):
    @operation("Get a workflow job", response=JOB_SHAPE, tags=["actions"],
               operation_id="getWorkflowJob")
    def on_get(self, req, resp, owner, repo, job_id):
        repository = self.repository(req, owner, repo)
        resp.media = self.render_jobs(req, [get_job(repository, job_id)], repository)[0]


class JobLogsResource(ActionsResource):
    @operation("Download a job's log (plain text, live while it runs)", tags=["actions"],
               operation_id="downloadActionsRunJobLogs")
    def on_get(self, req, resp, owner, repo, job_id):
        repository = self.repository(req, owner, repo)
        job = get_job(repository, job_id)
        lines = []
        if job.reason:
            lines.append(job.reason)
        if (task := run_queries.task_of(job)) is not None:
            lines = [f"{moment} {content}" for moment, content in logs.read_lines(self.service, task)] \
                + lines
        resp.content_type = "text/plain; charset=utf-8"
        resp.set_header("Content-Disposition", content_disposition("attachment", f"job-{job.id}.log"))
        resp.text = "\n".join(lines) + ("\n" if lines else "")


class _Rerunning(JobRendering):
    def rerun(self, req, owner, repo, run_id, *, job=None, failed_only=False):
        """Re-run the run ``run_id`` (every job, its failed ones, or ``job`` — a row of its
        current attempt — and what needs them): the repository, the run and, for ``job``, its
        row in the new attempt. Gitea answers 400 where the web pages answer 409."""
        repository = self.repository(req, owner, repo, "write")
        with write_transaction(self.service.ctx.db):
            run = lock_run(self.service.ctx.db, get_run(repository, run_id).id)
            if job is not None:
                job = run_queries.job_of_attempt(run, job)
            try:
                rerun.rerun(self.service, run, repository, current_identity(req),
                            failed_only=failed_only, job=job)
            except rerun.NotRerunnable as error:
                raise BadRequest(str(error)) from None
            again = job and run_queries.job_again(run, job)
        return repository, run, again


class RerunResource(_Rerunning):
    @operation("Re-run a finished workflow run as a new attempt", response=RUN_SHAPE,
               tags=["actions"], operation_id="rerunWorkflowRun")
    def on_post(self, req, resp, owner, repo, run_id):
        repository, run, _ = self.rerun(req, owner, repo, run_id)
        resp.status = falcon.HTTP_201
        resp.media = self.shapes(req).run(run, repository)


class RerunFailedResource(_Rerunning):
    @operation("Re-run the failed and cancelled jobs of a finished run, and those that need "
               "them", tags=["actions"], operation_id="rerunFailedWorkflowRun")
    def on_post(self, req, resp, owner, repo, run_id):
        self.rerun(req, owner, repo, run_id, failed_only=True)
        resp.status = falcon.HTTP_201  # Gitea: no body


class RerunJobResource(_Rerunning):
    @operation("Re-run one job of a finished run, and the jobs that need it", response=JOB_SHAPE,
               tags=["actions"], operation_id="rerunWorkflowJob")
    def on_post(self, req, resp, owner, repo, run_id, job_id):
        repository, _, again = self.rerun(req, owner, repo, run_id, job=job_id)
        resp.status = falcon.HTTP_201
        resp.media = self.render_jobs(req, [again], repository)[0]


class CancelResource(ActionsResource):
    @operation("Cancel a workflow run", tags=["actions"])
    def on_post(self, req, resp, owner, repo, run_id):
        repository = self.repository(req, owner, repo, "write")
        with write_transaction(self.service.ctx.db):
            run = lock_run(self.service.ctx.db, get_run(repository, run_id).id)
            if Status(run.status).is_done():
                raise Conflict(f"run {run_id} already finished ({Status(run.status).label})")
            emitter.cancel_run(self.service, run)
        resp.status = falcon.HTTP_202
        resp.media = {}
