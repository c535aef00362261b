"""Gitea's deploy key endpoints: ``GET/POST /repos/{owner}/{repo}/keys`` and
``GET/DELETE /repos/{owner}/{repo}/keys/{id}``. As in Gitea, all need admin on the
repository (read:repository scope to list and get, write:repository to add and delete)."""

from __future__ import annotations

import falcon

from plue_core.errors import Invalid
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.validation import load_body
from plue_core.integers import parse_int64

from plue_ssh import deploy_keys
from plue_ssh.schemas import CreateDeployKeyOption, DeployKeyDocument, deploy_key_json

TAGS = ("repository",)


class DeployKeyResourceBase:
    def __init__(self, ctx):
        self.ctx = ctx
        self.hosting = ctx.services["git_hosting"]
        self.base_url = ctx.config.base_url

    def administered(self, req, owner: str, repo: str):
        """(identity, repository) when the caller administers it: 404 if they may not see
        it, 403 below admin; the token scope first, as Gitea checks it."""
        identity = require_identity(req, scope=("read" if req.method == "GET" else "write",
                                                "repository"))
        access = self.hosting.require_repository(identity, owner, repo, "admin",
                                                 to="manage its deploy keys")
        return identity, access.repository

    def render(self, req, identity, repository, keys) -> list[dict]:
        repository_json = self.hosting.repository_json(repository, identity)
        return [deploy_key_json(self.base_url, key, repository.owner.name, repository.name,
                                repository_json) for key in keys]


class DeployKeysResource(DeployKeyResourceBase):
    @operation("List a repository's deploy keys", response=DeployKeyDocument, many=True,
               tags=TAGS, query=("key_id", "fingerprint", "page", "limit"),
               operation_id="repoListKeys")
    def on_get(self, req, resp, owner, repo):
        identity, repository = self.administered(req, owner, repo)
        raw = req.get_param("key_id")
        key_id = None if raw is None else parse_int64(raw)
        if raw is not None and key_id is None:
            raise Invalid(f"key_id: must be a 64-bit integer, not {raw!r}")
        query = deploy_keys.keys_of(repository.id, key_id=key_id,
                                    fingerprint=req.get_param("fingerprint"))
        rows = paginate(req, resp, query, self.ctx.config.pagination)
        resp.media = self.render(req, identity, repository, rows)

    @operation("Add a key to a repository", request=CreateDeployKeyOption,
               response=DeployKeyDocument, status=201, tags=TAGS, operation_id="repoCreateKey")
    def on_post(self, req, resp, owner, repo):
        identity, repository = self.administered(req, owner, repo)
        body = load_body(req, CreateDeployKeyOption)
        key = deploy_keys.add_key(self.ctx.services["accounts"], repository.id, identity.user_id,
                                  **body)
        resp.status = falcon.HTTP_201
        resp.media = self.render(req, identity, repository, [key])[0]


class DeployKeyResource(DeployKeyResourceBase):
    @operation("Get a repository's deploy key by id", response=DeployKeyDocument, tags=TAGS,
               operation_id="repoGetKey")
    def on_get(self, req, resp, owner, repo, key_id):
        identity, repository = self.administered(req, owner, repo)
        resp.media = self.render(req, identity, repository,
                                 [deploy_keys.get_key(repository.id, key_id)])[0]

    @operation("Delete a key from a repository", status=204, tags=TAGS,
               operation_id="repoDeleteKey")
    def on_delete(self, req, resp, owner, repo, key_id):
        _, repository = self.administered(req, owner, repo)
        deploy_keys.delete_key(repository.id, key_id)
        resp.status = falcon.HTTP_204
