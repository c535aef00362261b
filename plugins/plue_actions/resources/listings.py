"""Runs and jobs across repositories (``/admin``, ``/orgs/{org}``, ``/user``) for dashboards
and autoscalers (``GET /api/v1/admin/actions/jobs?status=queued``), and a run's attempts."""

from __future__ import annotations

from plue_core.openapi import operation
from plue_core.pagination import paginate

from plue_actions import run_queries
from plue_actions.schemas.shapes import JOBS_SHAPE, RUNS_SHAPE, RUN_SHAPE
from plue_actions.resources.access import ScopedResource, scoped_ids
from plue_actions.resources.runs import JobRendering
from plue_actions.run_queries import get_run


class _Scoped(ScopedResource, JobRendering):
    def owner_id(self, req, params) -> int:
        """The owner whose repositories this scope covers; 0 for the whole site."""
        return self.scope(req, params, write=False)[0]

    def repositories(self, ids) -> dict:
        return {i: self.service.repository_of(i) for i in set(ids)}


class ScopedRunsResource(_Scoped):
    @operation("List workflow runs of every repository in this scope", response=RUNS_SHAPE,
               tags=["actions"], operation_id=scoped_ids(
                   "/runs", org="getOrgWorkflowRuns", user="getUserWorkflowRuns",
                   admin="listAdminWorkflowRuns"))
    def on_get(self, req, resp, **params):
        query = run_queries.runs(
            owner_id=self.owner_id(req, params), event=req.get_param("event"),
            head_sha=req.get_param("head_sha"), branch=req.get_param("branch"),
            status=req.get_param("status"))
        total = query.count()
        runs = paginate(req, resp, run_queries.newest_first(query), self.pagination, total=total)
        repositories = self.repositories(run.repository_id for run in runs)
        shapes = self.shapes(req)
        resp.media = RUNS_SHAPE((total, [
            shapes.run(run, repositories[run.repository_id]) for run in runs
            if repositories[run.repository_id] is not None]))


class ScopedJobsResource(_Scoped):
    @operation("List workflow jobs of every repository in this scope", response=JOBS_SHAPE,
               tags=["actions"], operation_id=scoped_ids(
                   "/jobs", org="getOrgWorkflowJobs", user="getUserWorkflowJobs",
                   admin="listAdminWorkflowJobs"))
    def on_get(self, req, resp, **params):
        query = run_queries.jobs(owner_id=self.owner_id(req, params), status=req.get_param("status"))
        total = query.count()
        jobs = paginate(req, resp, run_queries.newest_first(query), self.pagination, total=total)
        repositories = self.repositories(job.repository_id for job in jobs)
        rendered = []
        for repository_id, repository in repositories.items():
            mine = [job for job in jobs if job.repository_id == repository_id]
            if repository is not None:
                rendered += self.render_jobs(req, mine, repository)
        rendered.sort(key=lambda job: -job["id"])
        resp.media = JOBS_SHAPE((total, rendered))


class RunAttemptResource(JobRendering):
    def _attempt(self, req, owner, repo, run_id, attempt):
        repository = self.repository(req, owner, repo)
        run = get_run(repository, run_id)
        return repository, run, run_queries.get_attempt(run, attempt)

    @operation("Get one attempt of a workflow run", response=RUN_SHAPE, tags=["actions"],
               operation_id="getWorkflowRunAttempt")
    def on_get(self, req, resp, owner, repo, run_id, attempt):
        repository, run, row = self._attempt(req, owner, repo, run_id, attempt)
        run.attempt, run.status, run.started, run.stopped = row.attempt, row.status, row.started, row.stopped
        run.trigger_user_id = row.trigger_user_id or run.trigger_user_id
        resp.media = self.shapes(req).run(run, repository)

    @operation("List the jobs of one attempt of a workflow run", response=JOBS_SHAPE,
               tags=["actions"], operation_id="listWorkflowRunAttemptJobs")
    def on_get_jobs(self, req, resp, owner, repo, run_id, attempt):
        repository, run, row = self._attempt(req, owner, repo, run_id, attempt)
        query = run_queries.jobs_of_attempt(run, row.attempt, req.get_param("status"))
        total = query.count()
        jobs = paginate(req, resp, query, self.pagination, total=total)
        resp.media = JOBS_SHAPE((total, self.render_jobs(req, jobs, repository)))



