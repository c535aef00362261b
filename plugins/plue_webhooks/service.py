"""``ctx.services["webhooks"]``: the hooks, the outbox and the sender, for the resources,
jobs, CLI and tests."""

from __future__ import annotations

import collections

from plue_core.db import write_transaction
from plue_core.sealing import SecretBox
from plue_core.validation import load_data

from plue_webhooks import deliveries, event_types, hook_trials, hooks
from plue_webhooks.schemas import CreateHookOption


class CommitFiles(collections.OrderedDict):
    """A bounded map of commit sha -> file lists, oldest forgotten first."""

    LIMIT = 2048

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if len(self) > self.LIMIT:
            self.popitem(last=False)


class WebhooksService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("webhooks")
        self.secret_box = SecretBox(ctx.secret_key, salt=b"plue-webhooks",
                                    purpose=b"webhook secret")
        self.authorization_box = SecretBox(ctx.secret_key, salt=b"plue-webhooks",
                                           purpose=b"webhook authorization header")
        self.sender_thread = None  # the in-process sender (sender.InProcessSender), once started
        self._closed = False
        # The file lists of pushed commits, by sha, for the sender (commits never change).
        self.commit_files = CommitFiles()

    def selectable_events(self) -> set[str]:
        extra = [name for names in self.ctx.plugins.hook.webhook_event_types() for name in names]
        return event_types.selectable(extra)

    def close(self) -> None:
        self._closed = True
        if self.sender_thread is not None:
            self.sender_thread.stop()
            self.sender_thread = None

    def wake_sender(self) -> None:
        """Send soon: wake this process's sender thread (started on first use), unless
        ``send_in_process`` is off (the scheduled job alone sends then)."""
        if not self.settings["send_in_process"] or self._closed:
            return
        if self.sender_thread is None:
            from plue_webhooks.sender import InProcessSender
            self.sender_thread = InProcessSender(self)
        self.sender_thread.wake()

    # --- a repository's hooks for a face (the web's settings): the API's options, rules and
    # shape (Gitea's Hook: the secret and the authorization header never come back). The
    # caller checks the repository's admin access first. ------------------------------------

    def repository_hooks(self, repository) -> list[dict]:
        return [hooks.hook_json(hook) for hook in
                hooks.hooks_of(self._repository_owner(repository))]

    def create_repository_hook(self, repository, options: dict) -> dict:
        """``CreateHookOption`` (validated here: a 422 names the field)."""
        with write_transaction():
            return hooks.hook_json(hooks.create_hook(self, self._repository_owner(repository),
                                                     load_data(options, CreateHookOption)))

    def repository_hook(self, repository, hook_id: int) -> dict:
        """Gitea's ``Hook``; 404 when the repository has no such hook."""
        return hooks.hook_json(hooks.get_hook(self._repository_owner(repository), hook_id))

    def repository_hook_deliveries(self, repository, hook_id: int, limit: int = 20) -> list[dict]:
        """The hook's newest deliveries with their attempts (the API's records: secrets
        redacted)."""
        hook = hooks.get_hook(self._repository_owner(repository), hook_id)
        return deliveries.deliveries_json(deliveries.deliveries_of(hook).limit(limit))

    def test_repository_hook(self, repository, hook_id: int, identity) -> None:
        """Gitea's "test delivery": the default branch's last commit as a push, to this hook."""
        hook = hooks.get_hook(self._repository_owner(repository), hook_id)
        hook_trials.send_test(self, hook, repository, identity, "")

    def redeliver_repository_delivery(self, repository, hook_id: int, delivery_id: int) -> None:
        """The delivery's payload again, as a new delivery; 404 for another hook's."""
        hook = hooks.get_hook(self._repository_owner(repository), hook_id)
        delivery = deliveries.get_delivery(hook, delivery_id)
        with write_transaction():
            deliveries.redeliver(delivery)
        self.wake_sender()

    @staticmethod
    def _repository_owner(repository) -> hooks.HookOwner:
        return hooks.HookOwner("repository", repository_id=repository.id, repository=repository)

    def delete_repository_hook(self, repository, hook_id: int) -> None:
        """The hook and its deliveries; 404 when the repository has no such hook."""
        with write_transaction():
            hooks.delete_hook(hooks.get_hook(self._repository_owner(repository), hook_id))
