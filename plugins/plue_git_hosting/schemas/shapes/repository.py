"""Gitea's ``Repository`` (every field of the spec, with Gitea's types) and lists of them
without a query per row."""

from __future__ import annotations

import json

import peewee

from plue_core.accounts.models import Account
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.db import CompiledSelect
from plue_core.timestamps import EPOCH, ZERO_TIME
from plue_git_hosting.models import Branch, Repository, RepoTransfer
from plue_git_hosting.permissions import RequestPermissions, at_least
from plue_core.shapes import Shape, array, boolean, integer, obj, string, time
from plue_git_hosting.schemas.shapes import rfc3339


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


class RepositoryView:
    """What a ``Repository`` body needs besides the row, computed once per body."""

    __slots__ = ("level", "html_url", "api_url", "ssh_url", "owner", "branch_count", "parent",
                 "repo_transfer")

    def __init__(self, level: str, html_url: str, api_url: str, ssh_url: str, owner: dict,
                 branch_count: int, parent: dict | None, repo_transfer: dict | None = None):
        self.level, self.html_url, self.api_url, self.ssh_url = level, html_url, api_url, ssh_url
        self.owner, self.branch_count, self.parent = owner, branch_count, parent
        self.repo_transfer = repo_transfer


def _permissions(repository: Repository, view: RepositoryView) -> dict:
    return {"admin": at_least(view.level, "admin"), "push": at_least(view.level, "write"),
            "pull": at_least(view.level, "read")}


def _internal_tracker(repository: Repository, view) -> dict | None:
    if not repository.has_issues:
        return None
    return repository.internal_tracker


PERMISSION_SHAPE = Shape("Permission", [boolean("admin"), boolean("push"), boolean("pull")])

# Gitea's ``Repository`` (modules/structs/repo.go), every field with Gitea's types. Its pointer
# fields tagged ``omitempty`` are absent, not null, when the repository has none.
REPOSITORY_SHAPE = Shape("Repository", [
    integer("id"),
    obj("owner", lambda r, v: v.owner, shape=USER_SHAPE),
    string("name"),
    string("full_name", lambda r, v: f"{r.owner.name}/{r.name}"),
    string("description"),
    boolean("empty", "is_empty"),
    boolean("private", "is_private"),
    boolean("fork", "is_fork"),
    boolean("template", "is_template"),
    boolean("mirror", const=False),
    integer("size", lambda r, v: r.size // 1024),  # KiB, as Gitea reports it
    string("language", const=""),
    string("languages_url", lambda r, v: f"{v.api_url}/languages"),
    string("html_url", lambda r, v: v.html_url),
    string("url", lambda r, v: v.api_url),
    string("link", const=""),
    string("ssh_url", lambda r, v: v.ssh_url),  # "" while the ssh plugin is disabled
    string("clone_url", lambda r, v: f"{v.html_url}.git"),
    string("original_url", const=""),
    string("website"),
    integer("stars_count", "num_stars"),
    integer("forks_count", "num_forks"),
    integer("watchers_count", "num_watches"),
    integer("open_issues_count", "num_open_issues"),
    integer("open_pr_counter", "num_open_pulls"),
    integer("release_counter", "num_releases"),
    integer("branch_count", lambda r, v: v.branch_count),
    string("default_branch"),
    string("default_target_branch", "default_branch"),
    boolean("archived", "is_archived"),
    time("archived_at", lambda r, v: rfc3339(r.archived_at, zero=EPOCH)),
    time("created_at", lambda r, v: rfc3339(r.created_at)),
    time("updated_at", lambda r, v: rfc3339(r.updated_at)),
    obj("permissions", _permissions, shape=PERMISSION_SHAPE, omit_empty=True),
    *(boolean(name) for name in (
        "has_code", "has_issues", "has_wiki", "has_pull_requests", "has_projects",
        "has_releases", "has_packages", "has_actions")),
    string("projects_mode"),
    *(boolean(name) for name in (
        "ignore_whitespace_conflicts", "allow_merge_commits", "allow_rebase",
        "allow_rebase_explicit", "allow_squash_merge", "allow_fast_forward_only_merge",
        "allow_rebase_update", "allow_merge_update", "allow_manual_merge",
        "autodetect_manual_merge", "default_delete_branch_after_merge")),
    string("default_merge_style"),
    string("default_update_style"),
    boolean("default_allow_maintainer_edit"),
    string("avatar_url", const=""),
    boolean("internal", lambda r, v: not r.is_private and r.owner.visibility == "private"),
    string("mirror_interval", const=""),
    time("mirror_updated", const=ZERO_TIME),
    time("mirror_last_sync_at", const=ZERO_TIME),
    string("object_format_name"),
    array("topics", "topic_list", items="string"),
    array("licenses", const=[], items="string"),
    obj("repo_transfer", lambda r, v: v.repo_transfer, omit_empty=True,
        description="a pending transfer (a RepoTransfer: doer, recipient, teams)"),
    obj("parent", lambda r, v: v.parent, omit_empty=True,
        description="the repository this one is a fork of (a Repository)"),
    obj("internal_tracker", _internal_tracker, omit_empty=True),
    obj("external_tracker",
        lambda r, v: r.units.get("external_tracker") if not r.has_issues else None,
        omit_empty=True),
    obj("external_wiki", lambda r, v: r.units.get("external_wiki"), omit_empty=True),
], description="Gitea's Repository")


def repository_json(hosting, repository: Repository, memo: RequestPermissions, *,
                    branch_count: int | None = None, parent: Repository | None = None,
                    as_parent: bool = False) -> dict:
    """Gitea's ``Repository`` as ``memo``'s viewer sees it (``REPOSITORY_SHAPE``)."""
    owner = repository.owner
    html_url = f"{hosting.base_url}/{owner.name}/{repository.name}"
    if branch_count is None:
        branch_count = _BRANCH_COUNT.scalar(repository.id)
    parent_body = None
    if repository.is_fork and not as_parent:
        if parent is None and repository.fork_parent_id:
            parent = (Repository.select(Repository, Account).join(Account)
                      .where(Repository.id == repository.fork_parent_id).first())
        if parent is not None:
            parent_body = repository_json(hosting, parent, memo, as_parent=True)
    view = RepositoryView(memo.level(repository), html_url,
                          f"{hosting.base_url}/api/v1/repos/{owner.name}/{repository.name}",
                          hosting.ssh_url(owner.name, repository.name),
                          hosting.accounts.owner_json(owner, memo.identity), branch_count,
                          parent_body, _transfer_json(hosting, repository, memo)
                          if repository.transfer_pending else None)
    return REPOSITORY_SHAPE(repository, view)


def _transfer_json(hosting, repository: Repository, memo: RequestPermissions) -> dict | None:
    """Gitea's ``RepoTransfer`` of a repository whose transfer is pending."""
    transfer = RepoTransfer.get_or_none(RepoTransfer.repository == repository.id)
    if transfer is None:
        return None
    accounts = hosting.accounts
    teams = [accounts.team_json(team) for team in
             accounts.teams_by_ids(json.loads(transfer.team_ids))]  # those not deleted since
    return {"doer": accounts.user_json(transfer.doer, memo.identity),
            "recipient": accounts.user_json(transfer.recipient, memo.identity), "teams": teams}
