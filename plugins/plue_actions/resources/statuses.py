"""Commit statuses: the actions jobs' statuses, plus any posted through the API."""

from __future__ import annotations

import falcon
from marshmallow import Schema, fields, validate

from plue_core.db import utcnow, write_transaction
from plue_core.errors import NotFound
from plue_core.openapi import operation
from plue_core.pagination import Page
from plue_core.validation import load_body

from plue_actions import commit_statuses, run_queries
from plue_actions.resources.access import ActionsResource
from plue_actions.schemas.shapes import COMBINED_STATUS_SHAPE, COMMIT_STATUS_SHAPE

STATES = ("pending", "success", "error", "failure", "warning", "skipped")
# Gitea's combined state: the worst state wins, in this order.
_SEVERITY = ["error", "failure", "warning", "pending", "success", "skipped"]


class CreateStatusOption(Schema):
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    target_url = fields.String(load_default="")
    description = fields.String(load_default="")
    context = fields.String(load_default="default")


class StatusRendering(ActionsResource):
    def sha_of(self, repository, ref: str) -> str:
        try:
            with self.hosting.open_git(repository) as repo:
                return self.hosting.resolve_commit(repo, ref)[1].id.decode()
        except NotFound:
            raise NotFound(f"no branch, tag or commit named {ref!r}") from None

    def render(self, repository, row, shapes) -> dict:
        return shapes.commit_status(row, repository)

    def rows(self, repository, sha: str, req):
        return run_queries.commit_statuses(repository, sha, state=req.get_param("state"),
                                           sort=req.get_param("sort"))


class StatusesResource(StatusRendering):
    """GET /commits/{ref}/statuses and GET/POST /statuses/{sha}."""

    @operation("List a commit's statuses", response=COMMIT_STATUS_SHAPE, many=True,
               tags=["repository"], operation_id={
                   "/api/v1/repos/{}/{}/statuses/{}": "repoListStatuses",
                   "/api/v1/repos/{}/{}/commits/{}/statuses": "repoListStatusesByRef"})
    def on_get(self, req, resp, owner, repo, ref=None, sha=None):
        repository = self.repository(req, owner, repo)
        commit = self.sha_of(repository, ref or sha)
        page = Page.from_request(req, self.pagination)
        query = self.rows(repository, commit, req)
        page.set_headers(req, resp, query.count())
        shapes = self.shapes(req)
        resp.media = [self.render(repository, row, shapes) for row in page.apply(query)]

    @operation("Create a commit status", request=CreateStatusOption, response=COMMIT_STATUS_SHAPE,
               status=201, tags=["repository"], operation_id="repoCreateStatus")
    def on_post(self, req, resp, owner, repo, sha):
        repository = self.repository(req, owner, repo, "write")
        body = load_body(req, CreateStatusOption)
        commit = self.sha_of(repository, sha)
        now = utcnow()
        with write_transaction():
            row = commit_statuses.create_status(
                self.service, repository_id=repository.id, sha=commit,
                context=body["context"][:255], state=body["state"],
                description=body["description"][:255], target_url=body["target_url"][:2048],
                creator_id=req.context.identity.user_id, created=now, updated=now)
        resp.status = falcon.HTTP_201
        resp.media = self.render(repository, row, self.shapes(req))


class CommitStatusesResource(StatusRendering):
    """GET /commits/{ref}/statuses only: Gitea creates statuses by sha (POST /statuses/{sha})."""

    on_get = StatusesResource.on_get


class CombinedStatusResource(StatusRendering):
    @operation("A commit's combined status (latest per context)", response=COMBINED_STATUS_SHAPE,
               tags=["repository"], operation_id="repoGetCombinedStatusByRef")
    def on_get(self, req, resp, owner, repo, ref):
        repository = self.repository(req, owner, repo)
        commit = self.sha_of(repository, ref)
        latest: dict = {}
        for row in run_queries.commit_statuses(repository, commit, state=req.get_param("state"),
                                               sort="oldest"):
            latest[row.context] = row
        shapes = self.shapes(req)
        statuses = [self.render(repository, row, shapes) for row in latest.values()]
        states = [row.state for row in latest.values()]
        state = next((s for s in _SEVERITY if s in states), "") if states else ""
        if states and all(s in ("success", "skipped") for s in states):
            state = "success"
        resp.media = COMBINED_STATUS_SHAPE((state, commit, statuses, shapes.repository(repository)),
                                           self.hosting.api_url(repository))
