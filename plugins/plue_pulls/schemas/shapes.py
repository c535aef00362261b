"""Gitea's ``PullRequest``, ``PullReview``, ``PullReviewComment``, ``ChangedFile`` and
``BranchProtection``, rendered for one viewer.

A page of pull requests costs a handful of queries and one ref read per repository involved:
the issue parts come from the issues plugin's presenter (labels, milestone, assignees in
bulk), branch tips from one read of the refs per repository, embedded repositories once each.
"""

from __future__ import annotations

import urllib.parse

from plue_core.accounts.schemas.orgs import TEAM_SHAPE
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.shapes import Shape, array, boolean, integer, obj, string, time
from plue_core.timestamps import rfc3339
from plue_pulls import meta, protection, pulls, review_requests
from plue_pulls.body_reads import NO_PARTS, BodyParts, body_parts
from plue_pulls.models import Review



def accounts_by_id(ids) -> dict:
    """Accounts for a page of rows in one query (None ids are skipped)."""
    from plue_core.accounts.models import Account
    wanted = [i for i in ids if i]
    return {a.id: a for a in Account.select().where(Account.id.in_(wanted))} if wanted else {}


def is_mergeable(pull) -> bool:
    """Gitea's ``PullRequest.Mergeable``: not while checking, not with conflicts or errors,
    never for a draft."""
    return pull.status in ("mergeable", "empty") and not pulls.is_draft(pull.issue.title)


class _PullView:
    """What one ``PullRequest`` body needs besides the row (gathered for a page at once)."""

    __slots__ = ("presenter", "issue", "review_comments", "merger", "requested", "teams")

    def __init__(self, presenter, issue: dict, review_comments: int, merger, requested: list,
                 teams: list):
        self.presenter, self.issue, self.review_comments = presenter, issue, review_comments
        self.merger, self.requested, self.teams = merger, requested, teams


def _html(pull, view: _PullView) -> str:
    return view.presenter.pull_html_url(pull.issue.number)


# The issue's part of the body, as the issues plugin rendered it (its ``Issue`` shape).
def _issue(kind, name: str, **options):
    return kind(name, lambda pull, view: view.issue[name], **options)


_ISSUE_PART = [
    _issue(obj, "user", shape=USER_SHAPE), _issue(string, "title"), _issue(string, "body"),
    _issue(array, "labels", description="Label"),
    _issue(obj, "milestone", nullable=True, description="Milestone"),
    _issue(obj, "assignee", shape=USER_SHAPE, nullable=True),
    _issue(array, "assignees", items=USER_SHAPE, nullable=True),
    _issue(string, "state"), _issue(boolean, "is_locked"), _issue(integer, "comments"),
    _issue(time, "due_date", nullable=True), _issue(time, "created_at"),
    _issue(time, "updated_at"), _issue(time, "closed_at", nullable=True),
    _issue(integer, "pin_order"), _issue(integer, "content_version"),
]

BRANCH_INFO_SHAPE = Shape("PRBranchInfo", [
    string("label", lambda info, _: info[1]),
    string("ref", lambda info, _: info[2]),
    string("sha", lambda info, _: info[3]),
    integer("repo_id", lambda info, _: info[0].id if info[0] is not None else -1),
    obj("repo", lambda info, p: p.repository_json(info[0]) if info[0] is not None else None,
        nullable=True, description="Repository"),
])


def _base(pull, view: _PullView) -> dict:
    p = view.presenter
    sha = p.tip(pull.base_repository, pull.base_branch) or pull.base_sha
    return BRANCH_INFO_SHAPE((pull.base_repository, pull.base_branch, pull.base_branch, sha), p)


def _head(pull, view: _PullView) -> dict:
    p = view.presenter
    head_repository = pull.head_repository
    tip = p.tip(head_repository, pull.head_branch) if head_repository else None
    ref = pull.head_branch if tip else pull.pull_ref
    return BRANCH_INFO_SHAPE((head_repository, pull.head_branch, ref, tip or pull.head_sha), p)


PULL_REQUEST_SHAPE = Shape("PullRequest", [
    integer("id"),
    string("url", _html),
    integer("number", "issue.number"),
    *_ISSUE_PART,
    array("requested_reviewers", lambda pull, v: [v.presenter.user(u) for u in v.requested],
          items=USER_SHAPE),
    array("requested_reviewers_teams",
          lambda pull, v: [v.presenter.service.accounts.team_json(t) for t in v.teams],
          items=TEAM_SHAPE),
    boolean("draft", lambda pull, _: pulls.is_draft(pull.issue.title)),
    integer("review_comments", lambda pull, v: v.review_comments),
    integer("additions"),
    integer("deletions"),
    integer("changed_files"),
    string("html_url", _html),
    string("diff_url", lambda pull, v: f"{_html(pull, v)}.diff"),
    string("patch_url", lambda pull, v: f"{_html(pull, v)}.patch"),
    boolean("mergeable", lambda pull, _: is_mergeable(pull)),
    boolean("merged", lambda pull, _: bool(pull.is_merged)),
    time("merged_at", lambda pull, _: rfc3339(pull.merged_at) if pull.is_merged else None,
         nullable=True),
    string("merge_commit_sha", lambda pull, _: pull.merge_commit_sha if pull.is_merged else None,
           nullable=True),
    obj("merged_by", lambda pull, v: v.presenter.user(v.merger) if pull.is_merged else None,
        shape=USER_SHAPE, nullable=True),
    boolean("allow_maintainer_edit", lambda pull, _: bool(pull.allow_maintainer_edit)),
    obj("base", _base, shape=BRANCH_INFO_SHAPE),
    obj("head", _head, shape=BRANCH_INFO_SHAPE),
    string("merge_base"),
])

# view: (presenter, pull, comments count, reviewer account, reviewer team)
PULL_REVIEW_SHAPE = Shape("PullReview", [
    integer("id"),
    obj("user", lambda r, v: v[0].user(v[3]), shape=USER_SHAPE, nullable=True),
    obj("team", lambda r, v: v[0].service.accounts.team_json(v[4]) if v[4] is not None else None,
        shape=TEAM_SHAPE, nullable=True),
    string("state"),
    string("body"),
    string("commit_id"),
    boolean("stale", lambda r, v: r.state != "PENDING" and bool(r.commit_id)
            and r.commit_id != v[1].head_sha),
    boolean("official", lambda r, _: bool(r.official)),
    boolean("dismissed", lambda r, _: bool(r.dismissed)),
    integer("comments_count", lambda r, v: v[2]),
    time("submitted_at", lambda r, _: rfc3339(r.created_at)),
    time("updated_at", lambda r, _: rfc3339(r.updated_at)),
    # Gitea's: the anchor of the review's timeline row; empty while it has none (pending).
    string("html_url", lambda r, v: f"{v[0].pull_html_url(v[1].issue.number)}"
           f"#issuecomment-{r.comment_id}" if r.comment_id else ""),
    string("pull_request_url", lambda r, v: v[0].pull_html_url(v[1].issue.number)),
])

# view: (presenter, the pull request's web address, accounts by id)
PULL_REVIEW_COMMENT_SHAPE = Shape("PullReviewComment", [
    integer("id"),
    string("body"),
    obj("user", lambda c, v: v[0].user(v[2].get(c.poster_id)), shape=USER_SHAPE, nullable=True),
    obj("resolver", lambda c, v: v[0].user(v[2].get(c.resolver_id)), shape=USER_SHAPE,
        nullable=True),
    integer("pull_request_review_id", "review_id"),
    time("created_at", lambda c, _: rfc3339(c.created_at)),
    time("updated_at", lambda c, _: rfc3339(c.updated_at)),
    string("path"),
    string("commit_id"),
    string("original_commit_id"),
    string("diff_hunk"),
    integer("position", lambda c, _: c.line if c.line > 0 else 0),
    integer("original_position", lambda c, _: -c.line if c.line < 0 else 0),
    string("html_url", lambda c, v: f"{v[1]}/files#issuecomment-{c.id}"),
    string("pull_request_url", lambda c, v: v[1]),
])

_FILE_STATUSES = {"A": "added", "D": "deleted", "R": "renamed", "C": "copied"}


def _file_status(code: str, added: int, deleted: int) -> str:
    status = _FILE_STATUSES.get(code, "changed")
    if status == "changed" and added == 0 and deleted == 0:
        status = "unchanged"  # a mode change or a binary file, as Gitea counts them
    return status


def _file_url(kind: str, file, view) -> str:
    presenter, head_sha = view
    escaped = urllib.parse.quote(file[1])
    if kind == "contents":
        return f"{presenter.repo_api_url}/contents/{escaped}?ref={head_sha}"
    return f"{presenter.repo_html_url}/{kind}/commit/{head_sha}/{escaped}"


# A file is (status code, path, lines added, lines deleted, previous path); view:
# (presenter, head sha).
CHANGED_FILE_SHAPE = Shape("ChangedFile", [
    string("filename", lambda f, _: f[1]),
    string("status", lambda f, _: _file_status(f[0], f[2], f[3])),
    integer("additions", lambda f, _: f[2]),
    integer("deletions", lambda f, _: f[3]),
    integer("changes", lambda f, _: f[2] + f[3]),
    string("html_url", lambda f, v: _file_url("src", f, v)),
    string("contents_url", lambda f, v: _file_url("contents", f, v)),
    string("raw_url", lambda f, v: _file_url("raw", f, v)),
    string("previous_filename", lambda f, _: f[4] if _file_status(f[0], f[2], f[3]) == "renamed"
           else None, omit_empty=True),
])


class PullPresenter:
    def __init__(self, service, viewer, repository, *, repository_is_current: bool = False):
        """``repository_is_current``: ``repository`` was read by this request and nothing
        was written since (a GET), so its body needs no fresh read."""
        self.service = service
        self.viewer = viewer
        self.repository = repository
        self.repository_is_current = repository_is_current
        self.base_url = service.base_url
        self._repositories: dict[int, dict] = {}
        self._tips: dict[int, dict[str, str]] = {}  # repository id -> branch -> sha
        self._asked: dict[int, set[str]] = {}  # repository id -> branches read
        self._wanted: dict[int, set[str]] = {}  # repository id -> branches the page names

    @property
    def repo_html_url(self) -> str:
        return f"{self.base_url}/{self.repository.owner.name}/{self.repository.name}"

    @property
    def repo_api_url(self) -> str:
        return f"{self.base_url}/api/v1/repos/{self.repository.owner.name}/{self.repository.name}"

    def pull_html_url(self, number: int) -> str:
        return f"{self.repo_html_url}/pulls/{number}"

    def user(self, account) -> dict | None:
        return None if account is None else self.service.accounts.user_json(account, self.viewer)

    def repository_json(self, repository) -> dict:
        if repository.id not in self._repositories:
            # Fresh: counters (open pull requests) may have moved since the request loaded it
            # (a write); a GET's own repository was read a moment ago (a statement less), with
            # its branch count when the resource asked for it (another).
            branch_count = None
            if self.repository_is_current and repository.id == self.repository.id:
                fresh = self.repository
                branch_count = getattr(fresh, "branch_count", None)
            else:
                fresh = self.service.hosting.get_repository_by_id(repository.id) or repository
            self._repositories[repository.id] = self.service.hosting.repository_json(
                fresh, self.viewer, branch_count=branch_count)
        return self._repositories[repository.id]

    def tip(self, repository, branch: str) -> str | None:
        """The sha of ``branch`` of ``repository`` (None: no such branch). The branches the
        page's pull requests name are read together, once per repository, from its refs
        alone (``hosting.branch_tips``: no repository opened)."""
        asked = self._asked.setdefault(repository.id, set())
        if branch not in asked:
            names = (self._wanted.get(repository.id, set()) | {branch}) - asked
            try:
                found = self.service.hosting.branch_tips(repository, names)
            except Exception:  # a repository unreadable on disk shows no tips, not a 500
                found = {}
            self._tips.setdefault(repository.id, {}).update(found)
            asked |= names
        return self._tips[repository.id].get(branch)

    # --- pull requests -------------------------------------------------------------------

    def pulls(self, rows) -> list[dict]:
        rows = list(rows)
        if not rows:
            return []
        for pull in rows:
            self._wanted.setdefault(pull.base_repository_id, set()).add(pull.base_branch)
            if pull.head_repository_id is not None:
                self._wanted.setdefault(pull.head_repository_id, set()).add(pull.head_branch)
        presenter = self.service.issues.presenter(self.viewer, repository=self.repository)
        # The issues' ``pull_request`` parts come from these rows: no hook, no query.
        issue_bodies = presenter.issues([pull.issue for pull in rows],
                                        pull_parts=meta.pull_parts(self.service, rows),
                                        assets=False)
        # A pull request read with its parts (``pulls.find_pull``) needs no read of them.
        parts = body_parts([pull.id for pull in rows if "read_body_parts" not in pull.__dict__])
        return [self._pull(pull, issue, pull.__dict__["read_body_parts"]
                           if "read_body_parts" in pull.__dict__ else parts.get(pull.id) or NO_PARTS)
                for pull, issue in zip(rows, issue_bodies)]

    def pull(self, pull) -> dict:
        return self.pulls([pull])[0]

    def _pull(self, pull, issue_body: dict, parts: BodyParts) -> dict:
        return PULL_REQUEST_SHAPE(pull, _PullView(
            self, issue_body, parts.review_comments, parts.merger,
            parts.requested_users, parts.requested_teams))

    # --- reviews ---------------------------------------------------------------------------

    def reviews(self, rows, pull) -> list[dict]:
        from plue_pulls import reviews as review_rules
        rows = list(rows)
        counts = review_rules.comment_counts([r.id for r in rows])
        reviewers = accounts_by_id({r.reviewer_id for r in rows})
        teams = review_requests.teams_by_id({r.reviewer_team_id for r in rows})
        return [self._review(review, pull, counts.get(review.id, 0), reviewers.get(review.reviewer_id),
                             teams.get(review.reviewer_team_id))
                for review in rows]

    def review(self, review, pull) -> dict:
        return self.reviews([review], pull)[0]

    def _review(self, review: Review, pull, comments: int, reviewer, team) -> dict:
        return PULL_REVIEW_SHAPE(review, (self, pull, comments, reviewer, team))

    def review_comments(self, rows, pull) -> list[dict]:
        rows = list(rows)
        people = accounts_by_id({c.poster_id for c in rows} | {c.resolver_id for c in rows})
        return PULL_REVIEW_COMMENT_SHAPE.many(rows, (self, self.pull_html_url(pull.issue.number),
                                                     people))

    # --- files -------------------------------------------------------------------------------

    def changed_files(self, files, head_sha: str) -> list[dict]:
        return CHANGED_FILE_SHAPE.many(files, (self, head_sha))


BRANCH_PROTECTION_SHAPE = Shape("BranchProtection", [
    string("branch_name", lambda rule, _: "" if protection.is_glob(rule.rule_name) else rule.rule_name),
    string("rule_name"),
    integer("priority"),
    *(boolean(key, lambda rule, _, key=key: bool(rule.options.get(key)))
      for key in protection.BOOLEANS),
    *(array(key, lambda rule, _, key=key: list(rule.options.get(key) or []), items="string")
      for key in protection.USER_LISTS + protection.TEAM_LISTS),
    *(string(key, lambda rule, _, key=key: rule.options.get(key) or "")
      for key in protection.STRINGS),
    array("status_check_contexts",
          lambda rule, _: list(rule.options.get("status_check_contexts") or []), items="string"),
    integer("required_approvals", lambda rule, _: int(rule.options.get("required_approvals") or 0)),
    time("created_at", lambda rule, _: rfc3339(rule.created_at)),
    time("updated_at", lambda rule, _: rfc3339(rule.updated_at)),
])


def protection_json(rule) -> dict:
    return BRANCH_PROTECTION_SHAPE(rule)
