"""``/repos/{owner}/{repo}/tag_protections`` and ``.../tag_protections/{id}``: Gitea's
``reqToken(), reqAdmin()``, repository administrators only; writes refused on an archived
repository (423) except the delete, as in Gitea."""

from __future__ import annotations

import falcon

from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_git_hosting import tag_protections
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.options import CreateTagProtectionOption, EditTagProtectionOption
from plue_git_hosting.schemas.shapes.tag_protection import (
    TAG_PROTECTION_SHAPE, tag_protection_json,
)

TAGS = ("repository",)


class TagProtectionsApiResource(GitHostingResource):
    def admin_access(self, req, owner: str, repo: str, *, writes: bool = False):
        """404 when the caller cannot see the repository, 403 below admin, 423 for ``writes``
        on an archived one."""
        reading = req.method in ("GET", "HEAD")
        require_identity(req, scope=("read" if reading else "write", "repository"))
        return self.hosting.require_repository(
            req.context.identity, owner, repo, "admin", writes=writes,
            to="manage its tag protections", memo=self.memo(req)).repository


class TagProtectionsResource(TagProtectionsApiResource):
    @operation("List tag protections", response=TAG_PROTECTION_SHAPE, many=True, tags=TAGS,
               operation_id="repoListTagProtection")
    def on_get(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        resp.media = [tag_protection_json(rule) for rule in tag_protections.rules_of(repository)]

    @operation("Create a tag protection", request=CreateTagProtectionOption,
               response=TAG_PROTECTION_SHAPE, status=201, tags=TAGS,
               operation_id="repoCreateTagProtection")
    def on_post(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo, writes=True)
        options = load_body(req, CreateTagProtectionOption)
        resp.media = tag_protection_json(tag_protections.create_rule(repository, options))
        resp.status = falcon.HTTP_201


class TagProtectionResource(TagProtectionsApiResource):
    @operation("Get a tag protection", response=TAG_PROTECTION_SHAPE, tags=TAGS,
               operation_id="repoGetTagProtection")
    def on_get(self, req, resp, owner, repo, protection_id):
        repository = self.admin_access(req, owner, repo)
        resp.media = tag_protection_json(tag_protections.get_rule(repository, protection_id))

    @operation("Edit a tag protection (only the fields given change)",
               request=EditTagProtectionOption, response=TAG_PROTECTION_SHAPE, tags=TAGS,
               operation_id="repoEditTagProtection")
    def on_patch(self, req, resp, owner, repo, protection_id):
        repository = self.admin_access(req, owner, repo, writes=True)
        rule = tag_protections.get_rule(repository, protection_id)
        changes = load_body(req, EditTagProtectionOption)
        resp.media = tag_protection_json(tag_protections.edit_rule(repository, rule, changes))

    @operation("Delete a tag protection", status=204, tags=TAGS,
               operation_id="repoDeleteTagProtection")
    def on_delete(self, req, resp, owner, repo, protection_id):
        repository = self.admin_access(req, owner, repo)
        tag_protections.delete_rule(tag_protections.get_rule(repository, protection_id))
        resp.status = falcon.HTTP_204
