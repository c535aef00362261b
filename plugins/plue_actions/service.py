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

    def close(self) -> None:
        self.watcher.stop()
