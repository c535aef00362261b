"""A repository's Actions: the runs (``/actions?workflow=&branch=&status=``), a run with its
jobs in ``needs`` order (``/actions/runs/{n}``), and a job with its steps and log
(``/actions/runs/{n}/jobs/{id}``, the address the API's ``html_url`` gives), whose new lines a
viewer polls from ``…/logs?start=`` while it runs, and a workflow's status badge
(``/actions/workflows/{file}/badge.svg``). The tables are read through the actions
service's documented read-only door (``ActionsService.models``); log lines through
``task_log_lines``."""

from __future__ import annotations

from plue_core.accounts.models import Account
from plue_core.errors import Invalid, NotFound
from plue_core.identity import current_identity

from plue_web.badges import badge_svg
from plue_web.pages.base import Paging
from plue_web.pages.repository import RepositoryPage

# How often a running job's page asks for new lines: a line shows within this plus one short
# request (the promise is 2 s). Each ask answers at once, so no server thread is held
# for a viewer between asks; a thousand viewers cost a thousand short requests a second.
LOG_POLL_MS = 1000


def needs_order(jobs: list) -> list:
    """Jobs so that each comes after the jobs it needs (then in creation order)."""
    placed: list = []
    done: set[str] = set()
    waiting = list(jobs)
    while waiting:
        ready = [job for job in waiting if all(need in done for need in (job.needs or []))] \
            or waiting[:1]  # a cycle or an unknown need: keep creation order
        for job in ready:
            placed.append(job)
            done.add(job.job_id)
            waiting.remove(job)
    return placed


class ActionsPage(RepositoryPage):
    @property
    def actions(self):
        return self.face.actions

    def repository_access(self, req, owner, repo):
        access = self.access(req, owner, repo)
        if not access.repository.has_actions:
            raise NotFound(f"repository {access.repository.full_name} has Actions disabled")
        return access

    def repository(self, req, owner, repo):
        return self.repository_access(req, owner, repo).repository

    @staticmethod
    def can_control(req, access) -> bool:
        """Whether the viewer may re-run, cancel and dispatch (the controls' own check is
        the one that counts; this only decides which buttons to show)."""
        return current_identity(req) is not None and access.allows("write") \
            and not access.repository.is_archived

    def status(self, code: int) -> str:
        return self.actions.Status(code).label

    def run(self, repository, number: int):
        Run = self.actions.models.Run
        run = Run.get_or_none((Run.repository_id == repository.id) & (Run.number == number))
        if run is None:
            raise NotFound(f"run {number} does not exist in {repository.full_name}")
        return run


class RunsPage(ActionsPage):
    def on_get(self, req, resp, owner, repo):
        access = self.repository_access(req, owner, repo)
        repository = access.repository
        Run = self.actions.models.Run
        query = Run.select().where(Run.repository_id == repository.id)
        filters = {name: (req.get_param(name) or "").strip() for name in
                   ("workflow", "branch", "status")}
        if filters["workflow"]:
            query = query.where(Run.workflow_id == filters["workflow"])
        if filters["branch"]:
            query = query.where(Run.ref == f"refs/heads/{filters['branch']}")
        if filters["status"]:
            try:
                status = self.actions.Status.from_label(filters["status"])
            except ValueError:
                raise Invalid(f"status: no status {filters['status']!r}; use success, failure, "
                              "cancelled, skipped, waiting, running or blocked") from None
            query = query.where(Run.status == int(status))
        page = self.page_number(req)
        total = query.count()
        runs = list(query.order_by(Run.number.desc()).offset((page - 1) * self.page_size)
                    .limit(self.page_size))
        actor_ids = {run.trigger_user_id for run in runs if run.trigger_user_id}
        actors = {account.id: account.name for account in
                  Account.select(Account.id, Account.name).where(Account.id.in_(actor_ids))} \
            if actor_ids else {}
        workflows = [row.workflow_id for row in Run.select(Run.workflow_id).distinct()
                     .where(Run.repository_id == repository.id).order_by(Run.workflow_id)]
        rows = [{"run": run, "status": self.status(run.status),
                 "branch": run.ref.removeprefix("refs/heads/").removeprefix("refs/tags/"),
                 "actor": actors.get(run.trigger_user_id, "")} for run in runs]
        query_string = "&".join(f"{name}={value}" for name, value in filters.items() if value)
        self.render(req, resp, "actions/runs.html", runs=rows, filters=filters,
                    workflows=workflows, paging=Paging(page, self.page_size, total),
                    page_base=f"?{query_string}&" if query_string else "?",
                    can_control=self.can_control(req, access),
                    can_admin=current_identity(req) is not None and access.allows("admin"),
                    **self.common(req, repository))


class RunPage(ActionsPage):
    def on_get(self, req, resp, owner, repo, number):
        access = self.repository_access(req, owner, repo)
        repository = access.repository
        run = self.run(repository, number)
        Job = self.actions.models.Job
        jobs = needs_order(list(Job.select().where((Job.run == run.id) & (Job.attempt == run.attempt))
                                .order_by(Job.id)))
        steps = self.steps_of([job.task_id for job in jobs if job.task_id])
        rows = [{"job": job, "status": self.status(job.status),
                 "steps": steps.get(job.task_id, [])} for job in jobs]
        state = self.status(run.status)
        self.render(req, resp, "actions/run.html", run=run, state=state, jobs=rows,
                    artifacts=self.actions.run_artifacts(run),
                    can_control=self.can_control(req, access),
                    done=self.actions.Status(run.status).is_done(),
                    some_failed=any(row["status"] in ("failure", "cancelled") for row in rows),
                    **self.common(req, repository))

    def steps_of(self, task_ids: list[int]) -> dict[int, list]:
        """Each task's steps, in one query."""
        if not task_ids:
            return {}
        TaskStep = self.actions.models.TaskStep
        found: dict[int, list] = {}
        for step in TaskStep.select().where(TaskStep.task.in_(task_ids)).order_by(TaskStep.index):
            found.setdefault(step.task_id, []).append(
                {"name": step.name, "status": self.status(step.status),
                 "log_index": step.log_index, "log_length": step.log_length})
        return found


class JobPage(RunPage):
    def job(self, req, owner, repo, number, job_id):
        access = self.repository_access(req, owner, repo)
        repository = access.repository
        run = self.run(repository, number)
        Job, Task = self.actions.models.Job, self.actions.models.Task
        job = Job.get_or_none((Job.id == job_id) & (Job.run == run.id))
        if job is None:
            raise NotFound(f"job {job_id} does not exist in run {number}")
        task = Task.get_or_none(Task.id == job.task_id) if job.task_id else None
        return access, run, job, task

    def on_get(self, req, resp, owner, repo, number, job_id):
        access, run, job, task = self.job(req, owner, repo, number, job_id)
        lines = self.actions.task_log_lines(task) if task is not None else []
        steps = self.steps_of([task.id]).get(task.id, []) if task is not None else [
            {"name": name, "status": "waiting", "log_index": 0, "log_length": 0}
            for name in self.actions.job_step_names(job)]
        for step in steps:
            step["lines"] = [content for _, content in
                             lines[step["log_index"]:step["log_index"] + step["log_length"]]]
        status = self.status(job.status)
        live = status in ("waiting", "running", "blocked")
        # The whole log while it grows (steps are reported as they end) or when no step
        # holds its lines; else each step's part of it.
        self.render(req, resp, "actions/job.html", run=run, job=job, state=status,
                    steps=steps, lines=[content for _, content in lines], live=live,
                    log_poll_ms=LOG_POLL_MS,
                    whole_log=live or not any(step["lines"] for step in steps),
                    can_rerun=self.can_control(req, access)
                    and self.actions.Status(run.status).is_done(),
                    **self.common(req, access.repository))


class JobLogPage(JobPage):
    """``GET …/logs?start=N``: the job's log lines from N and whether more may come (what the
    job page's script polls; the page itself shows the whole log without it)."""

    def on_get(self, req, resp, owner, repo, number, job_id):
        _, _, job, task = self.job(req, owner, repo, number, job_id)
        start = req.get_param_as_int("start", min_value=0) or 0
        lines = self.actions.task_log_lines(task, start) if task is not None else []
        status = self.status(job.status)
        resp.media = {"lines": [content for _, content in lines], "next": start + len(lines),
                      "status": status, "done": status not in ("waiting", "running", "blocked")}


class WorkflowBadgePage(ActionsPage):
    """``/actions/workflows/{file}/badge.svg?branch=&event=``: the latest run's status of the
    workflow (plue_web.badges), where the API's ``badge_url`` points."""

    def on_get(self, req, resp, owner, repo, workflow):
        repository = self.repository(req, owner, repo)
        Run = self.actions.models.Run
        branch = (req.get_param("branch") or "").strip() or repository.default_branch
        query = Run.select(Run.status).where(
            (Run.repository_id == repository.id) & (Run.workflow_id == workflow)
            & (Run.ref == f"refs/heads/{branch}"))
        if event := (req.get_param("event") or "").strip():
            query = query.where(Run.event == event)
        latest = query.order_by(Run.number.desc()).first()
        message = self.status(latest.status) if latest is not None else "no status"
        resp.content_type = "image/svg+xml"
        resp.text = badge_svg(workflow.rsplit(".", 1)[0] if "." in workflow else workflow,
                              message)
        # A README shows it from elsewhere: always the latest, never a cached one.
        resp.set_header("Cache-Control", "no-cache")
