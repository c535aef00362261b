"""Events the issues plugin publishes (subscribe with the ``on_event`` hook). Each is published
inside the transaction that made the change, so a listener's durable work (queueing a workflow
run) commits or rolls back with it. Pull requests share comments with issues, so
``issue_comment`` fires for both (``is_pull`` tells them apart), as Gitea's does; opening and
closing a pull request is the pulls plugin's to announce."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class IssueEvent(Event):
    """What every event of one issue (or pull request) carries first: where it is and which."""

    repository_id: int
    owner: str
    repository: str
    issue_id: int
    number: int
    title: str


@dataclasses.dataclass(frozen=True)
class IssueOpenedEvent(IssueEvent):
    name: ClassVar[str] = "issue_opened"

    poster_id: int
    poster: str
    private: bool = False


@dataclasses.dataclass(frozen=True)
class IssueStateEvent(IssueEvent):
    """The fields of an issue closing or reopening: one declaration for both events, which
    differ only in ``name``."""

    doer_id: int
    doer: str
    private: bool = False


@dataclasses.dataclass(frozen=True)
class IssueClosedEvent(IssueStateEvent):
    name: ClassVar[str] = "issue_closed"


@dataclasses.dataclass(frozen=True)
class IssueReopenedEvent(IssueStateEvent):
    name: ClassVar[str] = "issue_reopened"


@dataclasses.dataclass(frozen=True)
class IssueCommentEvent(Event):
    """A comment was ``created``, ``edited`` or ``deleted`` (``action``)."""

    name: ClassVar[str] = "issue_comment"

    repository_id: int
    owner: str
    repository: str
    issue_id: int
    number: int
    is_pull: bool
    comment_id: int
    action: str
    commenter_id: int
    commenter: str
    body: str = ""
    private: bool = False


@dataclasses.dataclass(frozen=True)
class IssueChangedEvent(IssueEvent):
    """An issue's (or a pull request's: ``is_pull``) labels, assignees or milestone changed,
    or its title or body (``edited``; ``changes`` holds ``(field, old value)`` pairs; the
    pulls plugin announces a pull request's as ``pull_request`` ``edited``).
    ``action`` is Gitea's: ``label_updated`` / ``label_cleared``, ``assigned`` /
    ``unassigned`` (``assignee`` names who), ``milestoned`` / ``demilestoned``, ``edited``."""

    name: ClassVar[str] = "issue_changed"

    is_pull: bool
    action: str
    doer_id: int | None
    doer: str
    assignee: str = ""
    private: bool = False
    changes: tuple = ()


def announce_change(ctx, issue, action: str, doer, *, assignee: str = "",
                    changes: tuple = ()) -> None:
    """Publish ``issue_changed`` for ``issue`` (its repository attached, owner joined);
    call inside the transaction that made the change."""
    repository = issue.repository
    ctx.events.publish(IssueChangedEvent(
        repository_id=repository.id, owner=repository.owner.name, repository=repository.name,
        issue_id=issue.id, number=issue.number, title=issue.title, is_pull=bool(issue.is_pull),
        action=action, doer_id=doer.id if doer is not None else None,
        doer=doer.name if doer is not None else "", assignee=assignee,
        private=bool(repository.is_private), changes=changes))


EVENTS = [IssueOpenedEvent, IssueClosedEvent, IssueReopenedEvent, IssueCommentEvent,
          IssueChangedEvent]
