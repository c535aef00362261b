"""Gitea's ``PullRequest``, ``PullReview``, ``PullReviewComment``, ``ChangedFile`` and
``BranchProtection``, rendered for one viewer.

A page of pull requests costs a handful of queries and one ref read per repository involved:
the issue parts come from the issues plugin's presenter (labels, milestone, assignees in
bulk), branch tips from one ``refs`` read per repository, embedded repositories once each.
"""

from __future__ import annotations

import urllib.parse

from plue_core.timestamps import rfc3339
from plue_pulls import protection, pulls, refs, review_requests
from plue_pulls.models import Review

ISSUE_FIELDS = ("user", "title", "body", "labels", "milestone", "assignee", "assignees", "state",
                "is_locked", "comments", "due_date", "created_at", "updated_at", "closed_at",
                "pin_order", "content_version")


def accounts_by_id(ids) -> dict:
    """Accounts for a page of rows in one query (None ids are skipped)."""
    from plue_core.accounts.models import Account
    wanted = [i for i in ids if i]
    return {a.id: a for a in Account.select().where(Account.id.in_(wanted))} if wanted else {}


def is_mergeable(pull) -> bool:
    """Gitea's ``PullRequest.Mergeable``: not while checking, not with conflicts or errors,
    never for a draft."""
    return pull.status in ("mergeable", "empty") and not pulls.is_draft(pull.issue.title)


class PullPresenter:
    def __init__(self, service, viewer, repository):
        self.service = service
        self.viewer = viewer
        self.repository = repository
        self.base_url = service.base_url
        self._repositories: dict[int, dict] = {}
        self._tips: dict[int, dict[str, str]] = {}

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
            # Fresh: counters (open pull requests) may have moved since the request loaded it.
            fresh = self.service.hosting.get_repository_by_id(repository.id) or repository
            self._repositories[repository.id] = self.service.hosting.repository_json(fresh, self.viewer)
        return self._repositories[repository.id]

    def tips(self, repository) -> dict[str, str]:
        if repository.id not in self._tips:
            try:
                with self.service.hosting.open_git(repository) as repo:
                    self._tips[repository.id] = refs.branch_tips(repo)
            except Exception:  # a repository missing on disk shows no tips, not a 500
                self._tips[repository.id] = {}
        return self._tips[repository.id]

    # --- pull requests -------------------------------------------------------------------

    def pulls(self, rows) -> list[dict]:
        rows = list(rows)
        if not rows:
            return []
        presenter = self.service.issues.presenter(self.viewer, repository=self.repository)
        issue_bodies = presenter.issues([pull.issue for pull in rows])
        review_comments = pulls.count_review_comments([pull.id for pull in rows])
        mergers = self._mergers(rows)
        requested = review_requests.requested_reviewers([pull.id for pull in rows])
        bodies = [self._pull(pull, issue, review_comments.get(pull.id, 0), mergers)
                  for pull, issue in zip(rows, issue_bodies)]
        for pull, body in zip(rows, bodies):
            body["requested_reviewers"] = [self.user(user) for user in requested[pull.id]]
        return bodies

    def pull(self, pull) -> dict:
        return self.pulls([pull])[0]

    def _mergers(self, rows) -> dict:
        return accounts_by_id({pull.merged_by_id for pull in rows})

    def _branch_info(self, repository, branch: str, ref: str, sha: str) -> dict:
        return {"label": branch, "ref": ref, "sha": sha,
                "repo_id": repository.id if repository is not None else -1,
                "repo": self.repository_json(repository) if repository is not None else None}

    def _pull(self, pull, issue_body: dict, review_comments: int, mergers: dict) -> dict:
        number = pull.issue.number
        html = self.pull_html_url(number)
        base_sha = self.tips(pull.base_repository).get(pull.base_branch, pull.base_sha)
        head_repository = pull.head_repository
        head_tip = self.tips(head_repository).get(pull.head_branch) if head_repository else None
        head_ref = pull.head_branch if head_tip else pull.pull_ref
        body = {"id": pull.id, "url": html, "number": number}
        body.update({key: issue_body[key] for key in ISSUE_FIELDS})
        body.update({
            "requested_reviewers": [], "requested_reviewers_teams": [],
            "draft": pulls.is_draft(pull.issue.title),
            "review_comments": review_comments,
            "additions": pull.additions, "deletions": pull.deletions,
            "changed_files": pull.changed_files,
            "html_url": html, "diff_url": f"{html}.diff", "patch_url": f"{html}.patch",
            "mergeable": is_mergeable(pull),
            "merged": bool(pull.is_merged),
            "merged_at": rfc3339(pull.merged_at) if pull.is_merged else None,
            "merge_commit_sha": pull.merge_commit_sha if pull.is_merged else None,
            "merged_by": self.user(mergers.get(pull.merged_by_id)) if pull.is_merged else None,
            "allow_maintainer_edit": bool(pull.allow_maintainer_edit),
            "base": self._branch_info(pull.base_repository, pull.base_branch, pull.base_branch,
                                      base_sha),
            "head": self._branch_info(head_repository, pull.head_branch, head_ref,
                                      head_tip or pull.head_sha),
            "merge_base": pull.merge_base,
        })
        return body

    # --- reviews ---------------------------------------------------------------------------

    def reviews(self, rows, pull) -> list[dict]:
        from plue_pulls import reviews as review_rules
        rows = list(rows)
        counts = review_rules.comment_counts([r.id for r in rows])
        reviewers = accounts_by_id({r.reviewer_id for r in rows})
        return [self._review(review, pull, counts.get(review.id, 0), reviewers.get(review.reviewer_id))
                for review in rows]

    def review(self, review, pull) -> dict:
        return self.reviews([review], pull)[0]

    def _review(self, review: Review, pull, comments: int, reviewer) -> dict:
        html = self.pull_html_url(pull.issue.number)
        return {
            "id": review.id, "user": self.user(reviewer), "team": None,
            "state": review.state, "body": review.body, "commit_id": review.commit_id,
            "stale": review.state != "PENDING" and bool(review.commit_id)
            and review.commit_id != pull.head_sha,
            "official": bool(review.official), "dismissed": bool(review.dismissed),
            "comments_count": comments,
            "submitted_at": rfc3339(review.created_at), "updated_at": rfc3339(review.updated_at),
            "html_url": f"{html}#issuecomment-{review.id}", "pull_request_url": html,
        }

    def review_comments(self, rows, pull) -> list[dict]:
        html = self.pull_html_url(pull.issue.number)
        rows = list(rows)
        people = accounts_by_id({c.poster_id for c in rows} | {c.resolver_id for c in rows})
        result = []
        for comment in rows:
            line = comment.line
            result.append({
                "id": comment.id, "body": comment.body, "user": self.user(people.get(comment.poster_id)),
                "resolver": self.user(people.get(comment.resolver_id)),
                "pull_request_review_id": comment.review_id,
                "created_at": rfc3339(comment.created_at), "updated_at": rfc3339(comment.updated_at),
                "path": comment.path, "commit_id": comment.commit_id,
                "original_commit_id": comment.original_commit_id, "diff_hunk": comment.diff_hunk,
                "position": line if line > 0 else 0,
                "original_position": -line if line < 0 else 0,
                "html_url": f"{html}/files#issuecomment-{comment.id}", "pull_request_url": html,
            })
        return result

    # --- files -------------------------------------------------------------------------------

    def changed_files(self, files, head_sha: str) -> list[dict]:
        statuses = {"A": "added", "D": "deleted", "R": "renamed", "C": "copied"}
        result = []
        for code, path, added, deleted, previous in files:
            status = statuses.get(code, "changed")
            if status == "changed" and added == 0 and deleted == 0:
                status = "unchanged"  # a mode change or a binary file, as Gitea counts them
            escaped = urllib.parse.quote(path)
            body = {"filename": path, "status": status, "additions": added, "deletions": deleted,
                    "changes": added + deleted,
                    "html_url": f"{self.repo_html_url}/src/commit/{head_sha}/{escaped}",
                    "contents_url": f"{self.repo_api_url}/contents/{escaped}?ref={head_sha}",
                    "raw_url": f"{self.repo_html_url}/raw/commit/{head_sha}/{escaped}"}
            if status == "renamed":
                body["previous_filename"] = previous
            result.append(body)
        return result


def protection_json(rule) -> dict:
    options = rule.options
    body = {"branch_name": "" if protection.is_glob(rule.rule_name) else rule.rule_name,
            "rule_name": rule.rule_name, "priority": rule.priority}
    for key in protection.BOOLEANS:
        body[key] = bool(options.get(key))
    for key in protection.USER_LISTS + protection.TEAM_LISTS:
        body[key] = list(options.get(key) or [])
    for key in protection.STRINGS:
        body[key] = options.get(key) or ""
    body["status_check_contexts"] = list(options.get("status_check_contexts") or [])
    body["required_approvals"] = int(options.get("required_approvals") or 0)
    body["created_at"], body["updated_at"] = rfc3339(rule.created_at), rfc3339(rule.updated_at)
    return body
