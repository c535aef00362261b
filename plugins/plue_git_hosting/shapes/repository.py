"""Gitea's ``Repository`` (every field of the spec, with Gitea's types) and lists of them
without a query per row."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect
from plue_core.timestamps import EPOCH, ZERO_TIME
from plue_git_hosting.models import Branch, Repository
from plue_git_hosting.permissions import RequestPermissions, at_least
from plue_git_hosting.shapes import omit_empty, rfc3339

# The pointer fields of Gitea's ``Repository`` tagged ``omitempty`` (modules/structs/repo.go):
# absent, not null, when the repository has none.
OMITTED_WHEN_EMPTY = frozenset({"parent", "permissions", "internal_tracker", "external_tracker",
                                "external_wiki", "repo_transfer"})


def branch_counts(repositories: list[Repository]) -> dict[int, int]:
    ids = [r.id for r in repositories]
    if not ids:
        return {}
    rows = (Branch.select(Branch.repository, peewee.fn.COUNT(Branch.id).alias("n"))
            .where(Branch.repository.in_(ids)).group_by(Branch.repository))
    return {row.repository_id: row.n for row in rows}


def parents_of(repositories: list[Repository]) -> dict[int, Repository]:
    ids = {r.fork_parent_id for r in repositories if r.fork_parent_id}
    if not ids:
        return {}
    rows = Repository.select(Repository, Account).join(Account).where(Repository.id.in_(ids))
    return {row.id: row for row in rows}


def repositories_json(hosting, repositories: list[Repository], memo: RequestPermissions) -> list[dict]:
    """A page of repositories: branch counts, parents and grants in three queries in all."""
    memo.prefetch(repositories)
    counts = branch_counts(repositories)
    parents = parents_of(repositories)
    return [repository_json(hosting, r, memo, branch_count=counts.get(r.id, 0),
                            parent=parents.get(r.fork_parent_id)) for r in repositories]


_BRANCH_COUNT = CompiledSelect(
    lambda id_: Branch.select(peewee.fn.COUNT(Branch.id)).where(Branch.repository == id_).tuples(),
    int)


def repository_json(hosting, repository: Repository, memo: RequestPermissions, *,
                    branch_count: int | None = None, parent: Repository | None = None,
                    as_parent: bool = False) -> dict:
    level = memo.level(repository)
    base = hosting.base_url
    owner = repository.owner
    html_url = f"{base}/{owner.name}/{repository.name}"
    api_url = f"{base}/api/v1/repos/{owner.name}/{repository.name}"
    units = repository.units
    if branch_count is None:
        branch_count = _BRANCH_COUNT.scalar(repository.id)
    body = {
        "id": repository.id,
        "owner": hosting.accounts.owner_json(owner, memo.identity),
        "name": repository.name,
        "full_name": f"{owner.name}/{repository.name}",
        "description": repository.description,
        "empty": repository.is_empty,
        "private": repository.is_private,
        "fork": repository.is_fork,
        "template": repository.is_template,
        "mirror": False,
        "size": repository.size // 1024,  # KiB, as Gitea reports it
        "language": "",
        "languages_url": f"{api_url}/languages",
        "html_url": html_url,
        "url": api_url,
        "link": "",
        "ssh_url": hosting.ssh_url(owner.name, repository.name),
        "clone_url": f"{html_url}.git",
        "original_url": "",
        "website": repository.website,
        "stars_count": repository.num_stars,
        "forks_count": repository.num_forks,
        "watchers_count": repository.num_watches,
        "open_issues_count": repository.num_open_issues,
        "open_pr_counter": repository.num_open_pulls,
        "release_counter": repository.num_releases,
        "branch_count": branch_count,
        "default_branch": repository.default_branch,
        "default_target_branch": repository.default_branch,
        "archived": repository.is_archived,
        "archived_at": rfc3339(repository.archived_at, zero=EPOCH),
        "created_at": rfc3339(repository.created_at),
        "updated_at": rfc3339(repository.updated_at),
        "permissions": {"admin": at_least(level, "admin"), "push": at_least(level, "write"),
                        "pull": at_least(level, "read")},
        "has_code": repository.has_code,
        "has_issues": repository.has_issues,
        "has_wiki": repository.has_wiki,
        "has_pull_requests": repository.has_pull_requests,
        "has_projects": repository.has_projects,
        "has_releases": repository.has_releases,
        "has_packages": repository.has_packages,
        "has_actions": repository.has_actions,
        "projects_mode": repository.projects_mode,
        "ignore_whitespace_conflicts": repository.ignore_whitespace_conflicts,
        "allow_merge_commits": repository.allow_merge_commits,
        "allow_rebase": repository.allow_rebase,
        "allow_rebase_explicit": repository.allow_rebase_explicit,
        "allow_squash_merge": repository.allow_squash_merge,
        "allow_fast_forward_only_merge": repository.allow_fast_forward_only_merge,
        "allow_rebase_update": repository.allow_rebase_update,
        "allow_merge_update": repository.allow_merge_update,
        "allow_manual_merge": repository.allow_manual_merge,
        "autodetect_manual_merge": repository.autodetect_manual_merge,
        "default_delete_branch_after_merge": repository.default_delete_branch_after_merge,
        "default_merge_style": repository.default_merge_style,
        "default_update_style": repository.default_update_style,
        "default_allow_maintainer_edit": repository.default_allow_maintainer_edit,
        "avatar_url": "",
        "internal": not repository.is_private and owner.visibility == "private",
        "mirror_interval": "",
        "mirror_updated": ZERO_TIME,
        "mirror_last_sync_at": ZERO_TIME,
        "object_format_name": repository.object_format_name,
        "topics": repository.topic_list,
        "licenses": [],
        "repo_transfer": None,
        "parent": None,
    }
    body["internal_tracker"] = (units.get("internal_tracker") or {
        "enable_time_tracker": True, "allow_only_contributors_to_track_time": True,
        "enable_issue_dependencies": True}) if repository.has_issues else None
    body["external_tracker"] = units.get("external_tracker") if not repository.has_issues else None
    body["external_wiki"] = units.get("external_wiki")
    if repository.is_fork and not as_parent:
        if parent is None and repository.fork_parent_id:
            parent = (Repository.select(Repository, Account).join(Account)
                      .where(Repository.id == repository.fork_parent_id).first())
        if parent is not None:
            body["parent"] = repository_json(hosting, parent, memo, as_parent=True)
    return omit_empty(body, OMITTED_WHEN_EMPTY)
