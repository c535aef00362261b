"""Seed 003's /api/repos resources (errors are ``{"error": ...}`` by the path's family), and
GET /api/repos/{id}/commits, a Plue addition that shows what syncs stored."""

from __future__ import annotations

from plue_core.errors import BadRequest, Invalid
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body
from plue_core.integers import INT64_MAX, parse_id
from plue_tracked_repos import repositories
from plue_tracked_repos.schemas import (
    AddRepositoryRequest,
    DELETED_SHAPE,
    TRACKED_COMMIT_SHAPE,
    TRACKED_REPOSITORY_SHAPE,
    VALIDATION_SHAPE,
)

TAGS = ("tracked_repos",)


def caller(req) -> int:
    access = "read" if req.method in ("GET", "HEAD") else "write"
    return require_identity(req, scope=(access, "repository")).user_id


class RepositoriesResource:
    def __init__(self, service):
        self.service = service

    @operation("List the repositories you track", response=TRACKED_REPOSITORY_SHAPE, many=True, tags=TAGS)
    def on_get(self, req, resp):
        resp.media = TRACKED_REPOSITORY_SHAPE.many(repositories.list_repositories(caller(req)))

    @operation("Track a GitHub or GitLab repository", request=AddRepositoryRequest,
               response=TRACKED_REPOSITORY_SHAPE, status=201, tags=TAGS)
    def on_post(self, req, resp):
        user_id = caller(req)
        try:
            body = load_body(req, AddRepositoryRequest)
        except Invalid as exc:  # seed 003 answers 400 for every unusable body
            raise BadRequest(exc.message) from None
        resp.media = TRACKED_REPOSITORY_SHAPE(repositories.add_repository(user_id, body["url"]))
        resp.status = 201


class RepositoryResource:
    def __init__(self, service):
        self.service = service

    @operation("Stop tracking a repository and delete its commits", response=DELETED_SHAPE,
               tags=TAGS)
    def on_delete(self, req, resp, repo_id):
        repositories.delete_repository(caller(req), repo_id)
        resp.media = DELETED_SHAPE({"message": "repository removed"})


class RepositoryValidationResource:
    def __init__(self, service):
        self.service = service

    @operation("Validation status of a repository (checked by each sync)",
               response=VALIDATION_SHAPE, tags=TAGS)
    def on_post(self, req, resp, repo_id):
        repository = repositories.get_repository(caller(req), repo_id)
        resp.media = VALIDATION_SHAPE({"id": repository.id, "url": repository.url,
                                       "provider": repository.provider,
                                       "is_valid": repository.is_valid,
                                       "message": "validation will be performed during sync"})


class RepositoryCommitsResource:
    """Plue addition: the commits the last syncs stored, newest first (?page=, ?limit=)."""

    def __init__(self, service):
        self.service = service

    @operation("Commits synced from the provider", response=TRACKED_COMMIT_SHAPE, many=True,
               query=("page", "limit"), tags=TAGS)
    def on_get(self, req, resp, repo_id):
        repository = repositories.get_repository(caller(req), repo_id)
        page = _positive_int(req, "page", 1)
        limit = min(_positive_int(req, "limit", 30), 100)
        # A page past a 64-bit offset is empty anyway; the database takes no wider offset.
        offset = min((page - 1) * limit, INT64_MAX)
        commits, total = repositories.list_commits(repository, offset=offset, limit=limit)
        resp.set_header("X-Total-Count", str(total))
        resp.media = TRACKED_COMMIT_SHAPE.many(commits)


def _positive_int(req, name: str, default: int) -> int:
    raw = req.get_param(name)
    if raw is None:
        return default
    number = parse_id(raw)
    if number is None or number < 1:
        raise BadRequest(f"{name} must be a positive 64-bit integer, got {raw!r}")
    return number
