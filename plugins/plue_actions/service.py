"""``ctx.services["actions"]``: the plugin's shared state (settings, the secrets box, the
per-process queue watcher) and what other plugins may ask of actions.

Other plugins use nothing of actions but this object (see docs/actions.md, "Service API for
other plugins"): its methods for every change, and the tables it documents as readable
(``models``, ``Status``) for their views. The methods call the plugin's own modules, so a run
started or a job finished here moves on exactly as one started by a push or a runner."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import pathlib
import time

from plue_core.db import write_transaction
from plue_core.errors import Conflict
from plue_workflows.errors import WorkflowError
from plue_workflows.statuses import Status
from plue_actions import artifacts, dispatching, emitter, job_reads, logs, reporting, wakeups
from plue_actions import secrets as scoped_secrets
from plue_actions import variables as scoped_variables
from plue_actions import models as tables
from plue_actions import runner_registry
from plue_actions.models import CommitStatus
from plue_actions.claim import step_names
from plue_actions.contexts import repository_payload
from plue_actions.crypto import SecretBox
from plue_actions.dispatching import files_at
from plue_actions.rerun import rerun
from plue_actions.run_lock import lock_run
from plue_actions.runs import create_run
from plue_actions.schemas.shapes import Shapes
from plue_actions.triggers import disabled_workflows
from plue_actions.wakeups import QueueWatcher
from plue_actions.workflow_files import parse_workflow

REPOSITORY_MEMO_SECONDS = 5.0


class ActionsModels:
    """The actions tables other plugins may query (join, filter, count, page) for their
    views. Read-only: every write goes through an :class:`ActionsService` method, which keeps
    runs, commit statuses and runner wake-ups consistent."""

    Run = tables.Run  # action_run: one workflow run
    Job = tables.Job  # action_run_job: a job (one per matrix combination) of a run
    Task = tables.Task  # action_task: a job's attempt on a runner (``Job.task_id``: the latest)
    TaskStep = tables.TaskStep  # action_task_step: a task's steps with their log ranges
    Runner = tables.Runner  # action_runner: a registered runner
    Artifact = tables.Artifact  # action_artifact: a file a job uploaded, by name in its run


class ActionsService:
    models = ActionsModels  # readable tables (see above)
    Status = Status  # run/job/task/step statuses (Gitea's integer codes)
    WorkflowError = WorkflowError  # raised by parse_workflow for a workflow that cannot run

    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("actions")
        self.base_url = ctx.config.base_url.rstrip("/")
        self.box = SecretBox(ctx.secret_key)
        threads = ctx.config.server["threads"]
        held = self.settings["max_held_fetches"] or max(1, threads - 4)
        self.watcher = QueueWatcher(ctx.db, self.settings["wake_poll_interval"], held)
        root = self.settings["storage_dir"] or ctx.config.data_path / "actions"
        self.storage = pathlib.Path(root).absolute()
        self._repositories: dict[int, tuple[float, object]] = {}
        # Other plugins may hold jobs back from runners (RunnerHub's paused queues): each
        # entry is called once per pick and returns a predicate ``held_back(job) -> bool``.
        self.claim_filters: list = []

    @functools.cached_property
    def hosting(self):
        """The git_hosting service (repositories, permissions, git access)."""
        return self.ctx.services["git_hosting"]

    @property
    def accounts(self):
        """The accounts service (users, organizations, teams)."""
        return self.ctx.services["accounts"]

    def actor_name(self, run) -> str:
        """The trigger user's name ('' when gone or none, e.g. a schedule)."""
        if not run.trigger_user_id:
            return ""
        account = self.accounts.find_account_by_id(run.trigger_user_id)  # a compiled read
        return account.name if account else ""

    def repository_of(self, repository_id: int):
        """The repository row for names and URLs, memoised for a few seconds: one FetchTask
        or UpdateTask needs it several times, and a rename showing 5 s late is harmless.
        (Triggers and permission checks always read it fresh.)"""
        now = time.monotonic()
        cached = self._repositories.get(repository_id)
        if cached is not None and now - cached[0] < REPOSITORY_MEMO_SECONDS:
            return cached[1]
        repository = self.hosting.get_repository_by_id(repository_id)
        if len(self._repositories) > 1024:
            self._repositories.clear()
        self._repositories[repository_id] = (now, repository)
        return repository

    def forget_repository_memo(self, repository_id: int) -> None:
        """Drop the memoised row, e.g. after the repository was renamed or deleted."""
        self._repositories.pop(repository_id, None)

    # --- Gitea's shapes by id, for faces that heard an event (webhooks) ---------------------

    def run_json(self, run_id: int, viewer=None) -> dict | None:
        """Gitea's ``ActionWorkflowRun`` (None when the run is gone)."""
        run = self.models.Run.get_or_none(self.models.Run.id == run_id)
        repository = self.hosting.get_repository_by_id(run.repository_id) if run else None
        return Shapes(self, viewer).run(run, repository) if repository else None

    def workflow_json_of_run(self, run_id: int, viewer=None) -> dict | None:
        """Gitea's ``ActionWorkflow`` of the workflow ``run_id`` ran."""
        run = self.models.Run.get_or_none(self.models.Run.id == run_id)
        repository = self.hosting.get_repository_by_id(run.repository_id) if run else None
        if repository is None:
            return None
        disabled = run.workflow_id in disabled_workflows(repository.id)
        return Shapes(self, viewer).workflow(repository, run.workflow_id, run.workflow_name,
                                             run.workflow_path, disabled)

    def job_json(self, job_id: int, viewer=None) -> dict | None:
        """Gitea's ``ActionWorkflowJob`` with its steps (None when the job is gone)."""
        job = self.models.Job.get_or_none(self.models.Job.id == job_id)
        repository = self.hosting.get_repository_by_id(job.repository_id) if job else None
        return Shapes(self, viewer).jobs([job], repository)[0] if repository else None

    def commit_status_json(self, status_id: int, viewer=None) -> dict | None:
        """Gitea's ``CommitStatus`` (None when it is gone)."""
        row = CommitStatus.get_or_none(CommitStatus.id == status_id)
        repository = self.hosting.get_repository_by_id(row.repository_id) if row else None
        return Shapes(self, viewer).commit_status(row, repository) if repository else None

    def run_html_url(self, run, job=None) -> str:
        """The web address of ``run`` (of ``job`` in it, when given)."""
        repository = self.repository_of(run.repository_id)
        base = self.hosting.html_url(repository) if repository else self.base_url
        url = f"{base}/actions/runs/{run.number}"
        return f"{url}/jobs/{job.id}" if job is not None and job.id else url

    def held_back_predicate(self):
        """For one pick: True for a job some plugin's claim filter holds back now. The
        filters are asked (a query each) at the first job a runner could take: a pick that
        finds none, as most wake-ups of the runners another one beat, asks nothing."""
        predicates = None

        def held_back(job) -> bool:
            nonlocal predicates
            if predicates is None:
                predicates = [factory() for factory in self.claim_filters]
            return any(predicate(job) for predicate in predicates)
        return held_back

    def job_log_text(self, identity, job_id: int) -> str | None:
        """The whole log of job ``job_id`` as the REST log download has it, when ``identity``
        (None: anonymous) may read the job's repository; None when the job does not exist or
        is hidden from the caller (answer 404). Used by the security plugin's secret scan."""
        Job, Task = tables.Job, tables.Task
        job = Job.get_or_none(Job.id == job_id)
        repository = self.hosting.get_repository_by_id(job.repository_id) if job else None
        if repository is None or not self.hosting.allows(identity, repository, "read"):
            return None
        lines = []
        task = Task.get_or_none(Task.id == job.task_id) if job.task_id else None
        if task is not None:
            lines = [f"{moment} {content}" for moment, content in self.task_log_lines(task)]
        if job.reason:
            lines.append(job.reason)
        return "\n".join(lines)

    # -- runners -----------------------------------------------------------------------

    def register_runner(self, owner_id: int, name: str, labels) -> tuple[object, str]:
        """Register a runner in scope ``(owner_id, 0)`` as a runner.v1 Register with the
        scope's registration token does; returns it (offline until its first runner.v1 call)
        and its token, shown this once. Joins the caller's transaction."""
        with write_transaction(self.ctx.db):
            registration, _ = runner_registry.registration_token(
                self.box, owner_id, 0, self.settings["registration_token_ttl"])
            runner, token = runner_registry.register(registration, name, labels, "", False)
            runner.last_online = None  # registered, not yet seen
            tables.Runner.update(last_online=None).where(tables.Runner.id == runner.id).execute()
        return runner, token

    def authenticate_runner(self, runner_uuid: str | None, token: str | None):
        """The runner of the runner.v1 ``x-runner-uuid``/``x-runner-token`` headers, its
        call recorded as a sign of life (as a runner.v1 report is); Unauthorized otherwise."""
        runner = runner_registry.authenticate(runner_uuid, token)
        runner_registry.touch(runner, active=True)
        return runner

    def all_runners(self) -> list:
        """Every registered runner (``action_runner`` rows), in id order."""
        return list(tables.Runner.select().order_by(tables.Runner.id))

    def runners_of(self, owner_ids) -> list:
        """The runners registered for any of ``owner_ids`` (user or organization scopes), and
        every repository-scoped runner (the caller keeps those of repositories it may see), in
        id order."""
        Runner = tables.Runner
        return list(Runner.select().where(Runner.owner_id.in_(list(owner_ids))
                                          | (Runner.repository_id != 0)).order_by(Runner.id))

    def running_jobs_of(self, runner_ids) -> dict[int, tuple[int, str, datetime.datetime]]:
        """``{runner_id: (job_id, job_name, started)}`` for each of ``runner_ids`` running a
        task now (its latest task, when the rows disagree)."""
        if not runner_ids:
            return {}
        Task, Job = tables.Task, tables.Job
        rows = (Task.select(Task.runner_id, Task.started, Job.id, Job.name).join(Job)
                .where(Task.runner_id.in_(list(runner_ids)) & (Task.status == int(Status.RUNNING)))
                .order_by(Task.id))
        return {row.runner_id: (row.job.id, row.job.name, row.started) for row in rows}
    def runners_usable_by(self, owner_id: int, repository_id: int = 0) -> list:
        """The runners an owner (``repository_id`` 0) or a repository of ``owner_id`` may
        use, in id order: their own and those above them (the owner's, the global ones), as
        Gitea's runner settings pages list them."""
        Runner = tables.Runner
        scope = (Runner.owner_id == 0) & (Runner.repository_id == 0)
        if owner_id:
            scope |= (Runner.owner_id == owner_id) & (Runner.repository_id == 0)
        if repository_id:
            scope |= Runner.repository_id == repository_id
        return list(Runner.select().where(scope).order_by(Runner.id))

    def jobs_stamped_since(self, since: datetime.datetime):
        """The jobs whose ``updated`` stamp (set by every status change; indexed) is at or
        after ``since``, oldest first, with only ``id``, ``name``, ``status``, ``updated`` and
        ``repository_id`` (RunnerHub's live feed looks once a second)."""
        Job = tables.Job
        return (Job.select(Job.id, Job.name, Job.status, Job.updated, Job.repository_id)
                .where(Job.updated >= since).order_by(Job.updated, Job.id))

    # -- reads for other plugins' job views (RunnerHub): one statement each, in job_reads ----

    job_keys = staticmethod(job_reads.job_keys)
    job_count = staticmethod(job_reads.job_count)
    jobs_with_runs = staticmethod(job_reads.jobs_with_runs)
    job_with_run = staticmethod(job_reads.job_with_run)
    job_counts = staticmethod(job_reads.job_counts)
    stopped_job_counts = staticmethod(job_reads.stopped_job_counts)
    waiting_job_scopes = staticmethod(job_reads.waiting_job_scopes)
    first_job_of_run = staticmethod(job_reads.first_job_of_run)
    task_runner_ids = staticmethod(job_reads.task_runner_ids)
    task_steps = staticmethod(job_reads.task_steps)
    running_task_count = staticmethod(job_reads.running_task_count)
    enabled_owner_runners = staticmethod(job_reads.enabled_owner_runners)

    def job(self, job_id: int):
        """The job row ``job_id`` (None when gone)."""
        return tables.Job.get_or_none(tables.Job.id == job_id)

    def task(self, task_id: int):
        """The task row ``task_id`` (a job's attempt on a runner; None when gone)."""
        return tables.Task.get_or_none(tables.Task.id == task_id)

    def runner(self, runner_id: int):
        """The runner row ``runner_id`` (None when deleted)."""
        return tables.Runner.get_or_none(tables.Runner.id == runner_id)

    def runner_is_online(self, runner) -> bool:
        """Whether ``runner`` called within ``[actions] runner_offline_after`` seconds."""
        return runner_registry.is_online(runner, self.settings["runner_offline_after"])

    def wake_runners(self, scopes) -> None:
        """Tell the runners of each ``(owner_id, repository_id)`` scope to look for work
        again (their held or next FetchTask picks), e.g. after a hold on jobs is lifted."""
        scopes = set(scopes)
        if scopes:
            with write_transaction(self.ctx.db):
                for owner_id, repository_id in scopes:
                    wakeups.bump_versions(self.ctx.db, owner_id, repository_id, self.watcher)

    # -- workflows and runs ----------------------------------------------------------------

    def workflow_files_at(self, repository, ref: str | None = None):
        """``(files, commit_sha, full_ref)``: the workflow files of ``repository`` at ``ref``
        (a branch, tag or commit; the default branch when None). Each file has
        ``workflow_id`` (its file name), ``path`` and ``content``."""
        return files_at(self, repository, ref)

    # parse_workflow(content, workflow_id): the parsed workflow (``.name``, ``.jobs``: key ->
    # spec with ``.name``, ``.needs``); raises :attr:`WorkflowError` naming what is wrong.
    parse_workflow = staticmethod(parse_workflow)

    def workflow_disabled(self, repository_id: int, workflow_id: str) -> bool:
        """Whether the repository's workflow ``workflow_id`` was disabled (REST disable)."""
        return workflow_id in disabled_workflows(repository_id)

    def dispatch_run(self, repository, file, workflow, *, ref: str, sha: str, user,
                     only_jobs: list[str] | None = None):
        """Start a ``workflow_dispatch`` run (no inputs) of ``workflow``, parsed from
        ``file``, at commit ``sha`` of ``ref``, triggered by account ``user``; with
        ``only_jobs`` the run holds just those job keys. Call inside a write transaction. A
        workflow that cannot be planned gives a failed run whose ``error`` says why."""
        if only_jobs is not None:
            kept = {key: spec for key, spec in workflow.jobs.items() if key in only_jobs}
            workflow = dataclasses.replace(workflow, jobs=kept)
        payload = {"inputs": {}, "ref": ref, "workflow": file.path,
                   "repository": repository_payload(self.hosting, repository),
                   "sender": {"login": user.name, "id": user.id}}
        return create_run(self, repository, workflow_path=file.path,
                          workflow_id=file.workflow_id, content=file.content, workflow=workflow,
                          error=None, event="workflow_dispatch", ref=ref, sha=sha,
                          trigger_user_id=user.id, actor=user.name, payload=payload,
                          title=workflow.name)

    # -- what a person does to runs (the web pages; the same rules as the REST endpoints) -----
    # The caller checks the access (write on the repository) first.

    def rerun_run(self, repository, run, identity, *, failed_only: bool = False,
                  job=None):
        """A new attempt of the finished ``run``: of every job, or with ``failed_only`` of
        the failed and cancelled jobs, or of ``job`` (a row — one matrix row — of its current
        attempt), and of those that need them (the others kept as they finished). Conflict
        while it runs, or when there is nothing to re-run."""
        with write_transaction(self.ctx.db):
            run = lock_run(self.ctx.db, run.id)
            return rerun(self, run, repository, identity, failed_only=failed_only, job=job)

    def cancel_run(self, run) -> int:
        """Cancel the unfinished jobs of ``run``'s current attempt; returns how many.
        Conflict when it already finished."""
        with write_transaction(self.ctx.db):
            run = lock_run(self.ctx.db, run.id)
            if Status(run.status).is_done():
                raise Conflict(f"run {run.number} already finished ({Status(run.status).label})")
            return emitter.cancel_run(self, run)

    def run_artifacts(self, run) -> list:
        """The downloadable (confirmed, unexpired) artifacts of ``run``, by name."""
        Artifact = tables.Artifact
        return list(Artifact.select().where((Artifact.run == run.id)
                                            & (Artifact.status == "confirmed"))
                    .order_by(Artifact.name))

    def artifact_zip(self, run, name: str):
        """``(stream, size)`` of ``run``'s artifact ``name`` as a zip archive (the REST
        download's bytes); NotFound when it does not exist or expired."""
        return artifacts.as_zip(self, artifacts.find(run.id, name))

    def dispatch_inputs(self, repository, workflow_id: str, ref: str | None = None, *,
                        files=None):
        """``(file, inputs)``: the workflow ``workflow_id`` at ``ref`` (the default branch
        when None) and its ``workflow_dispatch`` inputs (name -> DispatchInput: ``type``,
        ``description``, ``required``, ``default``, ``options``), parsed once per blob.
        ``files``: the workflow files at ``ref`` when the caller read them already
        (:meth:`workflow_files_at`; git is not read again). Invalid when the workflow
        cannot be parsed or has no ``workflow_dispatch`` trigger; NotFound without it."""
        if files is None:
            files = files_at(self, repository, ref)[0]
        return dispatching.declared_inputs(files, workflow_id)

    def dispatch(self, repository, workflow_id: str, ref: str, inputs: dict, user):
        """Start a ``workflow_dispatch`` run of ``workflow_id`` at ``ref`` with ``inputs``
        (checked and typed against the workflow's declaration, as the REST dispatch does);
        returns the run. Invalid names what is wrong."""
        return dispatching.dispatch(self, repository, workflow_id, ref, inputs, user)

    # -- jobs ------------------------------------------------------------------------------

    def job_step_names(self, job) -> list[str]:
        """Display names of ``job``'s steps, in order, from its workflow (before a runner
        reports any step)."""
        return step_names(job.payload)

    def report_task(self, runner, task_id: int, status: Status | None,
                    stopped: datetime.datetime | None = None) -> None:
        """What a runner.v1 UpdateTask without steps or outputs does: ``status`` None is a
        heartbeat; a finished status stops the task (at ``stopped``, naive UTC, or now) and
        finishes its job, so the run moves on. ``runner`` must hold the task."""
        code = 0 if status is None else int(status)
        reporting.update_task(self, runner, task_id, code, None, stopped, [], {})

    def finish_job(self, job, status: Status, reason: str) -> Status:
        """Finish an unfinished job with ``status`` (stopping its task, if any) and move its
        run on, under the run's lock. Returns the status the job had under the lock: one
        already done is left as it is."""
        with write_transaction(self.ctx.db):
            run = lock_run(self.ctx.db, job.run_id)
            job = tables.Job.get_by_id(job.id)  # as it is now that nobody else moves the run
            found = Status(job.status)
            if found.is_done():
                return found
            if job.task_id:
                emitter.stop_job(self, run, job, reason, status)
                emitter.advance(self, run)
            else:
                emitter.finish_job(self, job, status, reason)
            return found

    def task_log_lines(self, task, start: int = 0) -> list[tuple[str, str]]:
        """``(time, content)`` of a task's log lines from index ``start`` (live rows while
        it runs, the archived file afterwards; none once expired)."""
        return logs.read_lines(self, task, start)

    # --- a repository's secrets and variables, for a face (the web's settings): the API's
    # rules (names upper-cased and checked, sizes); a value goes in and never comes out. The
    # caller checks the repository's admin access first. ---------------------------------

    def repository_secrets(self, repository_id: int) -> list[dict]:
        """Name, description and creation time of each secret (never its value)."""
        return [{"name": row.name, "description": row.description, "created": row.created}
                for row in scoped_secrets.list_secrets(0, repository_id)]

    def put_repository_secret(self, repository_id: int, name: str, data: str,
                              description: str = "") -> bool:
        """Create or replace a secret (True: created); 422 for a bad name or size."""
        return scoped_secrets.put_secret(self.box, 0, repository_id, name, data=data,
                                         description=description)

    def delete_repository_secret(self, repository_id: int, name: str) -> None:
        scoped_secrets.delete_secret(0, repository_id, name)

    def repository_variables(self, repository_id: int) -> list[dict]:
        """Name, description and creation time of each variable (the value stays out)."""
        return [{"name": row.name, "description": row.description, "created": row.created}
                for row in scoped_variables.list_variables(0, repository_id)]

    def create_repository_variable(self, repository_id: int, name: str, value: str,
                                   description: str = "") -> None:
        """422 for a bad name or value, 409 when the name is taken."""
        scoped_variables.create_variable(0, repository_id, name, value, description)

    def delete_repository_variable(self, repository_id: int, name: str) -> None:
        scoped_variables.delete_variable(0, repository_id, name)

    def close(self) -> None:
        """Stop the queue watcher (at shutdown)."""
        self.watcher.close()
