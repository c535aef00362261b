"""The ``pull_request`` part of Gitea's ``Issue`` (merged, merged_at, draft, html_url): for
issue lists that include pull requests (the ``issue_pull_request_meta`` hook, one query for a
page), and for this plugin's own bodies, from the rows it loaded already (no query)."""

from __future__ import annotations

from plue_core.db import CompiledIdsSelect
from plue_core.timestamps import rfc3339

from plue_pulls.models import PullRequest
from plue_pulls.pulls import is_draft


def pull_part(base_url: str, issue, pull) -> dict:
    """The part for ``issue`` (its ``repository`` set), whose pull request row is ``pull``
    (None: none written yet)."""
    repository = issue.repository
    merged = bool(pull is not None and pull.is_merged)
    return {"merged": merged, "merged_at": rfc3339(pull.merged_at) if merged else None,
            "draft": is_draft(issue.title),
            "html_url": f"{base_url}/{repository.owner.name}/{repository.name}/pulls/{issue.number}"}


def pull_request_meta(service, issues) -> dict[int, dict]:
    if not issues:
        return {}
    rows = {row.issue_id: row for row in _MERGED.rows(ids=[issue.id for issue in issues])}
    return {issue.id: pull_part(service.base_url, issue, rows.get(issue.id)) for issue in issues}


# Every issue page and list with pull requests: compiled once per page size.
_MERGED = CompiledIdsSelect(lambda issue_ids: PullRequest.select(
    PullRequest.issue_id, PullRequest.is_merged, PullRequest.merged_at)
    .where(PullRequest.issue_id.in_(issue_ids)))


def pull_parts(service, pulls) -> dict[int, dict]:
    """The parts of ``pulls``' own issues (their ``repository`` set), by issue id."""
    return {pull.issue_id: pull_part(service.base_url, pull.issue, pull) for pull in pulls}
