"""The signed-in front page's side: recent activity in your repositories (those you own,
collaborate on or reach through an organization), your open pull requests and the pull
requests awaiting your review. No activity table exists: the feed is read from what the
services already record — issues and pull requests opened (issues), comments (issues), and
each branch's last push (git_hosting's branch rows) — a fixed number of queries, whatever
the number of repositories."""

from __future__ import annotations

import dataclasses
import datetime

import peewee

FEED_SIZE = 20


@dataclasses.dataclass(frozen=True)
class Activity:
    when: datetime.datetime
    who: str  # "" when the account is gone
    verb: str  # "opened issue", "opened pull request", "commented on", "pushed to"
    repo: str  # owner/name
    title: str
    url: str


def _repo(repository) -> str:
    return f"{repository.owner.name}/{repository.name}"


def _issue_url(issue) -> str:
    return f"/{_repo(issue.repository)}/{'pulls' if issue.is_pull else 'issues'}/{issue.number}"


def _compiled(subquery) -> peewee.Node:
    """``subquery`` as its SQL, compiled once for the several queries of the page that filter
    by it. Left a query, peewee compiles it twice in each of them (``IN`` first parses its
    right-hand side to see whether it is empty), and again for each ``IN`` nested in it: that
    compiling was most of the front page's time. Its parameters are database values already."""
    sql, params = subquery.sql()
    return peewee.EnclosedNodeList([peewee.SQL(sql, params)])


def recent_activity(face, identity) -> list[Activity]:
    mine = _compiled(face.hosting.repository_ids(identity, mine=True))
    items: list[Activity] = []
    if face.issues is not None:
        for issue in face.issues.issues_across(mine, state="all", limit=FEED_SIZE):
            kind = "pull request" if issue.is_pull else "issue"
            items.append(Activity(issue.created_at, issue.poster.name if issue.poster else "",
                                  f"opened {kind}", _repo(issue.repository),
                                  f"#{issue.number} {issue.title}", _issue_url(issue)))
        for comment in face.issues.comments_across(mine, limit=FEED_SIZE):
            issue = comment.issue
            items.append(Activity(comment.created_at, comment.poster.name if comment.poster else "",
                                  "commented on", _repo(issue.repository),
                                  f"#{issue.number} {issue.title}",
                                  f"{_issue_url(issue)}#issuecomment-{comment.id}"))
    for branch in face.hosting.recent_pushes(mine, limit=FEED_SIZE):
        summary = (branch.commit_message or "").strip().splitlines()
        items.append(Activity(branch.updated_at, branch.pusher.name if branch.pusher else "",
                              f"pushed to {branch.name} at", _repo(branch.repository),
                              summary[0] if summary else branch.commit_sha[:10],
                              f"/{_repo(branch.repository)}/commit/{branch.commit_sha}"))
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:FEED_SIZE]


def dashboard_values(face, identity) -> dict:
    """What the signed-in front page shows beside its repository list."""
    values = {"activity": recent_activity(face, identity), "my_pulls": [], "review_requests": []}
    if face.issues is not None and face.pulls is not None:
        visible = _compiled(face.hosting.repository_ids(identity))
        values["my_pulls"] = face.issues.issues_across(visible, is_pull=True,
                                                       poster_id=identity.user_id, limit=10)
        values["review_requests"] = face.issues.issues_across(
            visible, is_pull=True, limit=10,
            issue_ids=face.pulls.review_requested_issue_ids(identity.user_id))
    return values
