"""Gitea's repository endpoints: create, get, edit, delete, lists, search, forks."""

from __future__ import annotations

import falcon

from plue_core.errors import NotFound
from plue_core.identity import current_identity, require_admin, require_identity
from plue_core.openapi import operation
from plue_core.pagination import Page, paginate
from plue_core.validation import load_body

from plue_git_hosting import permissions, repositories, repository_lists
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.options import CreateForkOption, CreateRepoOption, EditRepoOption
from plue_git_hosting.schemas.shapes.repository import REPOSITORY_SHAPE, repositories_json, repository_json

TAGS = ("repository",)


class RepositoryListing(GitHostingResource):
    def respond_page(self, req, resp, query, total: int | None = None) -> list[dict]:
        rows = paginate(req, resp, query, self.pagination, total=total)
        return repositories_json(self.hosting, rows, self.memo(req))

    def reach(self, req) -> int:
        """How far into its list the request's page reaches (offset + limit): lists cut
        from several indexes take that many rows of each."""
        page = Page.from_request(req, self.pagination)
        return page.offset + page.limit

    def create_in(self, req, resp, owner) -> None:
        identity = require_identity(req, scope=("write", "repository"))
        options = load_body(req, CreateRepoOption)
        repositories.check_can_create_in(self.accounts, identity, owner)
        creator = self.accounts.account_for(identity)
        repository = repositories.create_repository(self.hosting, owner, creator, options)
        resp.status = falcon.HTTP_201
        resp.media = repository_json(self.hosting, repository, self.memo(req))


class CurrentUserReposResource(RepositoryListing):
    @operation("List the repositories the authenticated user owns or can access",
               response=REPOSITORY_SHAPE, many=True, tags=TAGS, query=("page", "limit"),
               operation_id="userCurrentListRepos")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "repository"))
        query, total = repository_lists.reachable(self.accounts, identity, reach=self.reach(req))
        resp.media = self.respond_page(req, resp, query, total)

    @operation("Create a repository for the authenticated user", request=CreateRepoOption,
               response=REPOSITORY_SHAPE, status=201, tags=TAGS,
               operation_id="createCurrentUserRepo")
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "repository"))
        self.create_in(req, resp, self.accounts.account_for(identity))


class UserReposResource(RepositoryListing):
    @operation("List a user's repositories", response=REPOSITORY_SHAPE, many=True, tags=TAGS,
               query=("page", "limit"), operation_id="userListRepos")
    def on_get(self, req, resp, username):
        identity = current_identity(req)
        owner = self.accounts.get_visible_user(identity, username)
        query = repository_lists.owned_by(self.accounts, identity, owner)
        resp.media = self.respond_page(req, resp, query)


class AdminUserReposResource(RepositoryListing):
    @operation("Create a repository on behalf of a user (site administrators)",
               request=CreateRepoOption, response=REPOSITORY_SHAPE, status=201, tags=("admin",),
               operation_id="adminCreateRepo")
    def on_post(self, req, resp, username):
        require_admin(req)
        owner = self.accounts.find_account(username)
        if owner is None:
            raise NotFound(f"user or organization {username!r} does not exist")
        self.create_in(req, resp, owner)


class OrgReposResource(RepositoryListing):
    def _org(self, req, name: str):
        org = self.accounts.find_org(name)
        if org is None or not self.accounts.can_see_account(current_identity(req), org):
            raise NotFound(f"organization {name!r} does not exist")
        return org

    @operation("List an organization's repositories", response=REPOSITORY_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"), operation_id="orgListRepos")
    def on_get(self, req, resp, org):
        owner = self._org(req, org)
        query = repository_lists.owned_by(self.accounts, current_identity(req), owner)
        resp.media = self.respond_page(req, resp, query)

    @operation("Create a repository in an organization", request=CreateRepoOption,
               response=REPOSITORY_SHAPE, status=201, tags=("organization",),
               operation_id="createOrgRepo")
    def on_post(self, req, resp, org):
        require_identity(req, scope=("write", "repository"))
        self.create_in(req, resp, self._org(req, org))

    def on_post_deprecated(self, req, resp, org):
        """Gitea's ``POST /org/{org}/repos`` (createOrgRepoDeprecated), which older generated
        clients (giteapy's ``create_org_repo``) still call."""
        self.on_post(req, resp, org)


class RepoSearchResource(RepositoryListing):
    @operation("Search for repositories", tags=TAGS, operation_id="repoSearch",
               query=("q", "topic", "includeDesc", "uid", "priority_owner_id", "private",
                      "is_private", "template", "archived", "mode", "exclusive", "sort",
                      "order", "page", "limit"))
    def on_get(self, req, resp):
        query, total = repository_lists.search(
            self.accounts, current_identity(req), reach=self.reach(req),
            q=req.get_param("q") or "",
            topic=bool(req.get_param_as_bool("topic")),
            include_desc=bool(req.get_param_as_bool("includeDesc")),
            uid=req.get_param_as_int("uid"), exclusive=bool(req.get_param_as_bool("exclusive")),
            private=req.get_param_as_bool("private"),
            is_private=req.get_param_as_bool("is_private"),
            template=req.get_param_as_bool("template"),
            archived=req.get_param_as_bool("archived"), mode=req.get_param("mode") or "",
            sort=req.get_param("sort") or "alpha", order=req.get_param("order") or "asc",
            priority_owner_id=req.get_param_as_int("priority_owner_id"))
        resp.media = {"ok": True, "data": self.respond_page(req, resp, query, total)}


class RepositoryByIdResource(GitHostingResource):
    @operation("Get a repository by id", response=REPOSITORY_SHAPE, tags=TAGS,
               operation_id="repoGetByID")
    def on_get(self, req, resp, repository_id):
        repository = permissions.find_repository_by_id(repository_id)
        if repository is None or not self.memo(req).can(repository, "read"):
            raise NotFound(f"repository {repository_id} does not exist")
        resp.media = repository_json(self.hosting, repository, self.memo(req))


class RepositoryResource(GitHostingResource):
    @operation("Get a repository", response=REPOSITORY_SHAPE, tags=TAGS, operation_id="repoGet")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo, branch_count=True)
        resp.media = repository_json(self.hosting, repository, self.memo(req),
                                     branch_count=repository.branch_count)

    @operation("Edit a repository's properties (only what is sent changes)",
               request=EditRepoOption, response=REPOSITORY_SHAPE, tags=TAGS,
               operation_id="repoEdit")
    def on_patch(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo, "admin", allow_archived=True)
        changes = load_body(req, EditRepoOption)
        updated = repositories.edit_repository(self.hosting, repository, changes)
        self.memo(req).forget(updated)
        resp.media = repository_json(self.hosting, updated, self.memo(req))

    @operation("Delete a repository", status=204, tags=TAGS, operation_id="repoDelete")
    def on_delete(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo, "admin", allow_archived=True)
        repositories.delete_repository(self.hosting, repository)
        resp.status = falcon.HTTP_204


class ForksResource(RepositoryListing):
    @operation("List a repository's forks", response=REPOSITORY_SHAPE, many=True, tags=TAGS,
               query=("page", "limit"), operation_id="listForks")
    def on_get(self, req, resp, owner, repo):
        source = self.readable(req, owner, repo)
        query = repository_lists.forks_of(self.accounts, current_identity(req), source)
        resp.media = self.respond_page(req, resp, query)

    @operation("Fork a repository", request=CreateForkOption, response=REPOSITORY_SHAPE,
               status=202, tags=TAGS, operation_id="createFork")
    def on_post(self, req, resp, owner, repo):
        identity = require_identity(req, scope=("write", "repository"))
        source = self.readable(req, owner, repo)
        options = load_body(req, CreateForkOption)
        creator = self.accounts.account_for(identity)
        target = creator
        if options.get("organization"):
            target = self.accounts.find_org(options["organization"])
            if target is None or not self.accounts.can_see_account(identity, target):
                raise NotFound(f"organization {options['organization']!r} does not exist")
            repositories.check_can_create_in(self.accounts, identity, target)
        fork = repositories.fork_repository(self.hosting, source, target, creator, options.get("name"))
        resp.status = falcon.HTTP_202
        resp.media = repository_json(self.hosting, fork, self.memo(req), parent=source)
