"""Gitea's ``repoAssignment`` for anonymous callers: on every ``/api/v1/repos/{owner}/{repo}``
route, a repository an anonymous caller may not see is a 404 before the responder runs, so no
route can tell it exists by answering 401 ("sign in") or 422 (a body checked first).

Signed-in callers are left to the resources, which resolve the repository with the caller's
permission anyway (a token's missing scope is their 403 to give)."""

from __future__ import annotations

from plue_core.identity import current_identity

from plue_git_hosting.resources.common import REPO


class AnonymousRepositoryGate:
    def __init__(self, hosting):
        self.hosting = hosting

    def process_resource(self, req, resp, resource, params):
        if (resource is None or current_identity(req) is not None or "owner" not in params
                or "repo" not in params or not (req.uri_template or "").startswith(REPO)):
            return
        self.hosting.require_repository(None, params["owner"], params["repo"])
