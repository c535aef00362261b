"""Gitea's star endpoints: the caller's star on a repository, the repositories a user starred,
a repository's stargazers."""

from __future__ import annotations

import falcon

from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.errors import NotFound
from plue_core.identity import current_identity, require_identity
from plue_core.openapi import operation
from plue_core.pagination import paginate

from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.resources.repositories import RepositoryListing
from plue_git_hosting.schemas.shapes.repository import REPOSITORY_SHAPE
from plue_git_hosting.stars import STARS

TAGS = ("user",)


class StarResource(GitHostingResource):
    """``/user/starred/{owner}/{repo}``: anyone who can read a repository may star it, an
    archived one too (Gitea has no ``mustNotBeArchived`` here)."""

    @operation("Whether the authenticated user is starring the repository (204 yes, 404 no)",
               status=204, tags=TAGS, operation_id="userCurrentCheckStarring")
    def on_get(self, req, resp, owner, repo):
        identity = require_identity(req, scope=("read", "repository"))
        repository = self.readable(req, owner, repo)
        if not STARS.has(identity.user_id, repository.id):
            raise NotFound(f"{repository.full_name} is not starred")
        resp.status = falcon.HTTP_204

    @operation("Star the repository", status=204, tags=TAGS, operation_id="userCurrentPutStar")
    def on_put(self, req, resp, owner, repo):
        identity = require_identity(req, scope=("write", "repository"))
        STARS.add(identity.user_id, self.readable(req, owner, repo).id)
        resp.status = falcon.HTTP_204

    @operation("Unstar the repository (204 whether it was starred or not)", status=204,
               tags=TAGS, operation_id="userCurrentDeleteStar")
    def on_delete(self, req, resp, owner, repo):
        identity = require_identity(req, scope=("write", "repository"))
        STARS.remove(identity.user_id, self.readable(req, owner, repo).id)
        resp.status = falcon.HTTP_204


class CurrentUserStarredResource(RepositoryListing):
    @operation("The repositories the authenticated user has starred", response=REPOSITORY_SHAPE,
               many=True, tags=TAGS, query=("page", "limit"),
               operation_id="userCurrentListStarred")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "repository"))
        user = self.accounts.account_for(identity)
        resp.media = self.respond_page(req, resp, STARS.repositories_query(
            self.accounts, identity, user, public_only=False))


class UserStarredResource(RepositoryListing):
    @operation("The repositories a user has starred (only public ones to others)",
               response=REPOSITORY_SHAPE, many=True, tags=TAGS, query=("page", "limit"),
               operation_id="userListStarred")
    def on_get(self, req, resp, username):
        identity = current_identity(req)
        user = self.accounts.get_visible_user(identity, username)
        mine = identity is not None and identity.user_id == user.id
        resp.media = self.respond_page(req, resp, STARS.repositories_query(
            self.accounts, identity, user, public_only=not mine))


class StargazersResource(GitHostingResource):
    @operation("List a repository's stargazers", response=USER_SHAPE, many=True,
               tags=("repository",), query=("page", "limit"), operation_id="repoListStargazers")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        rows = paginate(req, resp, STARS.users_query(repository), self.pagination)
        resp.media = [self.accounts.user_json(row, req.context.identity) for row in rows]
