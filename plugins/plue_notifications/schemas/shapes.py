"""Gitea's ``NotificationThread``, ``NotificationSubject`` and ``NotificationCount``. A thread
renders with a :class:`ThreadView`: what the page's threads name, read in a few statements
for the whole page (their repositories' bodies, their issues, each issue's latest comment and
whether a pull request was merged)."""

from __future__ import annotations

from plue_core.shapes import Shape, boolean, integer, item, obj, string, time
from plue_core.timestamps import rfc3339

from plue_notifications.statuses import PINNED, PULL, READ


class ThreadView:
    """``repositories``: id -> (Repository body, API URL, web URL); ``issues``: id -> issue
    row; ``latest``: issue id -> latest comment id; ``merged``: ids of merged pull issues."""

    __slots__ = ("base_url", "repositories", "issues", "latest", "merged")

    def __init__(self, base_url: str, repositories: dict, issues: dict, latest: dict,
                 merged: set):
        self.base_url = base_url
        self.repositories, self.issues = repositories, issues
        self.latest, self.merged = latest, merged

    def subject(self, thread) -> dict:
        _, api, html = self.repositories[thread.repository_id]
        issue = self.issues[thread.issue_id]
        is_pull = thread.source == PULL
        issue_html = f"{html}/{'pulls' if is_pull else 'issues'}/{issue.number}"
        comment_id = self.latest.get(issue.id)
        if is_pull and issue.id in self.merged:
            state = "merged"
        else:
            state = "closed" if issue.is_closed else "open"
        return {"title": issue.title, "url": f"{api}/issues/{issue.number}",
                "latest_comment_url": f"{api}/issues/comments/{comment_id}" if comment_id else "",
                "html_url": issue_html,
                "latest_comment_html_url":
                    f"{issue_html}#issuecomment-{comment_id}" if comment_id else "",
                "type": "Pull" if is_pull else "Issue", "state": state}


# Rendered from the dict ``ThreadView.subject`` gathers.
SUBJECT_SHAPE = Shape("NotificationSubject", [
    string(name, item(name)) for name in ("title", "url", "latest_comment_url", "html_url",
                                          "latest_comment_html_url", "type", "state")
])

NOTIFICATION_THREAD_SHAPE = Shape("NotificationThread", [
    integer("id"),
    obj("repository", lambda thread, view: view.repositories[thread.repository_id][0],
        description="Repository"),
    obj("subject", lambda thread, view: SUBJECT_SHAPE(view.subject(thread)), shape=SUBJECT_SHAPE),
    boolean("unread", lambda thread, _: thread.status not in (READ, PINNED)),
    boolean("pinned", lambda thread, _: thread.status == PINNED),
    time("updated_at", lambda thread, _: rfc3339(thread.updated_at)),
    string("url", lambda thread, view: f"{view.base_url}/api/v1/notifications/threads/{thread.id}"),
])

NOTIFICATION_COUNT_SHAPE = Shape("NotificationCount", [integer("new", item("new"))])
