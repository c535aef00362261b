"""``/repos/{owner}/{repo}/pulls``, ``/pulls/{index}`` and ``/pulls/{base}/{head}``."""

from __future__ import annotations

import falcon

from plue_core.errors import BadRequest, Invalid, NotFound
from plue_core.openapi import operation
from plue_core.validation import load_body
from plue_core.integers import parse_id, parse_int64
from plue_core.list_query import list_state

from plue_pulls import heads, mergeability, pulls
from plue_pulls.resources.common import PullsApiResource
from plue_pulls.schemas.shapes import PULL_REQUEST_SHAPE
from plue_pulls.schemas.options import CreatePullRequestOption, EditPullRequestOption

TAGS = ("repository",)


def _label_ids(req) -> list[int]:
    raw = req.get_param_as_list("labels") or []
    values = [part.strip() for item in raw for part in str(item).split(",") if part.strip()]
    ids = [parse_int64(value) for value in values]
    if None in ids:
        raise Invalid(f"labels: label ids must be 64-bit integers, got {','.join(values)!r}")
    return ids


class PullsResource(PullsApiResource):
    @operation("List a repository's pull requests", response=PULL_REQUEST_SHAPE, many=True,
               tags=TAGS, operation_id="repoListPullRequests",
               query=("base_branch", "state", "sort", "milestone", "labels", "poster", "page", "limit"))
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo, branch_count=True)
        # Gitea's pull list filters on open/closed only: any other state lists them all.
        state = list_state(req, otherwise="all")
        poster_id = None
        if poster := req.get_param("poster"):
            user = self.service.accounts.find_user(poster)
            if user is None:
                raise BadRequest(f"poster: user {poster!r} does not exist")
            poster_id = user.id
        milestone = req.get_param("milestone") or "0"
        milestone_id = parse_id(milestone)
        if milestone_id is None:
            raise Invalid(f"milestone: must be a milestone id (a 64-bit integer), "
                          f"got {milestone!r}")
        filters = pulls.PullFilters(state=state, sort=req.get_param("sort") or "",
                                    label_ids=_label_ids(req), milestone_id=milestone_id,
                                    poster_id=poster_id,
                                    base_branch=req.get_param("base_branch") or "")
        issues = pulls.search_pull_issues(self.service, access.repository, filters)
        rows = pulls.pulls_of_issues(self.page(req, resp, issues,
                                               total=self.service.issues.count_matching(issues)))
        pulls.attach_repositories(self.service, rows, access.repository)
        resp.media = self.presenter(req, access).pulls(rows)

    @operation("Create a pull request", request=CreatePullRequestOption,
               response=PULL_REQUEST_SHAPE, status=201, tags=TAGS,
               operation_id="repoCreatePullRequest")
    def on_post(self, req, resp, owner, repo):
        access, doer = self.write_access(req, owner, repo)
        options = load_body(req, CreatePullRequestOption)
        pull = self.service.create_pull(access, doer, options)
        mergeability.refresh(self.service, pull)
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).pull(pull)


class PinnedPullsResource(PullsApiResource):
    @operation("List a repo's pinned pull requests", response=PULL_REQUEST_SHAPE, many=True,
               tags=TAGS, operation_id="repoListPinnedPullRequests")
    def on_get(self, req, resp, owner, repo):
        """The issues plugin keeps the pins (``pinned``); their order is theirs."""
        access = self.read_access(req, owner, repo, branch_count=True)
        rows = pulls.pulls_of_issues(list(self.service.issues.pinned(access.repository,
                                                                     is_pull=True)))
        pulls.attach_repositories(self.service, rows, access.repository)
        resp.media = self.presenter(req, access).pulls(rows)


class PullResource(PullsApiResource):
    @operation("Get a pull request", response=PULL_REQUEST_SHAPE, tags=TAGS,
               operation_id="repoGetPullRequest")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo, branch_count=True)
        pull = mergeability.refresh_if_checking(self.service,
                                                self.pull(access, index, with_parts=True))
        resp.media = self.presenter(req, access).pull(pull)

    @operation("Edit a pull request (Gitea answers 201)", request=EditPullRequestOption,
               response=PULL_REQUEST_SHAPE, status=201, tags=TAGS,
               operation_id="repoEditPullRequest")
    def on_patch(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        pull = self.pull(access, index)
        changes = load_body(req, EditPullRequestOption)
        pulls.edit_pull(self.service, access, pull, changes, doer)
        pull = mergeability.refresh_if_checking(self.service, self.pull(access, pull.issue.number))
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).pull(pull)


class PullByBranchesResource(PullsApiResource):
    """``GET /pulls/{base}/{head}``: the open (else latest) pull request joining the two."""

    @operation("Get a pull request by base and head", response=PULL_REQUEST_SHAPE, tags=TAGS,
               operation_id="repoGetPullRequestByBaseHead")
    def on_get(self, req, resp, owner, repo, index, head):
        access = self.read_access(req, owner, repo, branch_count=True)
        head_repository, head_branch = heads.resolve_head(
            self.service, access.repository, access.identity, head)
        pull = pulls.latest_pull_for(self.service, head_repository.id, head_branch,
                                     access.repository.id, index)
        if pull is None:
            raise NotFound(f"no pull request from {head!r} into {index!r} in {access.full_name}")
        pull = pulls.attach_repositories(self.service, [pull], access.repository)[0]
        pull = mergeability.refresh_if_checking(self.service, pull)
        resp.media = self.presenter(req, access).pull(pull)
