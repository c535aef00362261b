"""Gitea's ``DeployKey`` (the repository rendered by git_hosting) and ``CreateKeyOption``
with Gitea's default ``read_only: true`` for deploy keys."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.timestamps import rfc3339


def deploy_key_json(base_url: str, key, owner: str, repo: str, repository_json: dict) -> dict:
    return {
        "id": key.id,
        "key_id": key.id,
        "key": key.content,
        "url": f"{base_url.rstrip('/')}/api/v1/repos/{owner}/{repo}/keys/{key.id}",
        "title": key.title,
        "fingerprint": key.fingerprint,
        "created_at": rfc3339(key.created_at),
        "read_only": key.read_only,
        "repository": repository_json,
    }


class DeployKeyDocument(Schema):
    """For the OpenAPI document: the fields of :func:`deploy_key_json`."""

    id = fields.Integer()
    key_id = fields.Integer()
    key = fields.String()
    url = fields.String()
    title = fields.String()
    fingerprint = fields.String()
    created_at = fields.String()
    read_only = fields.Boolean()
    repository = fields.Dict()


class CreateDeployKeyOption(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))
    key = fields.String(required=True)
    read_only = fields.Boolean(load_default=True)
