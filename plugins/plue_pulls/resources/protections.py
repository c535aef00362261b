"""``/repos/{owner}/{repo}/branch_protections`` and ``.../branch_protections/{name}``:
repository administrators only, as in Gitea."""

from __future__ import annotations

import falcon

from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_pulls import protection
from plue_pulls.resources.common import PullsApiResource
from plue_pulls.schemas.options import (
    CreateBranchProtectionOption, EditBranchProtectionOption,
)
from plue_pulls.schemas.shapes import BRANCH_PROTECTION_SHAPE, protection_json

TAGS = ("repository",)


class ProtectionsApiResource(PullsApiResource):
    def admin_access(self, req, owner: str, repo: str):
        """Gitea's ``reqToken(), reqAdmin()``: signed in, and an administrator of a
        repository they can see (404 when they cannot, 403 when they only read or write);
        writes also need it not archived (423). Returns the repository."""
        reading = req.method in ("GET", "HEAD")
        identity = require_identity(req, scope=("read" if reading else "write", "repository"))
        return self.service.hosting.require_repository(
            identity, owner, repo, "admin", writes=not reading,
            to="manage its branch protections").repository


class ProtectionsResource(ProtectionsApiResource):
    @operation("List branch protections", response=BRANCH_PROTECTION_SHAPE, many=True,
               tags=TAGS, operation_id="repoListBranchProtection")
    def on_get(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        resp.media = [protection_json(rule) for rule in protection.rules_of(repository)]

    @operation("Create a branch protection", request=CreateBranchProtectionOption,
               response=BRANCH_PROTECTION_SHAPE, status=201, tags=TAGS,
               operation_id="repoCreateBranchProtection")
    def on_post(self, req, resp, owner, repo):
        repository = self.admin_access(req, owner, repo)
        options = load_body(req, CreateBranchProtectionOption)
        rule = protection.create_rule(self.service.accounts, repository, options)
        resp.status = falcon.HTTP_201
        resp.media = protection_json(rule)


class ProtectionResource(ProtectionsApiResource):
    @operation("Get a branch protection", response=BRANCH_PROTECTION_SHAPE, tags=TAGS,
               operation_id="repoGetBranchProtection")
    def on_get(self, req, resp, owner, repo, name):
        repository = self.admin_access(req, owner, repo)
        resp.media = protection_json(protection.get_rule(repository, name))

    @operation("Edit a branch protection", request=EditBranchProtectionOption,
               response=BRANCH_PROTECTION_SHAPE, tags=TAGS,
               operation_id="repoEditBranchProtection")
    def on_patch(self, req, resp, owner, repo, name):
        repository = self.admin_access(req, owner, repo)
        rule = protection.get_rule(repository, name)
        changes = load_body(req, EditBranchProtectionOption)
        resp.media = protection_json(protection.edit_rule(self.service.accounts, repository, rule,
                                                                 changes))

    @operation("Delete a branch protection", status=204, tags=TAGS,
               operation_id="repoDeleteBranchProtection")
    def on_delete(self, req, resp, owner, repo, name):
        repository = self.admin_access(req, owner, repo)
        protection.delete_rule(repository, name)
        resp.status = falcon.HTTP_204
