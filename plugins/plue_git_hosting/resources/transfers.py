"""Gitea's repository transfer: ``POST /repos/{owner}/{repo}/transfer`` (202 moved at once,
201 waiting for the recipient, as Gitea's handler answers) and ``…/transfer/accept`` (202) and
``…/transfer/reject`` (200) by the recipient (transfers.py)."""

from __future__ import annotations

import falcon

from plue_core.errors import Forbidden, NotFound
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_git_hosting import permissions, transfers
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.options import TransferRepoOption
from plue_git_hosting.schemas.shapes.repository import REPOSITORY_SHAPE, repository_json

TAGS = ("repository",)


class TransferResource(GitHostingResource):
    @operation("Transfer a repo ownership", request=TransferRepoOption, response=REPOSITORY_SHAPE,
               status=202, tags=TAGS, operation_id="repoTransfer")
    def on_post(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo, "admin", allow_archived=True)
        identity = req.context.identity
        if not self._owns(identity, repository):  # Gitea's reqOwner
            raise Forbidden(f"only the owner of {repository.full_name} may transfer it")
        options = load_body(req, TransferRepoOption)
        new_owner = self.accounts.find_account(options["new_owner"])
        if new_owner is None or not self.accounts.can_see_account(identity, new_owner):
            raise NotFound("The new owner does not exist or cannot be found")
        team_ids = transfers.teams_for(self.accounts, new_owner, options.get("team_ids"))
        moved = transfers.start(self.hosting, identity, repository, new_owner, team_ids)
        resp.status = falcon.HTTP_202 if moved else falcon.HTTP_201
        resp.media = self._body(req, repository.id)

    def _owns(self, identity, repository) -> bool:
        owner = repository.owner
        return identity.is_admin or identity.user_id == owner.id or (
            owner.is_organization and self.accounts.is_org_owner(owner, identity.user_id))

    def _body(self, req, repository_id: int) -> dict:
        repository = permissions.find_repository_by_id(repository_id)
        memo = self.memo(req)
        memo.forget(repository)
        return repository_json(self.hosting, repository, memo)


class _Answer(TransferResource):
    def pending(self, req, owner: str, repo: str):
        """The repository and its pending transfer when the caller may answer it: 404 when
        there is none (or the caller may not read the repository), 403 when they may not."""
        identity = require_identity(req, scope=("write", "repository"))
        repository = permissions.find_repository(owner, repo)
        if repository is None:
            raise NotFound(f"repository {owner}/{repo} does not exist")
        transfer = transfers.pending(repository)
        answers = transfer is not None and transfers.may_answer(self.accounts, identity, transfer)
        if not answers and not self.memo(req).can(repository, "read"):
            raise NotFound(f"repository {owner}/{repo} does not exist")
        if transfer is None:
            raise NotFound(f"repository {repository.full_name} has no pending transfer")
        if not answers:
            raise Forbidden(f"you may not answer the transfer of {repository.full_name}")
        return repository, transfer


class TransferAcceptResource(_Answer):
    @operation("Accept a repo transfer", response=REPOSITORY_SHAPE, status=202, tags=TAGS,
               operation_id="acceptRepoTransfer")
    def on_post(self, req, resp, owner, repo):
        repository, transfer = self.pending(req, owner, repo)
        transfers.accept(self.hosting, repository, transfer)
        resp.status = falcon.HTTP_202
        resp.media = self._body(req, repository.id)


class TransferRejectResource(_Answer):
    @operation("Reject a repo transfer", response=REPOSITORY_SHAPE, tags=TAGS,
               operation_id="rejectRepoTransfer")
    def on_post(self, req, resp, owner, repo):
        repository, _ = self.pending(req, owner, repo)
        transfers.reject(repository)
        resp.media = self._body(req, repository.id)
