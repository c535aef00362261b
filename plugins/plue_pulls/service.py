"""``ctx.services["pulls"]``: the pull-request service other plugins (and the CLI, jobs and
tests) use without HTTP. Documented in docs/pulls.md."""

from __future__ import annotations

import shutil


from plue_core.db import write_transaction
from plue_core.errors import StartupError
from plue_core.validation import load_data

from plue_pulls import (
    diffing, heads, mergeability, merging, protection, pulls, review_requests, reviews,
)
from plue_pulls.models import Review, ReviewComment
from plue_pulls.plumbing import Git
from plue_pulls.schemas.options import CreateBranchProtectionOption, EditBranchProtectionOption
from plue_pulls.schemas.shapes import PullPresenter


class PullsService:
    def __init__(self, ctx):
        self.ctx = ctx
        self._git_executable: str | None = None

    # Looked up late: services are collected from every plugin before any is published.
    @property
    def hosting(self):
        return self.ctx.services["git_hosting"]

    @property
    def issues(self):
        return self.ctx.services["issues"]

    @property
    def accounts(self):
        return self.ctx.services["accounts"]

    @property
    def base_url(self) -> str:
        return self.ctx.config.base_url.rstrip("/")

    def git(self, repository) -> Git:
        """The git binary on ``repository``'s bare directory (merges need it: dulwich has no
        three-way tree merge without extra dependencies)."""
        if self._git_executable is None:
            wanted = self.hosting.settings["git_binary"] or "git"
            found = shutil.which(wanted)
            if found is None:
                raise StartupError(f"the pulls plugin needs the git executable ({wanted!r}) "
                                   "for merges and diffs; install git")
            self._git_executable = found
        return Git(self._git_executable, self.hosting.path_of(repository))

    # A lookup or rule the service only exposes is its module's function, named here as a
    # documented attribute (``name = staticmethod(module.function)``); a method is the
    # service's own: it adds the context, another service, a transaction or an event
    # (docs/plugins.md, "Services"; tests/plugins/pulls/test_pulls_service_members.py).

    # --- pull requests ------------------------------------------------------------------------

    def find_pull(self, repository, number: int):
        """The pull request ``number`` of ``repository`` with its issue (None when there is
        none): the issue row from the issues service, then this plugin's row."""
        return pulls.find_pull(self, repository, number)

    def get_pull(self, access, number: int):
        """The pull request ``number`` of ``access.repository`` with its repositories
        attached; 404 when there is none (or pull requests are switched off)."""
        return pulls.get_pull(self, access, number)

    def open_pull_for(self, repository, head_branch: str, base_branch: str, *,
                      head_repository=None):
        """The open pull request from ``head_branch`` (of ``head_repository``, a fork, when
        given) into ``base_branch`` of ``repository`` (None when there is none)."""
        head_id = (head_repository or repository).id
        return pulls.open_pull_for(self, head_id, head_branch, repository.id, base_branch)

    def resolve_head(self, repository, identity, head: str) -> tuple[object, str]:
        """``branch``, ``owner:branch`` or ``owner/repo:branch`` -> (repository, branch), as
        a new pull request's ``head`` into ``repository`` is read: 404 unless it names
        ``repository``, its parent or one of its forks that ``identity`` may read."""
        return heads.resolve_head(self, repository, identity, head)

    def head_repositories(self, repository, identity) -> list:
        """What a pull request into ``repository`` may come from, as ``identity`` sees it:
        the repository itself, its parent and its forks (owners joined)."""
        return heads.head_repositories(self, repository, identity)

    def fetch_head(self, base, head_repository, head_branch: str) -> None:
        """Copy the objects of a fork's branch into ``base`` (no ref moves), so that ``base``
        can compare with it and name its commits."""
        if head_repository.id != base.id:
            self.git(base).fetch_objects(self.hosting.path_of(head_repository),
                                         f"refs/heads/{head_branch}")

    def commit_shas(self, pull) -> list[str]:
        """The pull request's commits, newest first (the API's ``/pulls/{n}/commits``)."""
        return diffing.commit_shas(self, pull)

    def raw_diff(self, pull, *, patch: bool, binary: bool = False) -> bytes:
        """The pull's ``.diff`` (or ``git format-patch`` ``.patch``) from its merge base: the
        API's ``/pulls/{n}.diff`` and the page its ``diff_url`` / ``patch_url`` name."""
        return diffing.raw_diff(self, pull, patch=patch, binary=binary)

    # The merge styles a repository allows, in Gitea's order (``do`` values).
    merge_styles = staticmethod(merging.allowed_styles)

    # The reviews ``viewer_account`` may see (no one else's pending one), oldest first, each
    # with its reviewer: one query. ``reviews_of(pull, viewer_account)``.
    reviews_of = staticmethod(reviews.reviews_with_reviewers)

    def line_comments_of(self, review_list: list[Review]) -> list[ReviewComment]:
        """The line comments of ``review_list``, oldest first, each with its poster: one
        query."""
        return reviews.line_comments_of([review.id for review in review_list])

    def pull_json(self, repository, number: int, viewer) -> dict | None:
        """Gitea's ``PullRequest`` numbered ``number`` in ``repository`` as ``viewer`` sees
        it (None when there is none): what webhooks send."""
        pull = pulls.find_pull(self, repository, number)
        if pull is None:
            return None
        pulls.attach_repositories(self, [pull], repository)
        return PullPresenter(self, viewer, repository).pull(pull)

    def review_json(self, repository, number: int, review_id: int, viewer) -> dict | None:
        """Gitea's ``PullReview`` ``review_id`` of pull request ``number`` (None when gone)."""
        pull = pulls.find_pull(self, repository, number)
        review = Review.get_or_none(Review.id == review_id)
        if pull is None or review is None:
            return None
        pulls.attach_repositories(self, [pull], repository)
        return PullPresenter(self, viewer, repository).review(review, pull)

    def refresh(self, pull):
        """Bring ``refs/pull/<n>/head``, the merge base and ``mergeable`` up to date now."""
        return mergeability.refresh(self, pull)

    def create_pull(self, access, doer, options: dict):
        return pulls.create_pull(self, access, doer, options)

    def state_changing(self, issue, state: str, doer) -> None:
        """Take part in closing or reopening a pull request's issue (see
        :func:`plue_pulls.pulls.state_changing`)."""
        pulls.state_changing(self, issue, state, doer)

    def issue_edited(self, event) -> None:
        """A pull request's title or body edited (see :func:`plue_pulls.pulls.issue_edited`)."""
        pulls.issue_edited(self, event)

    def merge(self, access, pull, doer, options: dict):
        return merging.merge(self, access, pull, doer, options)

    def submit_review(self, access, pull, doer, options: dict):
        return reviews.create_review(self, access, pull, doer, options)

    def add_review_comment(self, pull, doer, comment: dict):
        """A line comment (``path``, ``body``, ``new_position`` or ``old_position``) on
        ``doer``'s pending review, started when there is none; the review it went on."""
        return reviews.add_pending_comment(self, pull, doer, comment)

    def finish_review(self, access, pull, doer, options: dict):
        """``doer``'s pending review submitted with ``options`` (its line comments are the
        comment a ``COMMENT`` needs, as the API's submit), or a new review when there is
        none: the web's review form."""
        pending = reviews.pending_review_of(pull, doer)
        if pending is None:
            return reviews.create_review(self, access, pull, doer, options)
        return reviews.submit_review(self, access, pull, pending, doer, options)

    def dismiss_review(self, access, pull, review_id, doer, message: str = "", *,
                       dismissed: bool = True):
        """Dismiss (or restore) review ``review_id`` of ``pull``: the API's dismissals rule
        (repository administrators; approvals and change requests only); a dismissal goes
        on the timeline with ``message``, as Gitea records it. 404 for a review that is not
        the pull request's or that ``doer`` may not see."""
        review = reviews.get_review(pull, review_id, doer)
        with write_transaction():
            reviews.set_dismissed(access, review, dismissed)
            if dismissed:
                self.issues.record_review_dismissal(pull.issue, doer, message)
        return review

    def request_reviews(self, access, pull, doer, logins: list[str],
                        team_reviewers: list[str] = ()) -> list[Review]:
        """Gitea's ``POST requested_reviewers``: the new review requests (see
        :mod:`plue_pulls.review_requests` for who may ask whom)."""
        return review_requests.request_reviews(self, access, pull, doer, logins,
                                               list(team_reviewers))

    def withdraw_reviews(self, access, pull, doer, logins: list[str],
                         team_reviewers: list[str] = ()) -> None:
        """Gitea's ``DELETE requested_reviewers``."""
        review_requests.withdraw_reviews(self, access, pull, doer, logins, list(team_reviewers))

    # The branch protection rule that applies to a branch of a repository (None when
    # unprotected).
    protection_for = staticmethod(protection.rule_for)

    def requestable_teams(self, repository) -> list:
        """The teams a review of ``repository``'s pull requests may be asked of (its
        organization's teams that reach them; none for a user's repository)."""
        return review_requests.requestable_teams(self, repository)

    # Who is asked to review pull requests, by pull request id: ``.users`` and ``.teams``
    # (each with its ``org``), in one query.
    requested_of = staticmethod(review_requests.requested_of)

    # A subquery of the issue ids of the pull requests awaiting a user's review, asked of them
    # or of one of their teams (the front page's review requests, through
    # ``issues.issues_across``).
    review_requested_issue_ids = staticmethod(review_requests.requested_issue_ids)

    # --- branch protection rules for a face (the web's settings): the API's options and
    # rules; the caller checks the repository's admin access first ---------------------------

    # A repository's rules; its rule of a name (404 when there is none).
    protection_rules = staticmethod(protection.rules_of)
    protection_rule = staticmethod(protection.get_rule)

    def create_protection(self, repository, options: dict):
        """``CreateBranchProtectionOption`` (validated here; 403 when the name is taken)."""
        return protection.create_rule(self.accounts, repository,
                                      load_data(options, CreateBranchProtectionOption))

    def edit_protection(self, repository, name: str, changes: dict):
        """``EditBranchProtectionOption``: the fields present change."""
        return protection.edit_rule(self.accounts, repository, protection.get_rule(repository, name),
                                    load_data(changes, EditBranchProtectionOption))

    # Delete a repository's rule of a name (404 when there is none).
    delete_protection = staticmethod(protection.delete_rule)
