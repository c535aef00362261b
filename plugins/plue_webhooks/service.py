"""``ctx.services["webhooks"]``: the hooks, the outbox and the sender, for the resources,
jobs, CLI and tests."""

from __future__ import annotations

import collections

from plue_core.sealing import SecretBox

from plue_webhooks import event_types


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
