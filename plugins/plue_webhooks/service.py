"""``ctx.services["webhooks"]``: the hooks, the outbox and the sender, for the resources,
jobs, CLI and tests."""

from __future__ import annotations

import collections

from plue_core.db import write_transaction
from plue_core.sealing import SecretBox
from plue_core.validation import load_data

from plue_webhooks import event_types, hooks
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
                hooks.hooks_of(hooks.HookOwner("repository", repository_id=repository.id,
                                               repository=repository))]

    def create_repository_hook(self, repository, options: dict) -> dict:
        """``CreateHookOption`` (validated here: a 422 names the field)."""
        owner = hooks.HookOwner("repository", repository_id=repository.id, repository=repository)
        with write_transaction():
            return hooks.hook_json(hooks.create_hook(self, owner,
                                                     load_data(options, CreateHookOption)))

    def delete_repository_hook(self, repository, hook_id: int) -> None:
        """The hook and its deliveries; 404 when the repository has no such hook."""
        owner = hooks.HookOwner("repository", repository_id=repository.id, repository=repository)
        with write_transaction():
            hooks.delete_hook(hooks.get_hook(owner, hook_id))
