"""Events git_hosting publishes (subscribe with the ``on_event`` hook)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event

ZERO_SHA = "0" * 40


@dataclasses.dataclass(frozen=True)
class PushEvent(Event):
    """One ref moved: by ``git push``, or by an API write (file edit, branch or tag create or
    delete), as Gitea fires its push notifier for both. ``before`` is all zeros for a new ref,
    ``after`` for a deleted one. ``commits`` holds the new commits, newest first, at most
    ``MAX_COMMITS`` of them (``total_commits`` counts all): what payloads list (webhooks,
    actions' ``github.event``); each is a dict with ``id``, ``message``, ``url``,
    ``timestamp``, ``author`` and ``committer`` (``name``, ``email``). ``commit_messages``
    holds ``(id, message)`` of every new commit, newest first, up to ``REFERENCE_COMMITS``:
    what issue references and "Fixes #N" read, as Gitea's ``UpdateIssuesCommit`` reads every
    commit of a push while its payloads keep their own limit."""

    name: ClassVar[str] = "push"
    MAX_COMMITS: ClassVar[int] = 20
    # A giant push (an imported history) is read for references up to its newest 1,000
    # commits: each commit with references costs statements in the push's transaction.
    REFERENCE_COMMITS: ClassVar[int] = 1000

    repository_id: int
    owner: str
    repository: str
    ref: str
    before: str
    after: str
    commits: tuple = ()
    total_commits: int = 0
    commit_messages: tuple = ()
    pusher_id: int | None = None
    pusher: str = ""
    default_branch: str = ""
    private: bool = False
    via: str = "git"  # "git" (smart HTTP), "ssh" or "api"

    @property
    def created(self) -> bool:
        return self.before == ZERO_SHA

    @property
    def deleted(self) -> bool:
        return self.after == ZERO_SHA

    @property
    def is_branch(self) -> bool:
        return self.ref.startswith("refs/heads/")

    @property
    def is_tag(self) -> bool:
        return self.ref.startswith("refs/tags/")


@dataclasses.dataclass(frozen=True)
class RepositoryCreatedEvent(Event):
    """A repository was created (``fork_of`` is the parent's id for a fork)."""

    name: ClassVar[str] = "repository_created"

    repository_id: int
    owner: str
    repository: str
    creator_id: int | None = None
    fork_of: int | None = None


@dataclasses.dataclass(frozen=True)
class RepositoryDeletedEvent(Event):
    """A repository is being deleted; fired inside the deleting transaction, so a listener's
    own cleanup commits or rolls back with it."""

    name: ClassVar[str] = "repository_deleted"

    repository_id: int
    owner: str
    repository: str


EVENTS = [PushEvent, RepositoryCreatedEvent, RepositoryDeletedEvent]
