"""Events the pulls plugin publishes (subscribe with the ``on_event`` hook), each inside the
transaction that made the change, so a listener's durable work (a workflow run for
``pull_request``) commits or rolls back with it.

``pull_request`` carries Gitea's actions: ``opened``, ``synchronized`` (the head moved),
``closed`` (with ``merged`` true when closed by a merge), ``reopened``, ``edited``,
``review_requested`` / ``review_request_removed`` (``requested_reviewer`` names who). The head
commit named by ``head_sha`` is in the base repository by the time the event fires, also for
a pull request from a fork."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class PullRequestEvent(Event):
    name: ClassVar[str] = "pull_request"

    action: str
    repository_id: int  # the base repository
    owner: str
    repository: str
    pull_request_id: int
    issue_id: int
    number: int
    title: str
    head_sha: str
    head_ref: str
    base_ref: str
    base_sha: str = ""
    head_repository_id: int | None = None
    is_fork: bool = False
    merged: bool = False
    merge_commit_sha: str = ""
    sender_id: int | None = None
    sender: str = ""
    private: bool = False
    requested_reviewer: str = ""
    # ``edited``: ``(field, old value)`` pairs of the title, body (as ``issue_changed``'s)
    # or base branch (``ref``).
    changes: tuple = ()


@dataclasses.dataclass(frozen=True)
class PullRequestReviewEvent(Event):
    """A review was submitted: ``state`` is APPROVED, REQUEST_CHANGES or COMMENT."""

    name: ClassVar[str] = "pull_request_review"

    repository_id: int
    owner: str
    repository: str
    pull_request_id: int
    number: int
    review_id: int
    state: str
    reviewer_id: int | None
    reviewer: str
    head_sha: str = ""
    private: bool = False


def pull_request_event(pull, action: str, sender, *, merged: bool = False,
                       requested_reviewer: str = "", changes: tuple = ()) -> PullRequestEvent:
    """The ``pull_request`` event of ``pull`` (base repository and issue loaded)."""
    repository = pull.base_repository
    return PullRequestEvent(
        action=action, repository_id=repository.id, owner=repository.owner.name,
        repository=repository.name, pull_request_id=pull.id, issue_id=pull.issue_id,
        number=pull.issue.number, title=pull.issue.title, head_sha=pull.head_sha,
        head_ref=pull.head_branch, base_ref=pull.base_branch, base_sha=pull.base_sha,
        head_repository_id=pull.head_repository_id, is_fork=pull.is_fork, merged=merged,
        merge_commit_sha=pull.merge_commit_sha or "",
        sender_id=sender.id if sender is not None else None,
        sender=sender.name if sender is not None else "", private=bool(repository.is_private),
        requested_reviewer=requested_reviewer, changes=changes)


EVENTS = [PullRequestEvent, PullRequestReviewEvent]
