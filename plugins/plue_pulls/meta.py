"""The ``pull_request`` part of Gitea's ``Issue`` (merged, merged_at, draft, html_url) for
issue lists that include pull requests, answered for a page in one query."""

from __future__ import annotations

from plue_pulls.models import PullRequest
from plue_pulls.pulls import is_draft
from plue_pulls.schemas.shapes import rfc3339


def pull_request_meta(service, issues) -> dict[int, dict]:
    if not issues:
        return {}
    rows = {row.issue_id: row for row in PullRequest.select(
        PullRequest.issue, PullRequest.is_merged, PullRequest.merged_at)
        .where(PullRequest.issue.in_([issue.id for issue in issues]))}
    answer = {}
    for issue in issues:
        row = rows.get(issue.id)
        repository = issue.repository
        html = f"{service.base_url}/{repository.owner.name}/{repository.name}/pulls/{issue.number}"
        answer[issue.id] = {"merged": bool(row and row.is_merged),
                            "merged_at": rfc3339(row.merged_at) if row and row.is_merged else None,
                            "draft": is_draft(issue.title), "html_url": html}
    return answer
