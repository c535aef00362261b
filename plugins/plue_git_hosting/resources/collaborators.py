"""Gitea's collaborator endpoints, and the repository's assignees (who may write it)."""

from __future__ import annotations

import falcon

from plue_core.errors import Forbidden, NotFound
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.validation import load_body

from plue_git_hosting import collaborators
from plue_git_hosting.resources.common import GitHostingResource
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_git_hosting.schemas.options import AddCollaboratorOption

TAGS = ("repository",)


class CollaboratorsResource(GitHostingResource):
    @operation("List a repository's collaborators", response=USER_SHAPE, many=True,
               tags=TAGS, query=("page", "limit"), operation_id="repoListCollaborators")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        query = collaborators.collaborators_query(repository)
        rows = paginate(req, resp, query, self.pagination)
        resp.media = [self.accounts.user_json(row, req.context.identity) for row in rows]


class CollaboratorResource(GitHostingResource):
    @operation("Is the user a collaborator? (204 yes, 404 no)", status=204, tags=TAGS,
               operation_id="repoCheckCollaborator")
    def on_get(self, req, resp, owner, repo, collaborator):
        repository = self.readable(req, owner, repo)
        user = collaborators.find_user_or_422(self.accounts, collaborator)
        if not collaborators.is_collaborator(repository, user):
            raise NotFound(f"{collaborator!r} is not a collaborator of {repository.full_name}")
        resp.status = falcon.HTTP_204

    @operation("Add or change a collaborator", request=AddCollaboratorOption, status=204,
               tags=TAGS, operation_id="repoAddCollaborator")
    def on_put(self, req, resp, owner, repo, collaborator):
        repository = self.writable(req, owner, repo, "admin")
        options = load_body(req, AddCollaboratorOption)
        user = collaborators.find_user_or_422(self.accounts, collaborator)
        collaborators.add_collaborator(repository, user, options["permission"])
        resp.status = falcon.HTTP_204

    @operation("Remove a collaborator", status=204, tags=TAGS, operation_id="repoDeleteCollaborator")
    def on_delete(self, req, resp, owner, repo, collaborator):
        repository = self.writable(req, owner, repo, "admin", allow_archived=True)
        user = collaborators.find_user_or_422(self.accounts, collaborator)
        collaborators.remove_collaborator(repository, user)
        resp.status = falcon.HTTP_204


class CollaboratorPermissionResource(GitHostingResource):
    @operation("A user's permission on the repository", tags=TAGS,
               operation_id="repoGetRepoPermissions")
    def on_get(self, req, resp, owner, repo, collaborator):
        repository = self.readable(req, owner, repo)
        identity = req.context.identity
        user = self.accounts.get_user(collaborator)
        if identity is None or (identity.user_id != user.id and not self.memo(req).can(repository, "admin")):
            raise Forbidden("only repository administrators may see other users' permissions")
        level = collaborators.permission_of_user(self.accounts, repository, user)
        if user.id == repository.owner_id:
            level = "owner"
        resp.media = {"permission": level, "role_name": level,
                      "user": self.accounts.user_json(user, identity)}


class AssigneesResource(GitHostingResource):
    @operation("List the users who can be assigned to issues and pull requests (writers)",
               response=USER_SHAPE, many=True, tags=TAGS, query=("page", "limit"),
               operation_id="repoGetAssignees")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        rows = paginate(req, resp, collaborators.assignees_query(repository), self.pagination)
        resp.media = [self.accounts.user_json(row, req.context.identity) for row in rows]
