"""What the issues and pulls plugins announce, as the activity on one issue that its people
are told of (Gitea's services/uinotification): a new issue or pull request, a comment, a
state change (closed, reopened, merged), an assignment, a review request. The notifications
are written after the change commits (``plugin.on_event`` defers ``fan_out.notify``), never
inside its transaction."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Activity:
    repository_id: int
    issue_id: int
    is_pull: bool
    doer_id: int | None
    comment_id: int | None = None
    # Told to this user alone (an assignee, a requested reviewer), by login; "" for
    # everyone concerned: the watchers and the issue's participants.
    receiver: str = ""


def activity_of(event) -> Activity | None:
    """The activity an event of the issues or pulls plugin stands for, if any."""
    name = event.name
    if name in ("issue_opened", "issue_closed", "issue_reopened"):
        doer = event.poster_id if name == "issue_opened" else event.doer_id
        return Activity(event.repository_id, event.issue_id, False, doer)
    if name == "issue_comment":
        if event.action != "created":
            return None
        return Activity(event.repository_id, event.issue_id, event.is_pull, event.commenter_id,
                        comment_id=event.comment_id)
    if name == "issue_changed":
        # Gitea tells an assignee alone, and never of assigning themselves.
        if event.action != "assigned" or event.assignee.lower() == event.doer.lower():
            return None
        return Activity(event.repository_id, event.issue_id, event.is_pull, event.doer_id,
                        receiver=event.assignee)
    if name == "pull_request":
        if event.action in ("opened", "closed", "reopened"):
            return Activity(event.repository_id, event.issue_id, True, event.sender_id)
        if event.action == "review_requested" and (
                event.requested_reviewer.lower() != event.sender.lower()):
            return Activity(event.repository_id, event.issue_id, True, event.sender_id,
                            receiver=event.requested_reviewer)
    return None
