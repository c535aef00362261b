"""Runs and jobs across repositories (``/admin``, ``/orgs/{org}``, ``/user``) for dashboards
and autoscalers (``GET /api/v1/admin/actions/jobs?status=queued``), and a run's attempts."""

from __future__ import annotations

from plue_core.errors import NotFound
from plue_core.openapi import operation
from plue_core.pagination import paginate

from plue_actions.models import Job, Run, RunAttempt
from plue_actions.schemas.shapes import JOBS_SHAPE, RUNS_SHAPE, RUN_SHAPE
from plue_actions.resources.access import ScopedResource
from plue_actions.resources.runs import JobRendering, get_run, status_filter



class _Scoped(ScopedResource, JobRendering):
    def owner_filter(self, req, params, column):
        owner_id, _ = self.scope(req, params, write=False)
        return True if owner_id == 0 else column == owner_id

    def repositories(self, ids) -> dict:
        return {i: self.service.repository_of(i) for i in set(ids)}


class ScopedRunsResource(_Scoped):
    @operation("List workflow runs of every repository in this scope", response=RUNS_SHAPE,
               tags=["actions"])
    def on_get(self, req, resp, **params):
        query = Run.select().where(self.owner_filter(req, params, Run.owner_id))
        for name, column in (("event", Run.event), ("head_sha", Run.commit_sha)):
            if req.get_param(name):
                query = query.where(column == req.get_param(name))
        if req.get_param("branch"):
            query = query.where(Run.ref == f"refs/heads/{req.get_param('branch')}")
        query = query.where(status_filter(req.get_param("status"), Run.status))
        total = query.count()
        runs = paginate(req, resp, query.order_by(Run.id.desc()), self.pagination, total=total)
        repositories = self.repositories(run.repository_id for run in runs)
        shapes = self.shapes(req)
        resp.media = RUNS_SHAPE((total, [
            shapes.run(run, repositories[run.repository_id]) for run in runs
            if repositories[run.repository_id] is not None]))


class ScopedJobsResource(_Scoped):
    @operation("List workflow jobs of every repository in this scope", response=JOBS_SHAPE,
               tags=["actions"])
    def on_get(self, req, resp, **params):
        query = Job.select().where(self.owner_filter(req, params, Job.owner_id))
        query = query.where(status_filter(req.get_param("status"), Job.status))
        total = query.count()
        jobs = paginate(req, resp, query.order_by(Job.id.desc()), self.pagination, total=total)
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
        row = RunAttempt.get_or_none((RunAttempt.run == run.id) & (RunAttempt.attempt == attempt))
        if row is None:
            raise NotFound(f"run {run_id} has no attempt {attempt}")
        return repository, run, row

    @operation("Get one attempt of a workflow run", response=RUN_SHAPE, tags=["actions"])
    def on_get(self, req, resp, owner, repo, run_id, attempt):
        repository, run, row = self._attempt(req, owner, repo, run_id, attempt)
        run.attempt, run.status, run.started, run.stopped = row.attempt, row.status, row.started, row.stopped
        run.trigger_user_id = row.trigger_user_id or run.trigger_user_id
        resp.media = self.shapes(req).run(run, repository)

    @operation("List the jobs of one attempt of a workflow run", response=JOBS_SHAPE,
               tags=["actions"])
    def on_get_jobs(self, req, resp, owner, repo, run_id, attempt):
        repository, run, row = self._attempt(req, owner, repo, run_id, attempt)
        query = Job.select().where((Job.run == run.id) & (Job.attempt == row.attempt))
        query = query.where(status_filter(req.get_param("status"), Job.status))
        total = query.count()
        jobs = paginate(req, resp, query.order_by(Job.id), self.pagination, total=total)
        resp.media = JOBS_SHAPE((total, self.render_jobs(req, jobs, repository)))



