"""``ctx.services["actions"]``: the plugin's shared state (settings, the secrets box, the
per-process queue watcher) and what other plugins may ask of actions."""

from __future__ import annotations

import functools
import pathlib
import time

from plugins.plue_actions.crypto import SecretBox
from plugins.plue_actions.wakeups import QueueWatcher

REPOSITORY_MEMO_SECONDS = 5.0


class ActionsService:
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
        return self.ctx.services["git_hosting"]

    @property
    def accounts(self):
        return self.ctx.services["accounts"]

    def actor_name(self, run) -> str:
        """The trigger user's name ('' when gone or none, e.g. a schedule)."""
        if not run.trigger_user_id:
            return ""
        from plue_core.accounts.models import Account

        account = Account.get_or_none(Account.id == run.trigger_user_id)
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
        self._repositories.pop(repository_id, None)

    def run_html_url(self, run, job=None) -> str:
        repository = self.repository_of(run.repository_id)
        base = self.hosting.html_url(repository) if repository else self.base_url
        url = f"{base}/actions/runs/{run.number}"
        return f"{url}/jobs/{job.id}" if job is not None and job.id else url

    def held_back_predicate(self):
        """For one pick: True for a job some plugin's claim filter holds back now."""
        predicates = [factory() for factory in self.claim_filters]
        return lambda job: any(predicate(job) for predicate in predicates)

    def job_log_text(self, identity, job_id: int) -> str | None:
        """The whole log of job ``job_id`` as the REST log download has it, when ``identity``
        (None: anonymous) may read the job's repository; None when the job does not exist or
        is hidden from the caller (answer 404). Used by the security plugin's secret scan."""
        from plugins.plue_actions import logs
        from plugins.plue_actions.models import Job, Task

        job = Job.get_or_none(Job.id == job_id)
        repository = self.hosting.get_repository_by_id(job.repository_id) if job else None
        if repository is None or self.hosting.permission(identity, repository) == "none":
            return None
        lines = []
        task = Task.get_or_none(Task.id == job.task_id) if job.task_id else None
        if task is not None:
            lines = [f"{moment} {content}" for moment, content in logs.read_lines(self, task)]
        if job.reason:
            lines.append(job.reason)
        return "\n".join(lines)

    def close(self) -> None:
        self.watcher.stop()
